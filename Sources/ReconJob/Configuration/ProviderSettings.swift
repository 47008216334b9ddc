import ReconCore
import ReconProviders

/// The provider leg's settings: where each provider's API is, each merchant's key files and rate,
/// and how queries are paced and retried.
///
/// Key files are named here, not read: ``ProviderCredentials`` reads them when a run starts, and
/// refuses private keys and secrets that group or others may read. Nothing here holds key
/// material, so the settings can be logged.
public struct ProviderSettings: Sendable {
    /// One WeChat Pay merchant's key files.
    public struct WeChatMerchant: Sendable, Hashable {
        public var merchantID: String
        /// The serial number of the merchant's API certificate.
        public var serialNumber: String
        /// The merchant's API private key (PEM).
        public var privateKeyFile: String
        /// The merchant's rate, when not the default.
        public var rate: RateLimit?

        public init(merchantID: String, serialNumber: String, privateKeyFile: String, rate: RateLimit? = nil) {
            self.merchantID = merchantID
            self.serialNumber = serialNumber
            self.privateKeyFile = privateKeyFile
            self.rate = rate
        }
    }

    /// WeChat Pay's API.
    public struct WeChatPay: Sendable {
        public var baseURL: String
        /// The id of the WeChat Pay public key answers are signed with (`Wechatpay-Serial`).
        public var platformKeyID: String
        /// The WeChat Pay public key (PEM).
        public var platformPublicKeyFile: String
        public var merchants: [WeChatMerchant]

        public init(baseURL: String, platformKeyID: String, platformPublicKeyFile: String, merchants: [WeChatMerchant]) {
            self.baseURL = baseURL
            self.platformKeyID = platformKeyID
            self.platformPublicKeyFile = platformPublicKeyFile
            self.merchants = merchants
        }
    }

    /// One gateway merchant's secret file.
    public struct GatewayMerchant: Sendable, Hashable {
        public var merchantNo: String
        /// The file holding the merchant's secret key on its first line.
        public var secretFile: String
        public var rate: RateLimit?

        public init(merchantNo: String, secretFile: String, rate: RateLimit? = nil) {
            self.merchantNo = merchantNo
            self.secretFile = secretFile
            self.rate = rate
        }
    }

    /// The gateway's API.
    public struct Gateway: Sendable {
        public var baseURL: String
        public var merchants: [GatewayMerchant]

        public init(baseURL: String, merchants: [GatewayMerchant]) {
            self.baseURL = baseURL
            self.merchants = merchants
        }
    }

    /// WeChat Pay, if configured.
    public var wechatPay: WeChatPay?
    /// The gateway, if configured.
    public var gateway: Gateway?
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
        wechatPay: WeChatPay? = nil, gateway: Gateway? = nil, queriesEnabled: Bool = true, query: QuerySettings = QuerySettings(),
        timeoutSeconds: Int = 10, pendingMaxAgeSeconds: Int64 = PendingSelector.defaultMaxAgeSeconds,
        pendingExpirySeconds: Int64 = PendingJudge.defaultExpirySeconds
    ) {
        self.wechatPay = wechatPay
        self.gateway = gateway
        self.queriesEnabled = queriesEnabled
        self.query = query
        self.timeoutSeconds = timeoutSeconds
        self.pendingMaxAgeSeconds = pendingMaxAgeSeconds
        self.pendingExpirySeconds = pendingExpirySeconds
    }

    /// Whether any provider's API is configured and queries are on.
    public var queries: Bool { queriesEnabled && (wechatPay != nil || gateway != nil) }

    /// Every file that holds a merchant's private key or secret.
    public var secretFiles: [String] {
        (wechatPay?.merchants.map(\.privateKeyFile) ?? []) + (gateway?.merchants.map(\.secretFile) ?? [])
    }

    /// The merchants with credentials, in order.
    public var merchants: [MerchantRef] {
        ((wechatPay?.merchants.map { MerchantRef(provider: .wechatPay, merchantID: $0.merchantID) } ?? [])
            + (gateway?.merchants.map { MerchantRef(provider: .gateway, merchantID: $0.merchantNo) } ?? [])).sorted()
    }
}
