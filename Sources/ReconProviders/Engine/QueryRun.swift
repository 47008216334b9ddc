import ReconCore

/// Everything one pass of the query engine learnt.
public struct QueryRun: Sendable {
    /// One outcome per item asked about, in the items' order.
    public var outcomes: [QueryOutcome]
    /// Every call made, in the order they were made per item.
    public var attempts: [QueryAttempt]
    /// Merchants whose queries stopped, on a configuration or authentication answer or because
    /// their provider could not be reached, with the one message that says why and what to do.
    public var stopped: [MerchantRef: String]
    /// Of the stopped merchants, those whose provider could not be reached.
    public var unreachable: Set<MerchantRef>
    /// How often each merchant was told to slow down.
    public var slowDowns: [MerchantRef: Int]

    /// Creates a result.
    public init(
        outcomes: [QueryOutcome] = [], attempts: [QueryAttempt] = [], stopped: [MerchantRef: String] = [:],
        unreachable: Set<MerchantRef> = [], slowDowns: [MerchantRef: Int] = [:]
    ) {
        self.outcomes = outcomes
        self.attempts = attempts
        self.stopped = stopped
        self.unreachable = unreachable
        self.slowDowns = slowDowns
    }
}
