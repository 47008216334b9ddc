/// One disagreement found by the matcher, with both sides and a one-line explanation.
public struct Discrepancy: ItemFinding, Hashable, Sendable, Identifiable, Codable {
    /// What kind of disagreement it is.
    public var kind: DiscrepancyKind {
        get { shared.value.kind }
        set {
            shared.value.kind = newValue
            refreshID()
        }
    }
    /// The day reconciled when it was found.
    public var day: CivilDate {
        get { shared.value.day }
        set {
            shared.value.day = newValue
            refreshID()
        }
    }
    /// The merchant account it belongs to.
    public var merchant: MerchantRef {
        get { shared.value.merchant }
        set {
            shared.value.merchant = newValue
            refreshID()
        }
    }
    /// The order concerned, if any.
    public var outTradeNo: String? {
        get { shared.value.outTradeNo }
        set {
            shared.value.outTradeNo = newValue
            refreshID()
        }
    }
    /// The refund concerned, if any.
    public var outRefundNo: String? {
        get { shared.value.outRefundNo }
        set {
            shared.value.outRefundNo = newValue
            refreshID()
        }
    }
    /// The combine order concerned, if any.
    public var combineOutTradeNo: String? {
        get { shared.value.combineOutTradeNo }
        set {
            shared.value.combineOutTradeNo = newValue
            refreshID()
        }
    }
    /// What the store says; `nil` when the store has nothing.
    public var local: Observation? {
        get { shared.value.local }
        set { shared.value.local = newValue }
    }
    /// What the bill says; `nil` when the bill has nothing.
    public var bill: Observation? {
        get { shared.value.bill }
        set { shared.value.bill = newValue }
    }
    /// What the provider's order or refund query says; `nil` when it was not asked.
    public var query: Observation? {
        get { shared.value.query }
        set { shared.value.query = newValue }
    }
    /// The local status the provider's answer suggests (`PAID`, `CLOSED`, `SUCCESS`, …), for
    /// ``DiscrepancyKind/pendingResolved``.
    public var suggestedStatus: String? {
        get { shared.value.suggestedStatus }
        set { shared.value.suggestedStatus = newValue }
    }
    /// Bill minus store, in minor units of the shared currency; a missing side counts as zero.
    /// `nil` when the sides cannot be subtracted (different currencies, or a question of dates).
    public var difference: Money? {
        get { shared.value.difference }
        set { shared.value.difference = newValue }
    }
    /// The money the discrepancy puts in doubt, as a non-negative amount.
    public var amountAtStake: Money? {
        get { shared.value.amountAtStake }
        set { shared.value.amountAtStake = newValue }
    }
    /// One sentence for people: what disagrees and what it likely means.
    public var explanation: String {
        get { shared.value.explanation }
        set { shared.value.explanation = newValue }
    }
    /// Other orders involved, such as the sub-orders of a combine payment.
    public var related: [String] {
        get { shared.value.related }
        set { shared.value.related = newValue }
    }

    /// The values, shared by copies until one of them changes (see ``SharedValue``).
    private var shared: SharedValue<Fields>
    /// The hash ``id`` shows (``StableID/text(_:)``), kept current as the fields of the
    /// ``identity`` change: reports and results ask for a finding's id several times each, and
    /// may look findings up by the number rather than the text.
    public private(set) var idHash: UInt64 = 0

    /// Creates a discrepancy.
    public init(
        kind: DiscrepancyKind, day: CivilDate, merchant: MerchantRef, outTradeNo: String? = nil,
        outRefundNo: String? = nil, combineOutTradeNo: String? = nil, local: Observation? = nil,
        bill: Observation? = nil, query: Observation? = nil, suggestedStatus: String? = nil, difference: Money? = nil,
        amountAtStake: Money? = nil, explanation: String, related: [String] = []
    ) {
        shared = SharedValue(
            Fields(
                kind: kind, day: day, merchant: merchant, outTradeNo: outTradeNo, outRefundNo: outRefundNo,
                combineOutTradeNo: combineOutTradeNo, local: local, bill: bill, query: query,
                suggestedStatus: suggestedStatus, difference: difference,
                amountAtStake: amountAtStake ?? difference?.magnitude, explanation: explanation, related: related))
        refreshID()
    }

    /// What makes two findings the same finding: the same day, merchant, kind and subject.
    public struct Identity: Hashable, Sendable {
        /// The day reconciled.
        public var day: CivilDate
        /// The merchant account.
        public var merchant: MerchantRef
        /// The kind of disagreement.
        public var kind: DiscrepancyKind
        /// The refund, order or combine order it is about (``Discrepancy/subject``).
        public var subject: String

        /// The subject and kind alone: findings that share them but not the day or merchant are
        /// rare, and equality still tells them apart.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(subject)
            hasher.combine(kind)
        }
    }

    /// The finding's ``Identity``.
    public var identity: Identity { Identity(day: day, merchant: merchant, kind: kind, subject: subject) }

    /// A stable id: the same ``Identity`` always gives the same id.
    public var id: String { StableID.text(idHash) }

    private mutating func refreshID() {
        idHash = StableID.hash([day.description, merchant.provider.rawValue, merchant.merchantID, kind.rawValue, subject])
    }

    /// `discrepancies` in ``ItemFinding/listOrder(_:_:)``, stably. Positions are sorted, by keys taken
    /// once, and each discrepancy moved once, rather than the large values moved at every step.
    public static func inReportOrder(_ discrepancies: [Discrepancy]) -> [Discrepancy] {
        let subjects = discrepancies.map(\.subject)
        return discrepancies.withUnsafeBufferPointer { list in
            list.indices.sorted { listedBefore(list[$0], subject: subjects[$0], list[$1], subject: subjects[$1]) }
                .map { list[$0] }
        }
    }
}

extension Discrepancy {
    /// The values themselves; their names are the discrepancy's `Codable` keys.
    private struct Fields: Hashable, Codable, Sendable {
        var kind: DiscrepancyKind
        var day: CivilDate
        var merchant: MerchantRef
        var outTradeNo: String?
        var outRefundNo: String?
        var combineOutTradeNo: String?
        var local: Observation?
        var bill: Observation?
        var query: Observation?
        var suggestedStatus: String?
        var difference: Money?
        var amountAtStake: Money?
        var explanation: String
        var related: [String]
    }

    public init(from decoder: any Decoder) throws {
        shared = try SharedValue(from: decoder)
        refreshID()
    }

    public func encode(to encoder: any Encoder) throws {
        try shared.encode(to: encoder)
    }
}

extension Discrepancy {
    /// Adds the store's last call to the explanation, quoted from the provider's error-code catalog:
    /// " The store's last call for it ended with E02 — Network timeout or error (query_to_confirm)."
    /// Does nothing when the store recorded no code, or the explanation already quotes it.
    public mutating func quoteLastCall(book: ErrorCodeBook) {
        guard let code = local?.lastErrorCode, !code.isEmpty else { return }
        let provider = local?.merchant?.provider ?? merchant.provider
        let quoted = book.quote(code, provider: provider)
        guard !explanation.contains(quoted) else { return }
        let category = book.category(of: code, provider: provider).map { " (\($0.rawValue))" } ?? ""
        explanation += " The store's last call for it ended with \(quoted)\(category)."
    }
}
