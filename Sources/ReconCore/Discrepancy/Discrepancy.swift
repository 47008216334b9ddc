/// One disagreement found by the matcher, with both sides and a one-line explanation.
public struct Discrepancy: Hashable, Sendable, Identifiable, Codable {
    /// What kind of disagreement it is.
    public var kind: DiscrepancyKind
    /// The day reconciled when it was found.
    public var day: CivilDate
    /// The merchant account it belongs to.
    public var merchant: MerchantRef
    /// The order concerned, if any.
    public var outTradeNo: String?
    /// The refund concerned, if any.
    public var outRefundNo: String?
    /// The combine order concerned, if any.
    public var combineOutTradeNo: String?
    /// What the store says; `nil` when the store has nothing.
    public var local: Observation?
    /// What the bill says; `nil` when the bill has nothing.
    public var bill: Observation?
    /// What the provider's order or refund query says; `nil` when it was not asked.
    public var query: Observation?
    /// The local status the provider's answer suggests (`PAID`, `CLOSED`, `SUCCESS`, …), for
    /// ``DiscrepancyKind/pendingResolved``.
    public var suggestedStatus: String?
    /// Bill minus store, in minor units of the shared currency; a missing side counts as zero.
    /// `nil` when the sides cannot be subtracted (different currencies, or a question of dates).
    public var difference: Money?
    /// The money the discrepancy puts in doubt, as a non-negative amount.
    public var amountAtStake: Money?
    /// One sentence for people: what disagrees and what it likely means.
    public var explanation: String
    /// Other orders involved, such as the sub-orders of a combine payment.
    public var related: [String]

    /// Creates a discrepancy.
    public init(
        kind: DiscrepancyKind, day: CivilDate, merchant: MerchantRef, outTradeNo: String? = nil,
        outRefundNo: String? = nil, combineOutTradeNo: String? = nil, local: Observation? = nil,
        bill: Observation? = nil, query: Observation? = nil, suggestedStatus: String? = nil, difference: Money? = nil,
        amountAtStake: Money? = nil, explanation: String, related: [String] = []
    ) {
        self.kind = kind
        self.day = day
        self.merchant = merchant
        self.outTradeNo = outTradeNo
        self.outRefundNo = outRefundNo
        self.combineOutTradeNo = combineOutTradeNo
        self.local = local
        self.bill = bill
        self.query = query
        self.suggestedStatus = suggestedStatus
        self.difference = difference
        self.amountAtStake = amountAtStake ?? difference?.magnitude
        self.explanation = explanation
        self.related = related
    }

    /// The key the discrepancy is about: the refund, else the order, else the combine order.
    public var subject: String { outRefundNo ?? outTradeNo ?? combineOutTradeNo ?? "" }

    /// A stable id: the same day, merchant, kind and subject always give the same id.
    public var id: String {
        StableID.make([day.description, merchant.provider.rawValue, merchant.merchantID, kind.rawValue, subject])
    }

    /// The order reports list discrepancies in: by merchant, then subject, then kind.
    public static func reportOrder(_ lhs: Discrepancy, _ rhs: Discrepancy) -> Bool {
        precedes(lhs, subject: lhs.subject, rhs, subject: rhs.subject)
    }

    /// ``reportOrder(_:_:)`` with the subjects already at hand.
    @inline(__always)
    private static func precedes(_ lhs: Discrepancy, subject lhsSubject: String, _ rhs: Discrepancy, subject rhsSubject: String) -> Bool {
        if lhs.day != rhs.day { return lhs.day < rhs.day }
        if lhs.merchant != rhs.merchant { return lhs.merchant < rhs.merchant }
        if lhsSubject != rhsSubject { return lhsSubject < rhsSubject }
        return lhs.kind < rhs.kind
    }

    /// `discrepancies` in ``reportOrder(_:_:)``, stably. Positions are sorted, by keys taken
    /// once, and each discrepancy moved once, rather than the large values moved at every step.
    public static func inReportOrder(_ discrepancies: [Discrepancy]) -> [Discrepancy] {
        let subjects = discrepancies.map(\.subject)
        return discrepancies.withUnsafeBufferPointer { list in
            list.indices.sorted { precedes(list[$0], subject: subjects[$0], list[$1], subject: subjects[$1]) }.map { list[$0] }
        }
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
