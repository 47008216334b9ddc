/// How the query engine paces and retries.
public struct QuerySettings: Hashable, Sendable {
    /// Queries in flight at once, over all merchants.
    public var concurrency: Int
    /// Attempts per order, refund or combine order, the first included.
    public var maxAttempts: Int
    /// The delay before the second attempt; each later one doubles it, with jitter.
    public var baseDelay: Duration
    /// The longest delay between attempts.
    public var maxDelay: Duration
    /// Each merchant's rate, when not set per merchant.
    public var defaultRate: RateLimit
    /// Rates per merchant.
    public var rates: [MerchantKey: RateLimit]

    /// A merchant as `provider/id`, the way settings name it.
    public typealias MerchantKey = String

    /// Creates settings.
    public init(
        concurrency: Int = 16, maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200),
        maxDelay: Duration = .seconds(5), defaultRate: RateLimit = RateLimit(perSecond: 50, burst: 10),
        rates: [MerchantKey: RateLimit] = [:]
    ) {
        self.concurrency = max(1, concurrency)
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.defaultRate = defaultRate
        self.rates = rates
    }

    /// The delay before attempt `attempt` (2 or later): the doubled base delay, capped, with
    /// "equal jitter" (between half and all of it) so that retries of many items spread out.
    public func delay(before attempt: Int, random: Double) -> Duration {
        let doublings = min(max(attempt - 2, 0), 30)
        let full = min(baseDelay * (1 << doublings), maxDelay)
        return full / 2 + full / 2 * min(max(random, 0), 1)
    }
}
