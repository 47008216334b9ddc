/// Turns the answers of the day's queries into discrepancies: `pending_resolved`,
/// `pending_unresolved`, `provider_conflict`, and `combine_inconsistent` when a combine query's
/// sub-orders disagree. Pure: the time of the run comes in as a value.
public struct PendingJudge: Sendable {
    /// The day reconciled.
    public var day: CivilDate
    /// The providers' time zones.
    public var zones: ProviderZones
    /// The merchants whose bill for the day is in the run: their answers are set against it.
    public var billedMerchants: Set<MerchantRef>
    /// How long an item may stay pending at the provider before it is reported, in seconds.
    public var expirySeconds: Int64
    /// The time of the run, in epoch seconds.
    public var now: Int64
    /// The catalogs that quote a provider's last answer.
    public var book: ErrorCodeBook

    /// Two hours: how long a payment may wait for the payer before a pending answer is reported.
    public static let defaultExpirySeconds: Int64 = 7_200

    /// Creates a judge.
    public init(
        day: CivilDate, zones: ProviderZones = ProviderZones(), billedMerchants: Set<MerchantRef>,
        expirySeconds: Int64 = PendingJudge.defaultExpirySeconds, now: Int64, book: ErrorCodeBook
    ) {
        self.book = book
        self.day = day
        self.zones = zones
        self.billedMerchants = billedMerchants
        self.expirySeconds = expirySeconds
        self.now = now
    }

    /// The discrepancies the outcomes show, in report order.
    public func judge(_ outcomes: [QueryOutcome], bill: BillWatch) -> [Discrepancy] {
        var found: [Discrepancy] = []
        for outcome in outcomes {
            found += judge(outcome, bill: bill.entries(for: outcome.item))
        }
        found += combines(outcomes)
        return Discrepancy.inReportOrder(found)
    }

    private func judge(_ outcome: QueryOutcome, bill entries: [BillEntry]) -> [Discrepancy] {
        let item = outcome.item
        switch outcome.result {
        case .notQueried:
            return []
        case .unresolved(let reason, let lastCode):
            let last = lastCode.map { " (last answer \(book.quote($0, provider: item.merchant.provider)))" } ?? ""
            return [
                discrepancy(
                    .pendingUnresolved, item, query: nil, amountAtStake: localAmount(item),
                    explanation: "\(subject(item)) is \(item.localStatus) locally (\(item.reason)); after \(outcome.attempts) "
                        + "attempt\(outcome.attempts == 1 ? "" : "s") the provider gave no usable answer: \(reason)\(last). "
                        + "Query it again, or check it in the provider's console.")
            ]
        case .answered(let answer):
            guard let state = answer.state else { return [] }
            var result: [Discrepancy] = []
            if let conflict = conflict(item, answer, state, entries) { result.append(conflict) }
            if !state.isFinal {
                if now - createdAt(item) > expirySeconds {
                    // The text names the item's own time and the limit, never the run's clock, so a
                    // rerun with the same answers says the same.
                    result.append(
                        discrepancy(
                            .pendingUnresolved, item, query: answer.observation, amountAtStake: localAmount(item),
                            explanation: "\(subject(item)) is still \(answer.providerWord) at the provider, though it was "
                                + "created at \(createdTime(item).rfc3339), more than \(Explain.duration(expirySeconds)) before "
                                + "this run (\(item.reason)); close it at the provider or find out why the payer's side has "
                                + "not finished."))
                }
                return result
            }
            if let suggested = suggestion(item, state) {
                let moved = state.movedMoney != localMovedMoney(item)
                let stake = moved ? (answer.amount ?? localAmount(item)) : nil
                let note = result.isEmpty ? "" : " The bill disagrees with the query, so check before changing the order."
                result.append(
                    discrepancy(
                        .pendingResolved, item, query: answer.observation, suggested: suggested, amountAtStake: stake,
                        explanation: "\(subject(item)) is \(item.localStatus) locally (\(item.reason)) but the provider says "
                            + "\(answer.providerWord)\(answer.amount.map { " (\($0))" } ?? ""): set it to \(suggested)."
                            + note))
            }
            return result
        }
    }

    /// The local status the answer suggests, or `nil` when the store already agrees.
    private func suggestion(_ item: PendingItem, _ state: ProviderState) -> String? {
        switch item.subject {
        case .order(let order):
            guard let suggested = state.suggestedOrderStatus else { return nil }
            switch (order.status, suggested) {
            case (.paid, .paid), (.refunded, .paid), (.partiallyRefunded, .paid): return nil
            case (.closed, .closed), (.failed, .closed), (.closed, .failed), (.failed, .failed): return nil
            default: return suggested.rawValue
            }
        case .refund(let refund):
            guard let suggested = state.suggestedRefundStatus, suggested != refund.status else { return nil }
            return suggested.rawValue
        }
    }

