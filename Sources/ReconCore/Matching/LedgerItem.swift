/// An order or a refund as the matcher sees it: what a bill row is compared with. Each matching
/// rule is written once over this protocol and serves payments and refunds alike; what differs
/// between them is stated here, once per side.
protocol LedgerItem: Sendable {
    /// The kind of bill row that names the item.
    static var side: BillEntry.Kind { get }
    /// The finding when the bill's amount differs from the store's.
    static var amountMismatch: DiscrepancyKind { get }
    /// The finding when the store says money moved and the bill has no row for it.
    static var missingInBill: DiscrepancyKind { get }
    /// The verb of the amount-mismatch explanation: "charged", "refunded".
    static var amountVerb: String { get }
    /// The verb of the timing explanation: "paid", "requested".
    static var timeVerb: String { get }

    /// The key bill rows name it by: the order's or the refund's number.
    var key: String { get }
    /// The order's number (a refund's order).
    var outTradeNo: String { get }
    /// The refund's number; `nil` for an order.
    var refundNumber: String? { get }
    var merchant: MerchantRef { get }
    var amount: Money { get }
    /// The time the day's window and the boundary rule go by.
    var matchTime: Timestamp { get }
    /// The store's side of a finding.
    var observation: Observation { get }
    /// Whether the store says money moved, so the bill must list it.
    var expectsBillRow: Bool { get }
    /// Whether a row found outside the day is compared by date (a payment only when the store has it paid).
    var comparesDates: Bool { get }
    /// How an amount-mismatch finding names it: "Order X", "Refund R of order X".
    var subject: String { get }
    /// How currency and timing findings name it: "Order X", "Refund R".
    var shortSubject: String { get }
    /// How a merchant mismatch names it.
    var merchantSubject: String { get }

    /// A finding about this item, with its keys filled in.
    func finding(
        _ kind: DiscrepancyKind, day: CivilDate, merchant: MerchantRef, bill: Observation?, difference: Money?,
        amountAtStake: Money?, explanation: String
    ) -> Discrepancy
    /// How a row's status disagrees with the item's (its explanation and bill − store), or `nil`.
    func statusProblem(_ entry: BillEntry, moves: Bool) -> (explanation: String, difference: Money)?
    /// The explanation when the bill for `day` lacks the item.
    func missingExplanation(day: CivilDate) -> String
    /// The finding for rows under `key` that no store row has: money moved that the store does not know of.
    static func missingLocally(key: String, first: BillEntry, rows: Observation, day: CivilDate) -> Discrepancy
}

extension LedgerItem {
    /// Whether a row agrees with the item in every way that is compared, checked without building anything.
    @inline(__always)
    func agrees(with entry: BillEntry, moves: Bool) -> Bool {
        entry.merchant == merchant && (!moves || entry.amount == amount) && statusProblem(entry, moves: moves) == nil
    }

    /// Whether a row counts as an arrival for the item: for a payment, a row that moved money;
    /// for a refund, any row.
    static func counts(moves: Bool) -> Bool {
        side == .refund || moves
    }
}

extension Order: LedgerItem {
    static var side: BillEntry.Kind { .payment }
    static var amountMismatch: DiscrepancyKind { .amountMismatch }
    static var missingInBill: DiscrepancyKind { .missingInBill }
    static var amountVerb: String { "charged" }
    static var timeVerb: String { "paid" }

    var key: String { outTradeNo }
    var refundNumber: String? { nil }
    var matchTime: Timestamp { effectiveTime }
    var observation: Observation { Observation(self) }
    var expectsBillRow: Bool { Self.expectsBillRow(status: status) }
    var comparesDates: Bool { status.isPaid }
    var subject: String { "Order \(outTradeNo)" }
    var shortSubject: String { "Order \(outTradeNo)" }
    var merchantSubject: String { outTradeNo }

    /// An order the store has paid expects a bill row.
    static func expectsBillRow(status: OrderStatus) -> Bool { status.isPaid }

