/// Matching one bill row to its local item and comparing them: one rule for payments and refunds.
extension DayMatcher {
    @inline(__always)
    mutating func matchPayment(_ entry: BillEntry, to index: Int) {
        let moves = entry.status.movesMoney(for: .payment)
        let arrival = payments.arrive(entry, at: index, moves: moves)
        if arrival == .extra { return }
        let (isCombineMember, agrees) = payments.items.withChunk(holding: index) {
            ($0.isCombineMember(at: $1), $0.agrees(at: $1, with: entry, moves: moves))
        }
        if arrival == .first {
            if isCombineMember { combineBillAmounts[index] = entry.amount }
            if payments.flags[index].isNearEdge { recordEdge(payments.items[index], entry: entry) }
        }
        // The order is built from its columns only when something disagrees.
        if agrees { return }
        let before = discrepancies.count
        compare(payments.items[index], entry)
        if arrival == .first, discrepancies.count > before { payments.firstArrivalFindings[index] = before..<discrepancies.count }
    }

    @inline(__always)
    mutating func matchRefund(_ entry: BillEntry, to index: Int) {
        let moves = entry.status.movesMoney(for: .refund)
        guard refunds.arrive(entry, at: index, moves: moves) == .first else { return }
        recordEdge(refunds.items[index], entry: entry)
        if refunds.items[index].agrees(with: entry, moves: moves) { return }
        let before = discrepancies.count
        compare(refunds.items[index], entry)
        if discrepancies.count > before { refunds.firstArrivalFindings[index] = before..<discrepancies.count }
    }

    /// Notes rows for local items near midnight, for the boundary rule and cross-day duplicates.
    mutating func recordEdge(_ item: some LedgerItem, entry: BillEntry) {
        let window = window(for: entry.merchant.provider)
        let seconds = item.matchTime.epochSeconds
        let side = window.side(of: seconds)
        let edge = side == nil ? window.edge(near: seconds, grace: policy.boundaryGrace) : nil
        guard side != nil || edge != nil else { return }
        let match = EdgeMatch(
            edge: side ?? edge!, kind: entry.kind, merchant: item.merchant, key: item.key,
            movesMoney: entry.status.movesMoney(for: entry.kind), amount: entry.amount, location: entry.location,
            local: item.observation)
        if side != nil {
            marginMatches.append(match)
        } else {
            edgeMatches.append(match)
        }
    }

    /// Compares one row with its item: the merchant, then the status, then (for a row that moved
    /// money) the currency and the amount. Each disagreement is one finding.
    mutating func compare<Item: LedgerItem>(_ item: Item, _ entry: BillEntry) {
        let moves = entry.status.movesMoney(for: Item.side)
        // The common case, checked without building anything: the row agrees with the item.
        if item.agrees(with: entry, moves: moves) { return }
        let bill = Observation([entry])
        func finding(_ kind: DiscrepancyKind, difference: Money? = nil, atStake: Money? = nil, _ explanation: String) {
            discrepancies.append(
                item.finding(
                    kind, day: day, merchant: entry.merchant, bill: bill, difference: difference, amountAtStake: atStake,
                    explanation: explanation))
        }
        if entry.merchant != item.merchant {
            finding(
                .merchantMismatch, atStake: entry.amount,
                Explain.merchantMismatch(item.merchantSubject, bill: entry, local: item.merchant))
        }
        if let problem = item.statusProblem(entry, moves: moves) {
            finding(.statusMismatch, difference: problem.difference, problem.explanation)
        }
        guard moves else { return }
        if entry.amount.currency != item.amount.currency {
            finding(
                .currencyMismatch, atStake: entry.amount,
                Explain.currencyMismatch(item.shortSubject, bill: entry, local: item.amount))
        } else if entry.amount != item.amount, let difference = entry.amount.subtracting(item.amount) {
            finding(
                Item.amountMismatch, difference: difference,
                Explain.amountMismatch(item.subject, verb: Item.amountVerb, bill: entry, local: item.amount, difference: difference))
        }
    }
}
