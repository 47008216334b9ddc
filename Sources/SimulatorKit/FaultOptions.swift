import ArgumentParser

/// The simulator's fault options, shared by `provider-sim serve` and `query-bench`. An option not
/// given keeps the command's own default.
public struct FaultOptions: ParsableArguments {
    @Option(name: .customLong("error-rate"), help: "Share of answers replaced by P01/E01–E03 (gateway) or SYSTEM_ERROR (WeChat Pay).")
    var errorRate: Double?
    @Option(name: .customLong("server-error-rate"), help: "Share of answers replaced by an unsigned 5xx.")
    var serverErrorRate: Double?
    @Option(name: .customLong("too-many-rate"), help: "Share of answers replaced by HTTP 429.")
    var tooManyRate: Double?
    @Option(name: .customLong("slow-rate"), help: "Share of answers delayed by --slow-ms.")
    var slowRate: Double?
    @Option(name: .customLong("slow-ms"), help: "Delay of a slow answer, in milliseconds.")
    var slowMilliseconds: Int?
    @Option(name: .customLong("timeout-rate"), help: "Share of requests never answered.")
    var timeoutRate: Double?
    @Option(name: .customLong("bad-signature-rate"), help: "Share of answers with a signature that does not verify.")
    var badSignatureRate: Double?
    @Flag(name: .customLong("truncate-bills"), help: "Serve bills cut off before their summary.")
    var truncateBills = false
    @Flag(name: .customLong("tamper-bills"), help: "Serve bills with one amount changed.")
    var tamperBills = false
    @Option(name: .customLong("statement-creating"), help: "Bill applications answered STATEMENT_CREATING before each bill is ready.")
    var statementCreating: Int?
    @Option(name: .customLong("latency-ms"), help: "Latency added to every answer, in milliseconds.")
    var latencyMilliseconds: Int?
    @Option(name: .customLong("rate-limit"), help: "Requests per second allowed per merchant (0: no limit).")
    var rateLimit: Double?
    @Option(name: .customLong("rate-burst"), help: "The burst the rate limit allows.")
    var rateBurst: Int?

    public init() {}

    public func validate() throws {
        for (name, rate) in [
            ("error-rate", errorRate), ("server-error-rate", serverErrorRate), ("too-many-rate", tooManyRate),
            ("slow-rate", slowRate), ("timeout-rate", timeoutRate), ("bad-signature-rate", badSignatureRate),
        ] {
            if let rate, !(0...1).contains(rate) { throw ValidationError("--\(name) is a share from 0 to 1, not \(rate).") }
        }
    }

    /// The faults asked for, on top of the command's `defaults`.
    public func faults(over defaults: Faults = Faults()) -> Faults {
        var faults = defaults
        faults.errorRate = errorRate ?? defaults.errorRate
        faults.serverErrorRate = serverErrorRate ?? defaults.serverErrorRate
        faults.tooManyRate = tooManyRate ?? defaults.tooManyRate
        faults.slowRate = slowRate ?? defaults.slowRate
        faults.slowDelayMilliseconds = slowMilliseconds ?? defaults.slowDelayMilliseconds
        faults.timeoutRate = timeoutRate ?? defaults.timeoutRate
        faults.badSignatureRate = badSignatureRate ?? defaults.badSignatureRate
        faults.truncateBills = truncateBills || defaults.truncateBills
        faults.tamperBills = tamperBills || defaults.tamperBills
        faults.statementCreatingCount = statementCreating ?? defaults.statementCreatingCount
        faults.latencyMilliseconds = latencyMilliseconds ?? defaults.latencyMilliseconds
        faults.ratePerSecond = rateLimit ?? defaults.ratePerSecond
        faults.rateBurst = rateBurst ?? defaults.rateBurst
        return faults
    }
}
