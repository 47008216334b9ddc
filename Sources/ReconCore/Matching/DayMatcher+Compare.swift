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
            if payments.flags[index].isNearEdge {
                let seconds = payments.items.withChunk(holding: index) { $0.effectiveSeconds(at: $1) }
                if let place = nearMidnight(seconds, for: entry) { recordEdge(payments.items[index], entry: entry, at: place) }
            }
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
        let seconds = refunds.items[index].matchTime.epochSeconds
        if let place = nearMidnight(seconds, for: entry) { recordEdge(refunds.items[index], entry: entry, at: place) }
        if refunds.items[index].agrees(with: entry, moves: moves) { return }
        let before = discrepancies.count
        compare(refunds.items[index], entry)
        if discrepancies.count > before { refunds.firstArrivalFindings[index] = before..<discrepancies.count }
    }

    /// Where a local item whose time is `seconds` (since the epoch) lies against the day of a row
    /// of `entry`'s provider: outside the day, in its margin, or inside it within the grace of one
    /// of its edges; `nil` when neither. It takes only the time, so the item is read in place, not
    /// copied, for the many rows whose item lies far from midnight.
    func nearMidnight(_ seconds: Int64, for entry: BillEntry) -> (edge: DayEdge, inMargin: Bool)? {
        let window = window(for: entry.merchant.provider)
        if let side = window.side(of: seconds) { return (side, true) }
        return window.edge(near: seconds, grace: policy.boundaryGrace).map { ($0, false) }
    }

    /// Notes a row whose local item lies near midnight, where ``nearMidnight(_:for:)`` placed it,
    /// for the boundary rule and cross-day duplicates.
    mutating func recordEdge(_ item: some LedgerItem, entry: BillEntry, at place: (edge: DayEdge, inMargin: Bool)) {
        let match = EdgeMatch(
            edge: place.edge, kind: entry.kind, merchant: item.merchant, key: item.key,
            movesMoney: entry.status.movesMoney(for: entry.kind), amount: entry.amount, location: entry.location,
            local: item.observation)
        if place.inMargin {
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
