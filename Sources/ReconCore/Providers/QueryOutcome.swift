/// What the job learnt about one pending item from the provider.
public struct QueryOutcome: Hashable, Sendable {
    /// How the item's queries ended.
    public enum Result: Hashable, Sendable {
        /// A trusted answer with a known state.
        case answered(ProviderAnswer)
        /// No usable answer within the attempt budget: every attempt failed, was refused, did not
        /// verify, or gave a state the job does not know. `lastCode` is the last provider code seen.
        case unresolved(reason: String, lastCode: String?)
        /// Not asked: the merchant's queries were stopped, or no client serves the provider.
        case notQueried(reason: String)
    }

    /// The item asked about.
    public var item: PendingItem
    /// How it ended.
    public var result: Result
    /// How many attempts were made.
    public var attempts: Int

    /// Creates an outcome.
    public init(item: PendingItem, result: Result, attempts: Int) {
        self.item = item
        self.result = result
        self.attempts = attempts
    }

    /// The trusted answer, if any.
    public var answer: ProviderAnswer? {
        if case .answered(let answer) = result { return answer }
        return nil
    }
}
