import ReconCore
import ReconProviders

/// The provider leg's settings: where each provider's API is, each merchant's key files and rate,
/// and how queries are paced and retried.
///
/// Key files are named here, not read: ``ProviderConnection`` reads them when a run starts, and
/// refuses private keys and secrets that group or others may read. Nothing here holds key
/// material, so the settings can be logged.
public struct ProviderSettings: Sendable {
    /// Each configured provider's API, in registration order.
    public var accounts: [any ProviderAccount]
    /// Whether runs ask the providers at all (`queries.enabled`, `--no-queries`).
    public var queriesEnabled: Bool
    /// Pacing and retries.
    public var query: QuerySettings
    /// How long one call may take, in seconds.
    public var timeoutSeconds: Int
    /// How far back pending items are still queried.
    public var pendingMaxAgeSeconds: Int64
    /// How long an item may stay pending at the provider before it is reported.
    public var pendingExpirySeconds: Int64

    /// Creates settings; by default no provider is configured, so nothing is queried.
    public init(
        accounts: [any ProviderAccount] = [], queriesEnabled: Bool = true, query: QuerySettings = QuerySettings(),
        timeoutSeconds: Int = 10, pendingMaxAgeSeconds: Int64 = PendingSelector.defaultMaxAgeSeconds,
        pendingExpirySeconds: Int64 = PendingJudge.defaultExpirySeconds
    ) {
        self.accounts = accounts
        self.queriesEnabled = queriesEnabled
        self.query = query
        self.timeoutSeconds = timeoutSeconds
        self.pendingMaxAgeSeconds = pendingMaxAgeSeconds
        self.pendingExpirySeconds = pendingExpirySeconds
    }

    /// The configured account of type `type` (a provider's own), if any.
    public func account<Account: ProviderAccount>(_ type: Account.Type) -> Account? {
        accounts.lazy.compactMap { $0 as? Account }.first
    }

    /// Whether any provider's API is configured and queries are on.
    public var queries: Bool { queriesEnabled && !accounts.isEmpty }

    /// Every file that holds a merchant's private key or secret.
    public var secretFiles: [String] {
        accounts.flatMap(\.secretFiles)
    }

    /// The merchants with credentials, in order.
    public var merchants: [MerchantRef] {
        accounts.flatMap { account in account.merchantIDs.map { MerchantRef(provider: account.provider, merchantID: $0) } }.sorted()
    }
}