    /// A `provider_conflict` when the bill covering the item's day disagrees with the query.
    private func conflict(
        _ item: PendingItem, _ answer: ProviderAnswer, _ state: ProviderState, _ entries: [BillEntry]
    ) -> Discrepancy? {
        let billMoved = entries.contains { $0.status.movesMoney(for: $0.kind) }
        let queryMoved = item.isRefund ? (state == .refundSucceeded || state == .refundProcessing) : state == .paid
        let billObservation = entries.isEmpty ? nil : Observation(entries)
        if billMoved != queryMoved {
            if queryMoved && entries.isEmpty {
                // A silent bill disagrees only if it is in the run and covers the time the money moved.
                let when = answer.time?.epochSeconds ?? createdAt(item)
                guard billedMerchants.contains(item.merchant),
                    zones.window(day, for: item.merchant.provider).contains(when)
                else { return nil }
            }
            let billSays = entries.isEmpty ? "of \(day) has no row for it" : "shows it \(billObservation?.status ?? "")"
            let row = billObservation?.locations.first.map { " (\($0.shortDescription))" } ?? ""
            return discrepancy(
                .providerConflict, item, query: answer.observation, bill: billObservation,
                amountAtStake: answer.amount ?? billObservation?.amount ?? localAmount(item),
                explanation: "The provider's query says \(subject(item)) is \(answer.providerWord) but its bill \(billSays)"
                    + "\(row); ask the provider which is right before changing the store.")
        }
        if billMoved, queryMoved, let queried = answer.amount, let billed = billObservation?.amount,
            queried != billed, queried.currency == billed.currency
        {
            return discrepancy(
                .providerConflict, item, query: answer.observation, bill: billObservation,
                difference: billed.subtracting(queried),
                explanation: "The provider's query says \(subject(item)) moved \(queried) but its bill shows \(billed) "
                    + "(\(billObservation!.locations.first!.shortDescription)); ask the provider which is right.")
        }
        return nil
    }

    /// `combine_inconsistent` for combine queries whose sub-orders are partly paid.
    private func combines(_ outcomes: [QueryOutcome]) -> [Discrepancy] {
        var seen: Set<String> = []
        var found: [Discrepancy] = []
        for outcome in outcomes {
            guard case .order(let order) = outcome.item.subject, let combine = order.combineOutTradeNo,
                let answer = outcome.answer, !answer.subOrders.isEmpty, seen.insert(combine).inserted
            else { continue }
            let finals = answer.subOrders.filter { $0.state?.isFinal == true }
            let paid = finals.filter { $0.state == .paid }
            guard !paid.isEmpty, paid.count != finals.count else { continue }
            let unpaid = finals.filter { $0.state != .paid }
            let described = answer.subOrders.map { "\($0.outTradeNo) \($0.providerWord)" }.joined(separator: ", ")
            found.append(
                Discrepancy(
                    kind: .combineInconsistent, day: day, merchant: order.merchant, combineOutTradeNo: combine,
                    query: Observation(status: "PARTLY_PAID"),
                    amountAtStake: Self.sum(unpaid.compactMap(\.amount)),
                    explanation: "The combine query of \(combine) shows some sub-orders paid and others not (\(described)); "
                        + "a combine payment succeeds or fails as a whole, so ask the provider.",
                    related: answer.subOrders.map(\.outTradeNo)))
        }
        return found
    }

    /// The sum of amounts in the first one's currency, or `nil` when there are none.
    private static func sum(_ amounts: [Money]) -> Money? {
        guard let first = amounts.first else { return nil }
        var total = Money.zero(first.currency)
        for amount in amounts where amount.currency == first.currency { total = total.adding(amount) ?? total }
        return total
    }

    private func discrepancy(
        _ kind: DiscrepancyKind, _ item: PendingItem, query: Observation?, bill: Observation? = nil,
        suggested: String? = nil, difference: Money? = nil, amountAtStake: Money? = nil, explanation: String
    ) -> Discrepancy {
        let local: Observation
        var outTradeNo = item.outTradeNo
        var outRefundNo: String?
        var combine: String?
        switch item.subject {
        case .order(let order):
            local = Observation(order)
            combine = order.combineOutTradeNo
        case .refund(let refund):
            local = Observation(refund)
            outTradeNo = refund.outTradeNo
            outRefundNo = refund.outRefundNo
        }
        return Discrepancy(
            kind: kind, day: day, merchant: item.merchant, outTradeNo: outTradeNo, outRefundNo: outRefundNo,
            combineOutTradeNo: combine, local: local, bill: bill, query: query, suggestedStatus: suggested,
            difference: difference, amountAtStake: amountAtStake, explanation: explanation)
    }

    private func subject(_ item: PendingItem) -> String {
        switch item.subject {
        case .order(let order): "Order \(order.outTradeNo)"
        case .refund(let refund): "Refund \(refund.outRefundNo) of order \(refund.outTradeNo)"
        }
    }

    private func localAmount(_ item: PendingItem) -> Money {
        switch item.subject {
        case .order(let order): order.amount
        case .refund(let refund): refund.amount
        }
    }

    private func localMovedMoney(_ item: PendingItem) -> Bool {
        switch item.subject {
        case .order(let order): order.status.isPaid
        case .refund(let refund): refund.status == .success
        }
    }

    private func createdTime(_ item: PendingItem) -> Timestamp {
        switch item.subject {
        case .order(let order): order.createdAt
        case .refund(let refund): refund.createdAt
        }
    }

    private func createdAt(_ item: PendingItem) -> Int64 { createdTime(item).epochSeconds }
}
