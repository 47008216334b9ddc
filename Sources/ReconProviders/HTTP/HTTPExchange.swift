import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ReconCore

/// One HTTP call and its raw answer, shared by the provider clients.
package struct HTTPExchange: Sendable {
    /// The raw answer.
    package struct Answer: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: [UInt8]
        package var bodySHA256: String { SHA256.hash(data: body).hexString }
    }

    let client: HTTPClient
    let timeout: TimeAmount
    let maxBodyBytes: Int

    /// Sends a request and collects the whole answer.
    /// - Throws: ``ProviderTransportError`` when no answer came.
    package func send(
        method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]?, requestID: String
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: maxBodyBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let timedOut = (error as? HTTPClientError).map {
                [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains($0)
            } ?? false
            throw ProviderTransportError(
                requestID: requestID, isTimeout: timedOut, detail: "\(error)", failedToConnect: Self.isConnectFailure(error))
        }
    }

    /// Whether `error` says no connection could be made: the name did not resolve, the address
    /// refused or could not be reached, the TLS handshake failed, or connecting timed out.
    package static func isConnectFailure(_ error: any Error) -> Bool {
        switch error {
        case is NIOConnectionError, is SocketAddressError, is NIOSSLError, is BoringSSLError: return true
        case let error as IOError:
            return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, ENETDOWN, EHOSTDOWN].contains(error.errnoCode)
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as HTTPClientError: return error == .connectTimeout
        default: return false
        }
    }
}
