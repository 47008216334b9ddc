/// A discrepancy as it is carried from run to run until it clears or someone acknowledges it.
///
/// Its ``id`` is the discrepancy's stable id, so the same disagreement found again on a rerun or
/// on a later day is the same item.
public struct OpenItem: ItemFinding, Hashable, Sendable, Identifiable, Codable {
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
    public var id: String {
        get { shared.value.id }
        set { shared.value.id = newValue }
    }
    /// The merchant.
    public var merchant: MerchantRef {
        get { shared.value.merchant }
        set { shared.value.merchant = newValue }
    }
    /// The day the discrepancy belongs to.
    public var day: CivilDate {
        get { shared.value.day }
        set { shared.value.day = newValue }
    }
    /// The kind of discrepancy.
    public var kind: DiscrepancyKind {
        get { shared.value.kind }
        set { shared.value.kind = newValue }
    }
    /// The order concerned, if any.
    public var outTradeNo: String? {
        get { shared.value.outTradeNo }
        set { shared.value.outTradeNo = newValue }
    }
    /// The refund concerned, if any.
    public var outRefundNo: String? {
        get { shared.value.outRefundNo }
        set { shared.value.outRefundNo = newValue }
    }
    /// The combine order concerned, if any.
    public var combineOutTradeNo: String? {
        get { shared.value.combineOutTradeNo }
        set { shared.value.combineOutTradeNo = newValue }
    }
    /// The money in doubt.
    public var amountAtStake: Money? {
        get { shared.value.amountAtStake }
        set { shared.value.amountAtStake = newValue }
    }
    /// The discrepancy's explanation when it was last found.
    public var explanation: String {
        get { shared.value.explanation }
        set { shared.value.explanation = newValue }
    }
    /// Where it stands.
    public var state: State {
        get { shared.value.state }
        set { shared.value.state = newValue }
    }
    /// The reconciled day whose run first recorded it; the item's own day, unless the next day's
    /// bill turned a timing difference into a missing row.
    public var foundOn: CivilDate {
        get { shared.value.foundOn }
        set { shared.value.foundOn = newValue }
    }
    /// The run that first recorded it, and when.
    public var firstRunID: String {
        get { shared.value.firstRunID }
        set { shared.value.firstRunID = newValue }
    }
    /// When it was first recorded.
    public var firstSeen: Timestamp {
        get { shared.value.firstSeen }
        set { shared.value.firstSeen = newValue }
    }
    /// The last run that found it.
    public var lastRunID: String {
        get { shared.value.lastRunID }
        set { shared.value.lastRunID = newValue }
    }
    /// When it was last found.
    public var lastSeen: Timestamp {
        get { shared.value.lastSeen }
        set { shared.value.lastSeen = newValue }
    }
    /// The reconciled day whose run resolved it, or reported its acknowledgement.
    public var resolvedOn: CivilDate? {
        get { shared.value.resolvedOn }
        set { shared.value.resolvedOn = newValue }
    }
    /// Why it was resolved.
    public var resolution: String? {
        get { shared.value.resolution }
        set { shared.value.resolution = newValue }
    }
    /// When it was resolved.
    public var resolvedAt: Timestamp? {
        get { shared.value.resolvedAt }
        set { shared.value.resolvedAt = newValue }
    }
    /// Who acknowledged it, when and why.
    public var acknowledgement: Acknowledgement? {
        get { shared.value.acknowledgement }
        set { shared.value.acknowledgement = newValue }
    }
    /// For a timing difference: the neighbouring day whose bill is expected to hold the row.
    public var expectedIn: CivilDate? {
        get { shared.value.expectedIn }
        set { shared.value.expectedIn = newValue }
    }

    /// The values, shared by copies until one of them changes (see ``SharedValue``): the
    /// carryover and the reports copy every item several times.
    private var shared: SharedValue<Fields>

    /// Creates an item for a discrepancy found by run `runID` at `time` while `foundOn` was reconciled.
    public init(_ discrepancy: Discrepancy, foundOn: CivilDate, runID: String, at time: Timestamp) {
        self.init(
            id: discrepancy.id, merchant: discrepancy.merchant, day: discrepancy.day, kind: discrepancy.kind,
            outTradeNo: discrepancy.outTradeNo, outRefundNo: discrepancy.outRefundNo,
            combineOutTradeNo: discrepancy.combineOutTradeNo, amountAtStake: discrepancy.amountAtStake,
            explanation: discrepancy.explanation, foundOn: foundOn, runID: runID, at: time)
    }

    /// Creates an open item with the id and values a store kept for it, found by run `runID` at
    /// `time` while `foundOn` was reconciled; its id is taken as it is, not made again from the values.
    public init(
        id: String, merchant: MerchantRef, day: CivilDate, kind: DiscrepancyKind, outTradeNo: String?,
        outRefundNo: String?, combineOutTradeNo: String?, amountAtStake: Money?, explanation: String, foundOn: CivilDate,
        runID: String, at time: Timestamp
    ) {
        shared = SharedValue(
            Fields(
                id: id, merchant: merchant, day: day, kind: kind, outTradeNo: outTradeNo, outRefundNo: outRefundNo,
                combineOutTradeNo: combineOutTradeNo, amountAtStake: amountAtStake, explanation: explanation, state: .open,
                foundOn: foundOn, firstRunID: runID, firstSeen: time, lastRunID: runID, lastSeen: time))
    }

    /// Whether `other` is this item seen again: the same values but, perhaps, for the last
    /// sighting (``lastRunID`` and ``lastSeen``). A store that keeps this item then need only
    /// record `other`'s sighting. The comparison copies neither item's shared storage.
    public func isSeenAgain(as other: OpenItem) -> Bool {
        var fields = shared.value
        fields.lastRunID = other.lastRunID
        fields.lastSeen = other.lastSeen
        return fields == other.shared.value
    }

    /// Whole days from the item's own day to `day`.
    public func age(on day: CivilDate) -> Int {
        Int(day.daysSinceEpoch - self.day.daysSinceEpoch)
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

extension OpenItem {
    /// The values themselves; their names are the item's `Codable` keys.
    private struct Fields: Hashable, Codable, Sendable {
        var id: String
        var merchant: MerchantRef
        var day: CivilDate
        var kind: DiscrepancyKind
        var outTradeNo: String?
        var outRefundNo: String?
        var combineOutTradeNo: String?
        var amountAtStake: Money?
        var explanation: String
        var state: State
        var foundOn: CivilDate
        var firstRunID: String
        var firstSeen: Timestamp
        var lastRunID: String
        var lastSeen: Timestamp
        var resolvedOn: CivilDate?
        var resolution: String?
        var resolvedAt: Timestamp?
        var acknowledgement: Acknowledgement?
        var expectedIn: CivilDate?
    }

    public init(from decoder: any Decoder) throws {
        shared = try SharedValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try shared.encode(to: encoder)
    }
}
