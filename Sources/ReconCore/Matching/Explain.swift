/// The one-line explanations attached to discrepancies. Each says what disagrees and what it
/// likely means, in words an operator can act on.
enum Explain {
    static func missingInBill(_ order: Order, day: CivilDate) -> String {
        "Order \(order.outTradeNo) is \(order.status.rawValue) locally (\(order.amount), paid \(order.effectiveTime)) "
            + "but \(order.merchant)'s bill for \(day) has no payment for it: confirm with an order query "
            + "before treating it as paid."
    }

    static func refundMissingInBill(_ refund: Refund, day: CivilDate) -> String {
        "Refund \(refund.outRefundNo) of order \(refund.outTradeNo) is SUCCESS locally (\(refund.amount), requested "
            + "\(refund.createdAt)) but \(refund.merchant)'s bill for \(day) has no refund row for it: confirm with "
            + "a refund query."
    }

    static func missingLocally(_ entry: BillEntry) -> String {
        "The bill charges \(entry.amount) for order \(entry.outTradeNo) (\(entry.location.shortDescription)) but the store has no "
            + "such order: money was taken for an order the merchant does not know."
    }

    static func refundMissingLocally(_ entry: BillEntry) -> String {
        "The bill refunds \(entry.amount) as \(entry.outRefundNo ?? "?") of order \(entry.outTradeNo) "
            + "(\(entry.location.shortDescription)) but the store has no such refund: money went back to a customer without a record."
    }

    static func amountMismatch(
        _ subject: String, verb: String, bill entry: BillEntry, local: Money, difference: Money
    ) -> String {
        "\(subject): the bill \(verb) \(entry.amount) (\(entry.location.shortDescription)), the store records \(local) "
            + "(bill − store = \(signed(difference)))."
    }

    static func currencyMismatch(_ subject: String, bill entry: BillEntry, local: Money) -> String {
        "\(subject): the bill is in \(entry.amount.currency) (\(entry.amount), \(entry.location.shortDescription)), the store in "
            + "\(local.currency) (\(local)); the amounts cannot be compared until the currency is corrected."
    }

    static func paidInBillOnly(_ order: Order, _ entry: BillEntry) -> String {
        "Order \(order.outTradeNo) is \(order.status.rawValue) locally but the bill shows it paid (\(entry.amount) at "
            + "\(entry.time), \(entry.location.shortDescription)): the customer was charged; update the order after an order query "
            + "confirms it."
    }

    static func paidLocallyOnly(_ order: Order, _ entry: BillEntry) -> String {
        "Order \(order.outTradeNo) is \(order.status.rawValue) locally but the bill shows \(entry.providerStatus) "
            + "(\(entry.location.shortDescription)): the provider did not keep the money; do not ship or settle it."
    }

    /// Asked of every refund row the bills list: the subject is written only for a problem.
    static func refundStatusProblem(_ refund: Refund, _ entry: BillEntry) -> String? {
        var subject: String { "Refund \(refund.outRefundNo) of order \(refund.outTradeNo)" }
        switch (entry.status, refund.status) {
        case (.success, .failed):
            return "\(subject) is FAILED locally but the bill shows it succeeded (\(entry.amount), \(entry.location.shortDescription)): "
                + "the money went back to the customer; do not refund again."
        case (.success, .pending):
            return "\(subject) is still PENDING locally but the bill shows it succeeded (\(entry.amount), "
                + "\(entry.location.shortDescription)): mark it SUCCESS after a refund query confirms it."
        case (.processing, .failed):
            return "\(subject) is FAILED locally but the bill shows it accepted and processing (\(entry.location.shortDescription)): "
                + "the money is on its way to the customer; do not refund again."
        case (.failed, .success), (.abnormal, .success):
            return "\(subject) is SUCCESS locally but the bill shows \(entry.providerStatus) (\(entry.location.shortDescription)): "
                + "the customer has not got the money back; handle the refund by hand."
        default:
            return nil
        }
    }

    static func merchantMismatch(_ subject: String, bill entry: BillEntry, local: MerchantRef) -> String {
        "\(subject.prefix(1).uppercased() + subject.dropFirst()) is in \(entry.merchant)'s bill (\(entry.location.shortDescription)) "
            + "but the store assigns it to \(local): the money reached another merchant account."
    }

    static func dateMismatch(
        key: String, isRefund: Bool, localTime: Timestamp, entry: BillEntry, day: CivilDate
    ) -> String {
        let subject = isRefund ? "Refund \(key)" : "Order \(key)"
        let event = isRefund ? "refunded" : "paid"
        return "\(subject) is \(event) in \(day)'s bill (\(entry.time), \(entry.location.shortDescription)) but the store dates it "
            + "\(localTime): a second \(isRefund ? "refund" : "charge") or a wrong local time; check the bill of "
            + "\(localTime.wallClock.date)."
    }

    static func duplicate(
        key: String, isRefund: Bool, locations: [SourceLocation], place: String = "in the bills"
    ) -> String {
        let subject = isRefund ? "Refund \(key)" : "Order \(key)"
        let lines = locations.map(\.shortDescription).joined(separator: ", ")
        return "\(subject) appears \(locations.count) times \(place) (\(lines)): the customer may have been "
            + (isRefund ? "refunded" : "charged") + " more than once."
    }

    static func timing(
        _ subject: String, verb: String, time: Timestamp, edge: DayEdge, day: CivilDate, grace: Int64
    ) -> String {
        let neighbour = edge.neighbour(of: day)
        return "\(subject) was \(verb) at \(time), within \(duration(grace)) of midnight, and is not in \(day)'s "
            + "bill; \(neighbour)'s bill is not in this run and is expected to hold it."
    }

    static func statusSummary(_ members: [Order]) -> String {
        members.map { "\($0.outTradeNo)=\($0.status.rawValue)" }.joined(separator: " ")
    }

    static func signed(_ money: Money) -> String {
        money.minorUnits > 0 ? "+\(money.amountText) \(money.currency)" : "\(money.amountText) \(money.currency)"
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