    func finding(
        _ kind: DiscrepancyKind, day: CivilDate, merchant: MerchantRef, bill: Observation?, difference: Money?,
        amountAtStake: Money?, explanation: String
    ) -> Discrepancy {
        Discrepancy(
            kind: kind, day: day, merchant: merchant, outTradeNo: outTradeNo,
            combineOutTradeNo: kind == .merchantMismatch ? nil : combineOutTradeNo, local: observation, bill: bill,
            difference: difference, amountAtStake: amountAtStake, explanation: explanation)
    }

    @inline(__always)
    func statusProblem(_ entry: BillEntry, moves: Bool) -> (explanation: String, difference: Money)? {
        if moves, !status.isPaid { return (Explain.paidInBillOnly(self, entry), entry.amount) }
        if !moves, status.isPaid { return (Explain.paidLocallyOnly(self, entry), amount.negated) }
        return nil
    }

    func missingExplanation(day: CivilDate) -> String { Explain.missingInBill(self, day: day) }

    static func missingLocally(key: String, first: BillEntry, rows: Observation, day: CivilDate) -> Discrepancy {
        Discrepancy(
            kind: .missingLocally, day: day, merchant: first.merchant, outTradeNo: key, bill: rows, difference: first.amount,
            explanation: Explain.missingLocally(first))
    }
}

extension OrderTable {
    /// ``LedgerItem/agrees(with:moves:)`` for the order at `position`, read from its columns
    /// without building it: the same merchant, the same amount when the row moved money, and
    /// paid exactly when the row moved money (``Order/statusProblem(_:moves:)`` finds nothing).
    @inline(__always)
    func agrees(at position: Int, with entry: BillEntry, moves: Bool) -> Bool {
        status(at: position).isPaid == moves && has(merchant: entry.merchant, amount: moves ? entry.amount : nil, at: position)
    }
}

extension Refund: LedgerItem {
    static var side: BillEntry.Kind { .refund }
    static var amountMismatch: DiscrepancyKind { .refundAmountMismatch }
    static var missingInBill: DiscrepancyKind { .refundMissingInBill }
    static var amountVerb: String { "refunded" }
    static var timeVerb: String { "requested" }

    var key: String { outRefundNo }
    var refundNumber: String? { outRefundNo }
    var matchTime: Timestamp { createdAt }
    var observation: Observation { Observation(self) }
    var expectsBillRow: Bool { status == .success }
    var comparesDates: Bool { true }
    var subject: String { "Refund \(outRefundNo) of order \(outTradeNo)" }
    var shortSubject: String { "Refund \(outRefundNo)" }
    var merchantSubject: String { "refund \(outRefundNo)" }

    func finding(
        _ kind: DiscrepancyKind, day: CivilDate, merchant: MerchantRef, bill: Observation?, difference: Money?,
        amountAtStake: Money?, explanation: String
    ) -> Discrepancy {
        Discrepancy(
            kind: kind, day: day, merchant: merchant, outTradeNo: outTradeNo, outRefundNo: outRefundNo, local: observation,
            bill: bill, difference: difference, amountAtStake: amountAtStake, explanation: explanation)
    }

    @inline(__always)
    func statusProblem(_ entry: BillEntry, moves: Bool) -> (explanation: String, difference: Money)? {
        Explain.refundStatusProblem(self, entry).map { ($0, moves ? entry.amount : amount.negated) }
    }

    func missingExplanation(day: CivilDate) -> String { Explain.refundMissingInBill(self, day: day) }

    static func missingLocally(key: String, first: BillEntry, rows: Observation, day: CivilDate) -> Discrepancy {
        Discrepancy(
            kind: .refundMissingLocally, day: day, merchant: first.merchant, outTradeNo: first.outTradeNo, outRefundNo: key,
            bill: rows, difference: first.amount, explanation: Explain.refundMissingLocally(first))
    }
}
