/// Finishing a day: settling what only the whole day's rows decide, for payments and refunds alike.
extension DayMatcher {
    /// Leaves out orders whose key an earlier chunk also holds (the row changed between two
    /// parallel reads of the store), then records the local counts and totals. Only the first
    /// order with a key is ever matched, so a repeat is one that no row named. Every order no row
    /// named is looked up (on a day with many unpaid orders, most of them), by its number's bytes
    /// where they lie.
    mutating func settleRepeatedKeys() {
        let starts = locator.chunkStarts
        let locator = locator
        for chunk in starts.indices.dropFirst().dropLast() {
            for index in starts[chunk]..<starts[chunk + 1]
            where payments.flags[index].isCore && !payments.flags[index].present
                && payments.items.withKey(at: index, locator.orderPosition(of:)) != index
            {
                payments.flags[index].isCore = false
                orderTally.remove(payments.items[index])
            }
        }
        statistics.localOrders = orderTally.byStatus.reduce(0, +)
        for status in OrderStatus.allCases where orderTally.byStatus[status.index] > 0 {
            statistics.localOrdersByStatus[status] = orderTally.byStatus[status.index]
        }
        statistics.localPaid = orderTally.paid.totals
        statistics.billPaid = billPaid.totals
        statistics.billRefunded = billRefunded.totals
    }

    /// For items with several rows, makes the row earliest in the files the compared one: if a
    /// later-arriving row comes first in the files, the findings of the row that arrived first are
    /// dropped and the earlier row is compared instead.
    mutating func settleDuplicateArrivals() {
        var dropped = Set<Int>()
        for swap in payments.settleArrivals() {
            if let findings = payments.firstArrivalFindings[swap.index] { dropped.formUnion(findings) }
            if payments.items[swap.index].combineOutTradeNo != nil { combineBillAmounts[swap.index] = swap.earliest.amount }
            relocateEdgeMatch(key: payments.items[swap.index].key, kind: .payment, from: swap.replaced, to: swap.earliest)
            compare(payments.items[swap.index], swap.earliest)
        }
        for swap in refunds.settleArrivals() {
            if let findings = refunds.firstArrivalFindings[swap.index] { dropped.formUnion(findings) }
            relocateEdgeMatch(key: refunds.items[swap.index].key, kind: .refund, from: swap.replaced, to: swap.earliest)
            compare(refunds.items[swap.index], swap.earliest)
        }
        if !dropped.isEmpty {
            discrepancies = discrepancies.indices.filter { !dropped.contains($0) }.map { discrepancies[$0] }
        }
    }

    private mutating func relocateEdgeMatch(key: String, kind: BillEntry.Kind, from old: SourceLocation, to entry: BillEntry) {
        for index in marginMatches.indices where marginMatches[index].key == key && marginMatches[index].kind == kind
            && marginMatches[index].location == old
        {
            marginMatches[index].location = entry.location
            marginMatches[index].amount = entry.amount
        }
        for index in edgeMatches.indices where edgeMatches[index].key == key && edgeMatches[index].kind == kind
            && edgeMatches[index].location == old
        {
            edgeMatches[index].location = entry.location
            edgeMatches[index].amount = entry.amount
        }
    }

    /// Joins findings that are the same finding (``Discrepancy/Identity``: the same kind about the
    /// same item), keeping the first and collecting every bill row they name.
    ///
    /// Findings are looked up by the hash their id is made of, which each already holds; two
    /// findings with the same hash are the same only when their identities are equal, and a
    /// different identity with a hash already taken is looked up by its identity.
    static func merged(_ discrepancies: [Discrepancy]) -> [Discrepancy] {
        var positions: [UInt64: Int] = [:]
        positions.reserveCapacity(discrepancies.count)
        var sharingHash: [Discrepancy.Identity: Int] = [:]
        var result: [Discrepancy] = []
        result.reserveCapacity(discrepancies.count)
        for index in discrepancies.indices {
            let hash = discrepancies[index].idHash
            var same: Int?
            if let first = positions[hash] {
                let identity = discrepancies[index].identity
                same = result[first].identity == identity ? first : sharingHash[identity]
                if same == nil { sharingHash[identity] = result.count }
            } else {
                positions[hash] = result.count
            }
            if let same {
                let rows = (result[same].bill?.locations ?? []) + (discrepancies[index].bill?.locations ?? [])
                result[same].bill?.locations = Array(Set(rows)).sorted()
            } else {
                result.append(discrepancies[index])
            }
        }
        return result
    }

