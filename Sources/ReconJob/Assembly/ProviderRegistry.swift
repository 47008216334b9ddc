import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// The providers order-recon knows, one line each: its name and how its client is made from the
/// settings, the keys read for it, one shared HTTP client and the clock.
enum ProviderRegistry {
    /// One provider.
    struct Entry: Sendable {
        let id: ProviderID
        /// The provider's client, when the settings configure the provider.
        let client: @Sendable (ProviderSettings, ProviderCredentials, HTTPClient, any RunClock) -> (any PaymentProvider)?
    }

    static let all: [Entry] = [
        Entry(id: .wechatPay) { settings, keys, http, clock in
            settings.wechatPay.map {
                WeChatPayClient(
                    baseURL: $0.baseURL, credentials: keys.wechatPay, http: http, timeout: .seconds(Int64(settings.timeoutSeconds)),
                    clock: clock)
            }
        },
        Entry(id: .gateway) { settings, keys, http, clock in
            settings.gateway.map {
                GatewayClient(
                    baseURL: $0.baseURL, credentials: keys.gateway, http: http, timeout: .seconds(Int64(settings.timeoutSeconds)),
                    clock: clock)
            }
        },
    ]
}

/// The provider clients of a run or a download, over one HTTP client that ``close()`` shuts down.
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
    /// - Throws: ``ReconError`` (usage) naming a key file that is missing, not a key, or readable by others.
    public static func open(_ settings: ProviderSettings, concurrency: Int, clock: any RunClock) throws -> ProviderConnection {
        let keys = try ProviderCredentials(settings)
        let http = ProviderHTTPClient.make(concurrency: concurrency)
        return ProviderConnection(
            clients: ProviderRegistry.all.compactMap { $0.client(settings, keys, http, clock) }, http: http)
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
