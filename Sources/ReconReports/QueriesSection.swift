import ReconCore

/// What a day's queries to the providers did, for the reports.
public struct QueriesSection: Sendable, Hashable, Codable {
    /// An item that was not asked about, or got no usable answer.
    public struct Item: Sendable, Hashable, Codable {
        public var merchant: MerchantRef
        /// `order` or `refund`.
        public var subject: String
        public var key: String
        public var reason: String

        public init(merchant: MerchantRef, subject: String, key: String, reason: String) {
            self.merchant = merchant
            self.subject = subject
            self.key = key
            self.reason = reason
        }
    }

    /// Items selected for a query, by reason name (`pending_status`, `query_to_confirm`, `unknown_code`).
    public var selected: [String: Int]
    /// Items with a trusted answer of a final state.
    public var settled: Int
    /// Items the provider still calls pending.
    public var stillPending: Int
    /// Items without a usable answer after the budget.
    public var unresolved: Int
    /// Items not asked about, with why.
    public var notQueried: [Item]
    /// Calls made.
    public var attempts: Int
    /// Merchants whose queries stopped, with the message for each.
    public var stopped: [String]
    /// Of those messages, the ones of merchants whose provider could not be reached.
    public var unreachable: [String] = []
    /// How often each merchant was told to slow down.
    public var slowDowns: [String: Int]
    /// With `--apply` or `--dry-run`: each change, and why it was skipped if it was.
    public var changes: [AppliedChange]
    /// `apply` when the changes were written, `dry-run` when only listed, `report` otherwise.
    public var mode: String

    public init(
        selected: [String: Int], settled: Int, stillPending: Int, unresolved: Int, notQueried: [Item], attempts: Int,
        stopped: [String], slowDowns: [String: Int], changes: [AppliedChange] = [], mode: String = "report"
    ) {
        self.selected = selected
        self.settled = settled
        self.stillPending = stillPending
        self.unresolved = unresolved
        self.notQueried = notQueried
        self.attempts = attempts
        self.stopped = stopped
        self.slowDowns = slowDowns
        self.changes = changes
        self.mode = mode
    }

    /// Every item selected.
    public var total: Int { selected.values.reduce(0, +) }

    /// Sums up the outcomes of a day's queries.
    public static func summarize(
        _ outcomes: [QueryOutcome], attempts: Int, stopped: [String], unreachable: [String] = [],
        slowDowns: [MerchantRef: Int]
    ) -> QueriesSection {
        var selected: [String: Int] = [:]
        var settled = 0
        var pending = 0
        var unresolved = 0
        var notQueried: [Item] = []
        for outcome in outcomes {
            selected[outcome.item.reason.name, default: 0] += 1
            switch outcome.result {
            case .answered(let answer):
                if answer.state?.isFinal == true { settled += 1 } else { pending += 1 }
            case .unresolved: unresolved += 1
            case .notQueried(let reason):
                notQueried.append(
                    Item(merchant: outcome.item.merchant, subject: outcome.item.isRefund ? "refund" : "order",
                         key: outcome.item.key, reason: reason))
            }
        }
        var section = QueriesSection(
            selected: selected, settled: settled, stillPending: pending, unresolved: unresolved,
            notQueried: notQueried.sorted { ($0.merchant, $0.key) < ($1.merchant, $1.key) }, attempts: attempts,
            stopped: stopped.sorted(), slowDowns: Dictionary(uniqueKeysWithValues: slowDowns.map { ($0.key.description, $0.value) }))
        section.unreachable = unreachable.sorted()
        return section
    }
}