    /// Settles the rows that named no item of the day, with the store rows found for their keys
    /// elsewhere: a key the store does not have is money it does not know of; one it has is
    /// compared (rows that count as arrivals after the first being duplicates) and checked for
    /// its date.
    mutating func settleUnknown<Item: LedgerItem>(_ unknown: [String: [BillEntry]], found: [String: Item]) {
        for key in unknown.keys.sorted() {
            let entries = unknown[key]!.sorted { $0.location < $1.location }
            let counted = entries.filter { Item.counts(moves: $0.status.movesMoney(for: Item.side)) }
            guard let item = found[key] else {
                guard let first = entries.first(where: { $0.status.movesMoney(for: Item.side) }) else { continue }
                discrepancies.append(Item.missingLocally(key: key, first: first, rows: Observation(counted), day: day))
                if counted.count > 1 {
                    appendDuplicate(
                        key: first.outTradeNo, refund: Item.side == .refund ? key : nil, rows: counted, amount: first.amount)
                }
                continue
            }
            statistics.matchedRows += entries.count
            for entry in entries where !Item.counts(moves: entry.status.movesMoney(for: Item.side)) { compare(item, entry) }
            guard let first = counted.first else { continue }
            compare(item, first)
            if first.merchant == item.merchant, item.comparesDates {
                appendDateMismatch(
                    key: item.outTradeNo, refund: item.refundNumber, localTime: item.matchTime, local: item.observation,
                    entry: first)
            }
            if counted.count > 1 {
                appendDuplicate(
                    key: item.outTradeNo, refund: item.refundNumber, rows: counted, amount: first.amount, local: item.observation)
            }
        }
    }

    private mutating func appendDateMismatch(
        key: String, refund: String?, localTime: Timestamp, local: Observation, entry: BillEntry
    ) {
        let window = window(for: entry.merchant.provider)
        let grace = policy.boundaryGrace
        guard localTime.epochSeconds < window.start - grace || localTime.epochSeconds >= window.end + grace else {
            return
        }
        discrepancies.append(
            Discrepancy(
                kind: .dateMismatch, day: day, merchant: entry.merchant, outTradeNo: key, outRefundNo: refund,
                local: local, bill: Observation([entry]), amountAtStake: entry.amount,
                explanation: Explain.dateMismatch(key: refund ?? key, isRefund: refund != nil, localTime: localTime, entry: entry, day: day)))
    }

    private mutating func appendDuplicate(
        key: String, refund: String?, rows: [BillEntry], amount: Money, local: Observation? = nil
    ) {
        let locations = rows.map(\.location)
        appendDuplicate(key: key, refund: refund, merchant: rows[0].merchant, locations: locations, amount: amount, local: local)
    }

    /// A payment or refund the bills list more than once; `local` is the store's side, when the
    /// store has it.
    private mutating func appendDuplicate(
        key: String, refund: String?, merchant: MerchantRef, locations: [SourceLocation], amount: Money, local: Observation?
    ) {
        let extra = amount.multiplied(by: locations.count - 1)
        if extra == nil {
            statistics.overflowedSums.append("the \(locations.count - 1) extra rows of \(refund ?? key) (\(amount) each)")
        }
        discrepancies.append(
            Discrepancy(
                kind: .duplicateInBill, day: day, merchant: merchant, outTradeNo: key, outRefundNo: refund, local: local,
                bill: Observation(amount: amount, locations: locations), difference: extra,
                explanation: Explain.duplicate(key: refund ?? key, isRefund: refund != nil, locations: locations)))
    }

    /// Every item the bills listed more than once.
    mutating func reportDuplicates<Items>(in ledger: Ledger<Items>) {
        for index in ledger.extraRows.keys.sorted() {
            let item = ledger.items[index]
            appendDuplicate(
                key: item.outTradeNo, refund: item.refundNumber, merchant: item.merchant,
                locations: ledger.duplicateLocations(of: index), amount: item.amount, local: item.observation)
        }
    }

    /// Every item of the day the store says moved money and no row of a bill that lists its kind
    /// named: missing from the bill, or a boundary candidate when it is near midnight.
    mutating func reportMissing<Items>(in ledger: Ledger<Items>, into boundary: inout [BoundaryCandidate]) {
        typealias Item = Items.Element
        // The flags are small and read in order; only the few items no row named are looked at.
        for index in ledger.missing where coverage.covers(ledger.items[index].merchant, on: day, Item.side) {
            let item = ledger.items[index]
            let missing = item.finding(
                Item.missingInBill, day: day, merchant: item.merchant, bill: nil, difference: item.amount.negated,
                amountAtStake: nil, explanation: item.missingExplanation(day: day))
            guard let edge = window(for: item.merchant.provider).edge(near: item.matchTime.epochSeconds, grace: policy.boundaryGrace)
            else {
                discrepancies.append(missing)
                continue
            }
            var timing = missing
            timing.kind = .timingDifference
            timing.explanation = Explain.timing(
                item.shortSubject, verb: Item.timeVerb, time: item.matchTime, edge: edge, day: day, grace: policy.boundaryGrace)
            boundary.append(
                BoundaryCandidate(
                    edge: edge, kind: Item.side, merchant: item.merchant, key: item.key, ifMissing: missing,
                    ifNeighbourAbsent: timing))
        }
    }
}
