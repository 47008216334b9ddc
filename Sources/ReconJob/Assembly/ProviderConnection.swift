import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// The provider clients of a run or a download, over one HTTP client that ``close()`` shuts down.
/// Each configured provider's account (``ProviderSettings/accounts``, made by its plug-in) reads
/// its own key files and makes its client.
public struct ProviderConnection: Sendable {
    /// Every configured provider's client.
    public let clients: [any PaymentProvider]
    private let http: HTTPClient?

    /// Clients given as they are (tests, or a caller that owns them); closing does nothing.
    public init(clients: [any PaymentProvider]) {
        self.clients = clients
        self.http = nil
    }

    /// Reads the key files the settings name and builds each configured provider's client.
    /// - Throws: ``ReconError`` (usage) naming a key file that is missing, not a key, or readable
    ///   by others. The message never holds key material.
    public static func open(_ settings: ProviderSettings, concurrency: Int, clock: any RunClock) throws -> ProviderConnection {
        let http = ProviderHTTPClient.make(concurrency: concurrency)
        do {
            let clients = try settings.accounts.map {
                try $0.connect(http: http, timeout: .seconds(Int64(settings.timeoutSeconds)), clock: clock)
            }
            return ProviderConnection(clients: clients, http: http)
        } catch let problem as KeyFile.Problem {
            try? http.syncShutdown()
            throw ReconError.usage(problem.description)
        }
    }

    private init(clients: [any PaymentProvider], http: HTTPClient) {
        self.clients = clients
        self.http = http
    }

    /// Runs `body` with the connection, then closes it whatever `body` did.
    public func using<T>(_ body: (ProviderConnection) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            try await close()
            return result
        } catch {
            try? await close()
            throw error
        }
    }

    /// Shuts the HTTP client down.
    public func close() async throws {
        try await http?.shutdown()
    }
}
