/// The combine check: a combine payment (合单支付) is one payment of 2 to 10 sub-orders, so its
/// sub-orders must all be paid or none, all be in the bills or none, add up in the bills as in the
/// store, and have been paid together.
extension DayMatcher {
    /// The sum of `amounts`, all in `currency`; `nil` when one is in another currency or the sum
    /// does not fit.
    static func sum(_ amounts: [Money], currency: Currency) -> Money? {
        var total = Money.zero(currency)
        for amount in amounts {
            guard let next = total.adding(amount) else { return nil }
            total = next
        }
        return total
    }

    mutating func checkCombinePayments(_ lookup: LookupResult) {
        for parent in combineParents.sorted() {
            let members = (lookup.combineMembers[parent] ?? dayMembers(of: parent)).sorted { $0.outTradeNo < $1.outTradeNo }
            checkCombine(parent, members: members)
        }
    }

    /// The day's orders that are sub-orders of `parent`.
    private func dayMembers(of parent: String) -> [Order] {
        payments.items.indices.lazy
            .filter { self.payments.items.withChunk(holding: $0) { $0.isCombineMember(at: $1) } }
            .map { self.payments.items[$0] }
            .filter { $0.combineOutTradeNo == parent }
    }

    private mutating func checkCombine(_ parent: String, members: [Order]) {
        var problems: [String] = []
        if !(2...10).contains(members.count) {
            problems.append("it has \(members.count) sub-order(s), but a combine payment has 2 to 10")
        }
        let paid = members.filter(\.status.isPaid)
        if !paid.isEmpty, paid.count < members.count {
            let unpaid = members.filter { !$0.status.isPaid }.map { "\($0.outTradeNo) \($0.status.rawValue)" }
            problems.append(
                "the store has \(paid.map(\.outTradeNo).joined(separator: ", ")) paid but "
                    + unpaid.joined(separator: ", "))
        }
        var inBill: [(order: Order, billed: Money)] = []
        var absent: [Order] = []
        for member in members where coverage.covers(member.merchant, on: day, .payment) {
            guard let index = locator.orderPosition(of: member.outTradeNo) else { continue }
            if let billed = combineBillAmounts[index] {
                inBill.append((member, billed))
            } else if payments.flags[index].isCore {
                absent.append(member)
            }
        }
        if !inBill.isEmpty, !absent.isEmpty {
            problems.append(
                "the bills pay \(inBill.map(\.order.outTradeNo).joined(separator: ", ")) but not "
                    + absent.map(\.outTradeNo).joined(separator: ", "))
        }
        var difference: Money? = nil
        if let currency = inBill.first?.order.amount.currency,
            inBill.allSatisfy({ $0.order.amount.currency == currency && $0.billed.currency == currency })
        {
            let local = Self.sum(inBill.map(\.order.amount), currency: currency)
            let billed = Self.sum(inBill.map(\.billed), currency: currency)
            if let local, let billed, local != billed {
                difference = billed.subtracting(local)
                problems.append("its sub-orders in the bills add up to \(billed), the store's to \(local)")
            } else if local == nil || billed == nil {
                statistics.overflowedSums.append("the sub-orders of combine order \(parent)")
            }
        }
        let paidTimes = members.compactMap(\.paidAt).map(\.epochSeconds)
        if let earliest = paidTimes.min(), let latest = paidTimes.max(), latest - earliest > policy.boundaryGrace {
            problems.append("its sub-orders were paid \(Explain.duration(latest - earliest)) apart")
        }
        guard !problems.isEmpty else { return }
        let owner = members.first { coverage.covers($0.merchant, on: day, .payment) } ?? members[0]
        let total = members.first.flatMap { first in Self.sum(members.map(\.amount), currency: first.amount.currency) }
        if total == nil, !members.isEmpty, members.allSatisfy({ $0.amount.currency == members[0].amount.currency }) {
            statistics.overflowedSums.append("the sub-orders of combine order \(parent)")
        }
        discrepancies.append(
            Discrepancy(
                kind: .combineInconsistent, day: day, merchant: owner.merchant, combineOutTradeNo: parent,
                local: Observation(amount: total, status: Explain.statusSummary(members)),
                bill: inBill.isEmpty ? nil : Observation(amount: inBill.first?.billed),
                difference: difference, amountAtStake: difference?.magnitude ?? total,
                explanation: "Combine order \(parent): " + problems.joined(separator: "; ") + ".",
                related: members.map(\.outTradeNo)))
    }
}
