/// Faults the simulator injects into its answers, each at a rate between 0 and 1.
public struct Faults: Hashable, Sendable {
    /// Query answers replaced by an outcome-unknown code: the gateway's `P01`, `E01`–`E03`,
    /// WeChat Pay's `SYSTEM_ERROR`.
    public var errorRate: Double = 0
    /// Answers replaced by HTTP 500 (the gateway: 503), unsigned.
    public var serverErrorRate: Double = 0
    /// Answers replaced by HTTP 429, as though the rate limit were hit.
    public var tooManyRate: Double = 0
    /// Answers delayed by ``slowDelay``.
    public var slowRate: Double = 0
    /// How long a slow answer waits, in milliseconds.
    public var slowDelayMilliseconds: Int = 2_000
    /// Answers never sent: the connection stays open until the client gives up.
    public var timeoutRate: Double = 0
    /// Answers sent with a signature that does not verify.
    public var badSignatureRate: Double = 0
    /// Bills served cut off before their summary.
    public var truncateBills = false
    /// Bills served with one amount changed (the advertised hash is of the original).
    public var tamperBills = false
    /// How many bill applications answer `STATEMENT_CREATING` before the bill is ready.
    public var statementCreatingCount = 0
    /// Latency added to every answer, in milliseconds.
    public var latencyMilliseconds: Int = 0
    /// Each merchant's request limit per second (0 for none); beyond it the answer is HTTP 429
    /// with `FREQUENCY_LIMITED`, or the gateway's `S04`.
    public var ratePerSecond: Double = 0
    /// The burst the rate limit allows.
    public var rateBurst: Int = 20

    public init() {}
}
