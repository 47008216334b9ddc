/// A discrepancy as it is carried from run to run until it clears or someone acknowledges it.
///
/// Its ``id`` is the discrepancy's stable id, so the same disagreement found again on a rerun or
/// on a later day is the same item.
public struct OpenItem: Hashable, Sendable, Identifiable, Codable {
    /// Where an item stands.
    public enum State: String, Hashable, Sendable, CaseIterable, Codable {
        /// Found and not yet cleared or acknowledged.
        case open
        /// A later run no longer found it, or the next day's bill settled it.
        case resolved
        /// Someone looked at it and recorded why it needs no further action.
        case acknowledged
    }

    /// Who acknowledged an item, when and why.
    public struct Acknowledgement: Hashable, Sendable, Codable {
        /// The person (or system) that acknowledged it.
        public var by: String
        /// When.
        public var at: Timestamp
        /// Why it needs no further action.
        public var note: String

        /// Creates an acknowledgement.
        public init(by: String, at: Timestamp, note: String) {
            self.by = by
            self.at = at
            self.note = note
        }
    }

    /// The discrepancy's stable id.
    public var id: String
    /// The merchant.
    public var merchant: MerchantRef
    /// The day the discrepancy belongs to.
    public var day: CivilDate
    /// The kind of discrepancy.
    public var kind: DiscrepancyKind
    /// The order concerned, if any.
    public var outTradeNo: String?
    /// The refund concerned, if any.
    public var outRefundNo: String?
    /// The combine order concerned, if any.
    public var combineOutTradeNo: String?
    /// The money in doubt.
    public var amountAtStake: Money?
    /// The discrepancy's explanation when it was last found.
    public var explanation: String
    /// Where it stands.
    public var state: State
    /// The reconciled day whose run first recorded it; the item's own day, unless the next day's
    /// bill turned a timing difference into a missing row.
    public var foundOn: CivilDate
    /// The run that first recorded it, and when.
    public var firstRunID: String
    /// When it was first recorded.
    public var firstSeen: Timestamp
    /// The last run that found it.
    public var lastRunID: String
    /// When it was last found.
    public var lastSeen: Timestamp
    /// The reconciled day whose run resolved it, or reported its acknowledgement.
    public var resolvedOn: CivilDate?
    /// Why it was resolved.
    public var resolution: String?
    /// When it was resolved.
    public var resolvedAt: Timestamp?
    /// Who acknowledged it, when and why.
    public var acknowledgement: Acknowledgement?
    /// For a timing difference: the neighbouring day whose bill is expected to hold the row.
    public var expectedIn: CivilDate?

    /// Creates an item for a discrepancy found by run `runID` at `time` while `foundOn` was reconciled.
    public init(_ discrepancy: Discrepancy, foundOn: CivilDate, runID: String, at time: Timestamp) {
        self.id = discrepancy.id
        self.merchant = discrepancy.merchant
        self.day = discrepancy.day
        self.kind = discrepancy.kind
        self.outTradeNo = discrepancy.outTradeNo
        self.outRefundNo = discrepancy.outRefundNo
        self.combineOutTradeNo = discrepancy.combineOutTradeNo
        self.amountAtStake = discrepancy.amountAtStake
        self.explanation = discrepancy.explanation
        self.state = .open
        self.foundOn = foundOn
        self.firstRunID = runID
        self.firstSeen = time
        self.lastRunID = runID
        self.lastSeen = time
    }

    /// The refund, order or combine order the item is about.
    public var subject: String { outRefundNo ?? outTradeNo ?? combineOutTradeNo ?? "" }

    /// Whole days from the item's own day to `day`.
    public func age(on day: CivilDate) -> Int {
        Int(day.daysSinceEpoch - self.day.daysSinceEpoch)
    }

    /// The order items are listed in: by day, merchant, subject, then kind.
    public static func listOrder(_ lhs: OpenItem, _ rhs: OpenItem) -> Bool {
        if lhs.day != rhs.day { return lhs.day < rhs.day }
        if lhs.merchant != rhs.merchant { return lhs.merchant < rhs.merchant }
        if lhs.subject != rhs.subject { return lhs.subject < rhs.subject }
        return lhs.kind < rhs.kind
    }

    /// Records that someone acknowledged the item; it then counts as settled and is reported
    /// once, with the next run.
    /// - Throws: ``OpenItemError`` when the item is not open.
    public mutating func acknowledge(_ acknowledgement: Acknowledgement) throws(OpenItemError) {
        switch state {
        case .open:
            state = .acknowledged
            self.acknowledgement = acknowledgement
            resolvedOn = nil
        case .acknowledged:
            throw .alreadyAcknowledged(self)
        case .resolved:
            throw .alreadyResolved(self)
        }
    }

    mutating func resolve(on day: CivilDate, because reason: String, at time: Timestamp) {
        state = .resolved
        resolvedOn = day
        resolution = reason
        resolvedAt = time
    }

    mutating func reopen() {
        state = .open
        resolvedOn = nil
        resolution = nil
        resolvedAt = nil
    }
}
