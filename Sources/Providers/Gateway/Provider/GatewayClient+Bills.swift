import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import ReconClock
import ReconCore
import ReconProviders

extension GatewayClient: BillSource {
    public var downloadCheck: String { "SHA-256 verified" }

    /// Downloads the day's bill; the answer must be signed over the bill's bytes and carry their
    /// SHA-256 (docs/gateway-api.md).
    public func downloadBill(day: CivilDate, merchant: MerchantRef, into folder: String) async throws -> BillDownload {
        guard let keys = credentials[merchant.merchantID] else {
            throw BillDownloadError("No gateway secret is configured for merchant \(merchant.merchantID). Add it under providers.gateway.merchants.")
        }
        let subject = "\(merchant) bill of \(day)"
        let path = "/api/v1/bill/file?merchantNo=\(ProviderEndpoint.escape(merchant.merchantID))&billDate=\(day)"
        let requestID = UUID().uuidString.lowercased()
        let timestamp = endpoint.clock.epochSeconds()
        let signature = GatewaySignature.sign(
            GatewaySignature.requestMessage(method: "GET", path: path, timestamp: timestamp, requestID: requestID, body: [UInt8]()),
            secret: keys.secret)
        let answer = try await endpoint.downloads.send(
            method: .GET, url: baseURL + path,
            headers: [
                ("Accept", "text/csv, application/json"), ("X-Merchant-No", keys.merchantNo), ("X-Timestamp", String(timestamp)),
                ("X-Request-Id", requestID), ("X-Signature", signature),
            ], body: nil, requestID: requestID)
        if let problem = verify(answer, requestID: requestID, keys: keys) {
            throw BillDownloadError("\(subject): the gateway's answer cannot be trusted (\(problem)). Nothing was saved; check the merchant's secret.")
        }
        if answer.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true {
            let refusal = try? ProviderJSON.decode(GatewayWire.Answer.self, from: answer.body).get()
            let code = refusal?.code ?? "HTTP \(answer.status)"
            if code == "C12" { return .notReady(code: code, message: refusal?.msg ?? "") }
            throw BillDownloadError("\(subject): the gateway refused the download with \(GatewayPlugin.codes.quote(code, provider: .gateway)). Nothing was saved.")
        }
        let digest = SHA256.hash(data: answer.body).hexString
        guard answer.status == 200, let expected = answer.headers.first(name: "X-Content-SHA256"), expected.lowercased() == digest else {
            throw BillDownloadError("\(subject): the bill's SHA-256 is \(digest) but the gateway says \(answer.headers.first(name: "X-Content-SHA256") ?? "nothing"); Nothing was saved; download it again.")
        }
        let saved = try BillFiles.save(answer.body, folder: folder, name: "gateway_\(merchant.merchantID)_\(day).csv")
        return .saved(path: saved, bytes: answer.body.count)
    }
}
