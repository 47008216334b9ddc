import CPrefetch

/// Matches one day's bill rows against the store's orders and refunds.
///
/// The matcher is a pure state machine, fed in three steps so that bills of any size stream
/// through it in bounded memory:
///
/// 1. Create it with the orders and refunds of the day's window, widened by the boundary grace on
///    both sides, for the merchants whose bills are in the run.
/// 2. ``ingest(_:)`` every bill row, in any order.
/// 3. Fetch what ``lookupRequest`` asks for and pass it to ``finish(lookup:)``.
///
/// ``BoundaryResolver`` then settles the items near midnight against the neighbouring days.
public struct DayMatcher: Sendable {
    /// The day being reconciled.
    public let day: CivilDate
    /// The policy.
    public let policy: MatchPolicy
    /// The bills in the run.
    public let coverage: BillCoverage
    private let zones: ProviderZones
    private var windows: [ProviderID: DayWindow]

    private var orders: ChunkedCollection<Order>
    /// Finds the order or refund a row names.
    public let locator: EntryLocator
    private var orderFlags: [ItemFlags]
    /// Counts and totals of the day's local orders.
    private var orderTally = OrderTally()
    /// Positions of the orders in the day that belong to a combine payment.
    private var combinePositions: [Int] = []
    /// What the bills paid and refunded, kept cheaply per row and copied into `statistics` at the end.
    private var billPaid = SmallCurrencyTotals()
    private var billRefunded = SmallCurrencyTotals()
    private var orderFirstRow: FirstRows
    private var refunds: [Refund]
    private var refundFlags: [ItemFlags]
    private var refundFirstRow: FirstRows

    /// Rows after the first to arrive for an order or refund that moved money (all rows, for refunds).
    private var extraRows: [Int: [BillEntry]] = [:]
    private var extraRefundRows: [Int: [BillEntry]] = [:]
    /// Where in `discrepancies` the first row to arrive for an item left its findings, when it
    /// left any; replaced if a row earlier in the file turns up for the same item.
    private var firstArrivalFindings: [Int: Range<Int>] = [:]
    private var firstArrivalRefundFindings: [Int: Range<Int>] = [:]
    private var combineBillAmounts: [Int: Money] = [:]
    private var unknownPayments: [String: [BillEntry]] = [:]
    private var unknownRefunds: [String: [BillEntry]] = [:]

    private var discrepancies: [Discrepancy] = []
    private var marginMatches: [EdgeMatch] = []
    private var edgeMatches: [EdgeMatch] = []
    private var statistics = DayStatistics()

    /// Per-item state, packed.
    private struct ItemFlags {
        /// The item's time lies within the day (not in the grace margin around it).
        var isCore = false
        /// The item's time is outside the day or near one of its edges.
        var isNearEdge = true
        /// Some bill row names the item.
        var present = false
        /// Rows that moved money (payments) or rows at all (refunds).
        var rows: UInt16 = 0
    }

    /// Creates a matcher for `day`.
    /// - Parameters:
    ///   - day: The bill day.
    ///   - zones: The time zone of each provider.
    ///   - policy: Grace and other settings.
    ///   - coverage: The bills in the run; only their merchants' items are expected in a bill.
    ///   - orders: Orders whose ``Order/effectiveTime`` lies in the day widened by the grace.
    ///   - refunds: Refunds whose creation time lies in the day widened by the grace.
    public init(
        day: CivilDate, zones: ProviderZones, policy: MatchPolicy, coverage: BillCoverage, orders: [Order],
        refunds: [Refund]
    ) {
        self.init(day: day, zones: zones, policy: policy, coverage: coverage, orderChunks: [orders], refunds: refunds)
    }

    /// Creates a matcher whose orders come in several arrays, as parallel reads of the store
    /// give them; the arrays are used as they are, not joined.
    public init(
        day: CivilDate, zones: ProviderZones, policy: MatchPolicy, coverage: BillCoverage, orderChunks: [[Order]],
        refunds: [Refund]
    ) {
        self.init(
            day: day, zones: zones, policy: policy, coverage: coverage,
            indexedChunks: orderChunks.map { OrderChunk($0, day: day, zones: zones, policy: policy) }, refunds: refunds)
    }

    /// Creates a matcher whose orders come in several arrays, each already indexed and placed
    /// against `day` (in the task that read it); the arrays are used as they are, not joined.
    public init(
        day: CivilDate, zones: ProviderZones, policy: MatchPolicy, coverage: BillCoverage, indexedChunks: [OrderChunk],
        refunds: [Refund]
    ) {
        precondition(indexedChunks.allSatisfy { $0.day == day }, "order chunks must be placed against the matcher's day")
        self.day = day
        self.zones = zones
        self.policy = policy
        self.coverage = coverage
        self.orders = ChunkedCollection(indexedChunks.map(\.orders))
        self.refunds = refunds
        self.locator = EntryLocator(chunks: indexedChunks, refunds: refunds)
        orderFlags = []
        orderFlags.reserveCapacity(orders.count)
        for (chunk, start) in zip(indexedChunks, locator.chunkStarts) {
            combinePositions += chunk.combinePositions.map { start + $0 }
            orderTally.add(chunk.tally)
            orderFlags += chunk.placements.map { ItemFlags(isCore: $0.isCore, isNearEdge: $0.isNearEdge) }
        }
        orderFirstRow = FirstRows(count: orders.count)
        refundFlags = Array(repeating: ItemFlags(), count: refunds.count)
        refundFirstRow = FirstRows(count: refunds.count)

        var windows: [ProviderID: DayWindow] = [:]
        for merchant in coverage.merchants(on: day) where windows[merchant.provider] == nil {
            windows[merchant.provider] = zones.window(day, for: merchant.provider)
        }
        func window(_ provider: ProviderID) -> DayWindow {
            if let window = windows[provider] { return window }
            let window = zones.window(day, for: provider)
            windows[provider] = window
            return window
        }
        // Only the first refund with a key is matched; a repeat is left out of the day.
        for (index, refund) in refunds.enumerated()
        where locator.refundRepeats.isEmpty || !locator.refundRepeats.contains(index) {
            guard window(refund.merchant.provider).contains(refund.createdAt) else { continue }
            refundFlags[index].isCore = true
            statistics.localRefunds += 1
            statistics.localRefundsByStatus[refund.status, default: 0] += 1
            if refund.status == .success { statistics.localRefunded.add(refund.amount) }
        }
        self.windows = windows
    }

    /// The day's window in `provider`'s zone.
    private func window(for provider: ProviderID) -> DayWindow {
        windows[provider] ?? zones.window(day, for: provider)
    }

    // MARK: - Ingesting bill rows

    /// Matches one bill row.
    public mutating func ingest(_ entry: BillEntry) {
        ingest(entry, at: locator.position(of: entry))
    }

    /// Matches a batch of bill rows whose items ``locator`` has already looked up, as
    /// ``ingest(_:at:)`` does one at a time; the state of items a few rows ahead is fetched early.
    /// - Parameter positions: What `locator.positions(of: entries)` returned.
    public mutating func ingest(_ entries: [BillEntry], at positions: [Int?]) {
        precondition(entries.count == positions.count, "one position per row")
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if index + prefetchDistance < entries.count, let ahead = positions[index + prefetchDistance] {
                    prefetchState(of: entries[index + prefetchDistance].kind, at: ahead)
                }
                ingest(entries[index], at: positions[index])
            }
        }
    }

    private func prefetchState(of kind: BillEntry.Kind, at position: Int) {
        switch kind {
        case .payment:
            orderFlags.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
            orderFirstRow.prefetch(position)
            orders.prefetch(position)
        case .refund:
            refundFlags.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
            refundFirstRow.prefetch(position)
        }
    }

    /// Matches one bill row whose item ``locator`` has already looked up.
    /// - Parameter position: What `locator.position(of: entry)` returned.
    public mutating func ingest(_ entry: BillEntry, at position: Int?) {
        let moves = entry.status.movesMoney(for: entry.kind)
        switch entry.kind {
        case .payment:
            statistics.billPayments += 1
            if moves { billPaid.add(entry.amount) }
            if let position {
                statistics.matchedRows += 1
                matchPayment(entry, to: position)
            } else {
                unknownPayments[entry.outTradeNo, default: []].append(entry)
            }
        case .refund:
            statistics.billRefunds += 1
            if moves { billRefunded.add(entry.amount) }
            if let position {
                statistics.matchedRows += 1
                matchRefund(entry, to: position)
            } else {
                unknownRefunds[entry.matchKey, default: []].append(entry)
            }
        }
    }

    private mutating func matchPayment(_ entry: BillEntry, to index: Int) {
        let moves = entry.status.movesMoney(for: .payment)
        orderFlags[index].present = true
        if moves {
            orderFlags[index].rows &+= 1
            if orderFlags[index].rows > 1 {
                extraRows[index, default: []].append(entry)
                return
            }
            orderFirstRow[index] = entry.location
            if orders[index].combineOutTradeNo != nil { combineBillAmounts[index] = entry.amount }
            if orderFlags[index].isNearEdge {
                recordEdge(time: orders[index].effectiveTime, entry: entry) {
                    ($0.orders[index].merchant, $0.orders[index].outTradeNo, Observation($0.orders[index]))
                }
            }
        }
        // Compare in place; the order is copied only when something disagrees.
        if entry.merchant == orders[index].merchant, moves == orders[index].status.isPaid,
            !moves || entry.amount == orders[index].amount
        {
            return
        }
        let before = discrepancies.count
        comparePayment(orders[index], entry)
        if moves, discrepancies.count > before { firstArrivalFindings[index] = before..<discrepancies.count }
    }

    private mutating func matchRefund(_ entry: BillEntry, to index: Int) {
        refundFlags[index].present = true
        refundFlags[index].rows &+= 1
        if refundFlags[index].rows > 1 {
            extraRefundRows[index, default: []].append(entry)
            return
        }
        refundFirstRow[index] = entry.location
        recordEdge(time: refunds[index].createdAt, entry: entry) {
            ($0.refunds[index].merchant, $0.refunds[index].outRefundNo, Observation($0.refunds[index]))
        }
        let before = discrepancies.count
        compareRefund(refunds[index], entry)
        if discrepancies.count > before { firstArrivalRefundFindings[index] = before..<discrepancies.count }
    }

    /// Notes rows for local items near midnight, for the boundary rule and cross-day duplicates.
    /// `item` gives the item's merchant, key and store side; it is only asked for items near midnight.
    private mutating func recordEdge(
        time: Timestamp, entry: BillEntry, item: (DayMatcher) -> (MerchantRef, String, Observation)
    ) {
        let window = window(for: entry.merchant.provider)
        let seconds = time.epochSeconds
        let side = window.side(of: seconds)
        let edge = side == nil ? window.edge(near: seconds, grace: policy.boundaryGrace) : nil
        guard side != nil || edge != nil else { return }
        let (merchant, key, local) = item(self)
        let match = EdgeMatch(
            edge: side ?? edge!, kind: entry.kind, merchant: merchant, key: key,
            movesMoney: entry.status.movesMoney(for: entry.kind), amount: entry.amount, location: entry.location,
            local: local)
        if side != nil {
            marginMatches.append(match)
        } else {
            edgeMatches.append(match)
        }
    }

    // MARK: - Comparing one row with one local item

    private mutating func comparePayment(_ order: Order, _ entry: BillEntry) {
        let moves = entry.status.movesMoney(for: .payment)
        // The common case, checked without building anything: the row agrees with the order.
        if entry.merchant == order.merchant, moves == order.status.isPaid,
            !moves || entry.amount == order.amount
        {
            return
        }
        let local = Observation(order)
        let bill = Observation([entry])
        if entry.merchant != order.merchant {
            discrepancies.append(
                Discrepancy(
                    kind: .merchantMismatch, day: day, merchant: entry.merchant, outTradeNo: order.outTradeNo,
                    local: local, bill: bill, amountAtStake: entry.amount,
                    explanation: Explain.merchantMismatch(order.outTradeNo, bill: entry, local: order.merchant)))
        }
        if moves, !order.status.isPaid {
            discrepancies.append(
                Discrepancy(
                    kind: .statusMismatch, day: day, merchant: entry.merchant, outTradeNo: order.outTradeNo,
                    combineOutTradeNo: order.combineOutTradeNo, local: local, bill: bill, difference: entry.amount,
                    explanation: Explain.paidInBillOnly(order, entry)))
        } else if !moves, order.status.isPaid {
            discrepancies.append(
                Discrepancy(
                    kind: .statusMismatch, day: day, merchant: entry.merchant, outTradeNo: order.outTradeNo,
                    combineOutTradeNo: order.combineOutTradeNo, local: local, bill: bill,
                    difference: order.amount.negated, explanation: Explain.paidLocallyOnly(order, entry)))
        }
        guard moves else { return }
        if entry.amount.currency != order.amount.currency {
            discrepancies.append(
                Discrepancy(
                    kind: .currencyMismatch, day: day, merchant: entry.merchant, outTradeNo: order.outTradeNo,
                    combineOutTradeNo: order.combineOutTradeNo, local: local, bill: bill,
                    amountAtStake: entry.amount,
                    explanation: Explain.currencyMismatch("Order \(order.outTradeNo)", bill: entry, local: order.amount)))
        } else if entry.amount != order.amount, let difference = entry.amount.subtracting(order.amount) {
            discrepancies.append(
                Discrepancy(
                    kind: .amountMismatch, day: day, merchant: entry.merchant, outTradeNo: order.outTradeNo,
                    combineOutTradeNo: order.combineOutTradeNo, local: local, bill: bill, difference: difference,
                    explanation: Explain.amountMismatch(
                        "Order \(order.outTradeNo)", verb: "charged", bill: entry, local: order.amount,
                        difference: difference)))
        }
    }

    private mutating func compareRefund(_ refund: Refund, _ entry: BillEntry) {
        let moves = entry.status.movesMoney(for: .refund)
        if entry.merchant == refund.merchant, Explain.refundStatusProblem(refund, entry) == nil,
            !moves || entry.amount == refund.amount
        {
            return
        }
        let local = Observation(refund)
        let bill = Observation([entry])
        if entry.merchant != refund.merchant {
            discrepancies.append(
                Discrepancy(
                    kind: .merchantMismatch, day: day, merchant: entry.merchant, outTradeNo: refund.outTradeNo,
                    outRefundNo: refund.outRefundNo, local: local, bill: bill, amountAtStake: entry.amount,
                    explanation: Explain.merchantMismatch(
                        "refund \(refund.outRefundNo)", bill: entry, local: refund.merchant)))
        }
        if let problem = Explain.refundStatusProblem(refund, entry) {
            discrepancies.append(
                Discrepancy(
                    kind: .statusMismatch, day: day, merchant: entry.merchant, outTradeNo: refund.outTradeNo,
                    outRefundNo: refund.outRefundNo, local: local, bill: bill,
                    difference: moves ? entry.amount : refund.amount.negated, explanation: problem))
        }
        guard moves else { return }
        if entry.amount.currency != refund.amount.currency {
            discrepancies.append(
                Discrepancy(
                    kind: .currencyMismatch, day: day, merchant: entry.merchant, outTradeNo: refund.outTradeNo,
                    outRefundNo: refund.outRefundNo, local: local, bill: bill, amountAtStake: entry.amount,
                    explanation: Explain.currencyMismatch(
                        "Refund \(refund.outRefundNo)", bill: entry, local: refund.amount)))
        } else if entry.amount != refund.amount, let difference = entry.amount.subtracting(refund.amount) {
            discrepancies.append(
                Discrepancy(
                    kind: .refundAmountMismatch, day: day, merchant: entry.merchant, outTradeNo: refund.outTradeNo,
                    outRefundNo: refund.outRefundNo, local: local, bill: bill, difference: difference,
                    explanation: Explain.amountMismatch(
                        "Refund \(refund.outRefundNo) of order \(refund.outTradeNo)", verb: "refunded", bill: entry,
                        local: refund.amount, difference: difference)))
        }
    }

    // MARK: - Finishing

    /// What the matcher needs from the store before it can finish: orders and refunds named by
    /// the bills but outside the window, and the sub-orders of the day's combine payments.
    public var lookupRequest: LookupRequest {
        LookupRequest(
            outTradeNos: unknownPayments.keys.sorted(), outRefundNos: unknownRefunds.keys.sorted(),
            combineOutTradeNos: combineParents.sorted())
    }

    /// The combine payments the day's orders belong to.
    private var combineParents: Set<String> {
        Set(combinePositions.lazy.filter { orderFlags[$0].isCore }.compactMap { orders[$0].combineOutTradeNo })
    }

    /// Completes the day with the rows fetched for ``lookupRequest``.
    ///
    /// The outcome depends only on which rows were ingested, not on their order: when an item
    /// has several rows, the one earliest in the files is the one compared, and every list in the
    /// outcome is sorted.
    public consuming func finish(lookup: LookupResult) -> DayOutcome {
        var boundary: [BoundaryCandidate] = []
        settleRepeatedKeys()
        settleDuplicateArrivals()
        settleUnknownPayments(lookup)
        settleUnknownRefunds(lookup)
        reportDuplicates()
        reportMissingPayments(into: &boundary)
        reportMissingRefunds(into: &boundary)
        checkCombinePayments(lookup)
        marginMatches.sort { ($0.location, $0.key) < ($1.location, $1.key) }
        edgeMatches.sort { ($0.location, $0.key) < ($1.location, $1.key) }
        return DayOutcome(
            day: day, discrepancies: Self.merged(discrepancies), boundaryCandidates: boundary,
            marginMatches: marginMatches, edgeMatches: edgeMatches, statistics: statistics)
    }

    /// Leaves out orders whose key an earlier chunk also holds (the row changed between two
    /// parallel reads of the store), then records the local counts and totals. Only the first
    /// order with a key is ever matched, so a repeat is one that no row named.
    private mutating func settleRepeatedKeys() {
        let starts = locator.chunkStarts
        for chunk in starts.indices.dropFirst().dropLast() {
            for index in starts[chunk]..<starts[chunk + 1]
            where orderFlags[index].isCore && !orderFlags[index].present
                && locator.orderPosition(of: orders[index].outTradeNo) != index
            {
                orderFlags[index].isCore = false
                orderTally.remove(orders[index])
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
    private mutating func settleDuplicateArrivals() {
        var dropped = Set<Int>()
        for index in extraRows.keys.sorted() {
            guard let swap = Self.earliestFirst(&extraRows[index]!, first: &orderFirstRow[index]!) else { continue }
            if let findings = firstArrivalFindings[index] { dropped.formUnion(findings) }
            if orders[index].combineOutTradeNo != nil { combineBillAmounts[index] = swap.earliest.amount }
            relocateEdgeMatch(key: orders[index].outTradeNo, kind: .payment, from: swap.replaced, to: swap.earliest)
            comparePayment(orders[index], swap.earliest)
        }
        for index in extraRefundRows.keys.sorted() {
            guard let swap = Self.earliestFirst(&extraRefundRows[index]!, first: &refundFirstRow[index]!) else {
                continue
            }
            if let findings = firstArrivalRefundFindings[index] { dropped.formUnion(findings) }
            relocateEdgeMatch(key: refunds[index].outRefundNo, kind: .refund, from: swap.replaced, to: swap.earliest)
            compareRefund(refunds[index], swap.earliest)
        }
        if !dropped.isEmpty {
            discrepancies = discrepancies.indices.filter { !dropped.contains($0) }.map { discrepancies[$0] }
        }
    }

    /// Sorts an item's extra rows and, when the earliest of them comes before the row that
    /// arrived first, makes it the item's first row and keeps the other's location among the extras.
    private static func earliestFirst(_ extras: inout [BillEntry], first: inout SourceLocation)
        -> (earliest: BillEntry, replaced: SourceLocation)?
    {
        extras.sort { $0.location < $1.location }
        guard let earliest = extras.first, earliest.location < first else { return nil }
        let replaced = first
        first = earliest.location
        extras[0] = BillEntry(placeholderAt: replaced, like: earliest)
        return (earliest, replaced)
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

    /// Joins findings that share an id (the same kind about the same item), keeping the first
    /// and collecting every bill row they name.
    static func merged(_ discrepancies: [Discrepancy]) -> [Discrepancy] {
        var positions: [String: Int] = [:]
        var result: [Discrepancy] = []
        for discrepancy in discrepancies {
            if let position = positions[discrepancy.id] {
                let rows = (result[position].bill?.locations ?? []) + (discrepancy.bill?.locations ?? [])
                result[position].bill?.locations = Array(Set(rows)).sorted()
            } else {
                positions[discrepancy.id] = result.count
                result.append(discrepancy)
            }
        }
        return result
    }

    private mutating func settleUnknownPayments(_ lookup: LookupResult) {
        for key in unknownPayments.keys.sorted() {
            let entries = unknownPayments[key]!.sorted { $0.location < $1.location }
            let moving = entries.filter { $0.status.movesMoney(for: .payment) }
            guard let order = lookup.orders[key] else {
                guard let first = moving.first else { continue }
                let bill = Observation(moving)
                discrepancies.append(
                    Discrepancy(
                        kind: .missingLocally, day: day, merchant: first.merchant, outTradeNo: key, bill: bill,
                        difference: first.amount, explanation: Explain.missingLocally(first)))
                if moving.count > 1 { appendDuplicate(key: key, refund: nil, rows: moving, amount: first.amount) }
                continue
            }
            statistics.matchedRows += entries.count
            for entry in entries where !entry.status.movesMoney(for: .payment) { comparePayment(order, entry) }
            guard let first = moving.first else { continue }
            comparePayment(order, first)
            if first.merchant == order.merchant, order.status.isPaid {
                appendDateMismatch(
                    key: order.outTradeNo, refund: nil, localTime: order.effectiveTime, local: Observation(order),
                    entry: first)
            }
            if moving.count > 1 {
                appendDuplicate(key: key, refund: nil, rows: moving, amount: first.amount, local: Observation(order))
            }
        }
    }

    private mutating func settleUnknownRefunds(_ lookup: LookupResult) {
        for key in unknownRefunds.keys.sorted() {
            let entries = unknownRefunds[key]!.sorted { $0.location < $1.location }
            guard let refund = lookup.refunds[key] else {
                guard let first = entries.first(where: { $0.status.movesMoney(for: .refund) }) else { continue }
                discrepancies.append(
                    Discrepancy(
                        kind: .refundMissingLocally, day: day, merchant: first.merchant, outTradeNo: first.outTradeNo,
                        outRefundNo: key, bill: Observation(entries), difference: first.amount,
                        explanation: Explain.refundMissingLocally(first)))
                if entries.count > 1 {
                    appendDuplicate(key: first.outTradeNo, refund: key, rows: entries, amount: first.amount)
                }
                continue
            }
            statistics.matchedRows += entries.count
            let first = entries[0]
            compareRefund(refund, first)
            if first.merchant == refund.merchant {
                appendDateMismatch(
                    key: refund.outTradeNo, refund: key, localTime: refund.createdAt, local: Observation(refund),
                    entry: first)
            }
            if entries.count > 1 {
                appendDuplicate(key: refund.outTradeNo, refund: key, rows: entries, amount: first.amount, local: Observation(refund))
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

    private mutating func reportDuplicates() {
        for index in extraRows.keys.sorted() {
            let order = orders[index]
            let locations = ([orderFirstRow[index]!] + extraRows[index]!.map(\.location)).sorted()
            appendDuplicate(
                key: order.outTradeNo, refund: nil, merchant: order.merchant, locations: locations, amount: order.amount,
                local: Observation(order))
        }
        for index in extraRefundRows.keys.sorted() {
            let refund = refunds[index]
            let locations = ([refundFirstRow[index]!] + extraRefundRows[index]!.map(\.location)).sorted()
            appendDuplicate(
                key: refund.outTradeNo, refund: refund.outRefundNo, merchant: refund.merchant, locations: locations,
                amount: refund.amount, local: Observation(refund))
        }
    }

    private mutating func reportMissingPayments(into boundary: inout [BoundaryCandidate]) {
        // The flags are small and read in order; only the few orders no row named are looked at.
        for index in orderFlags.indices where orderFlags[index].isCore && !orderFlags[index].present {
            let order = orders[index]
            guard order.status.isPaid, coverage.covers(order.merchant, on: day, .payment) else { continue }
            let missing = Discrepancy(
                kind: .missingInBill, day: day, merchant: order.merchant, outTradeNo: order.outTradeNo,
                combineOutTradeNo: order.combineOutTradeNo, local: Observation(order),
                difference: order.amount.negated, explanation: Explain.missingInBill(order, day: day))
            if let edge = window(for: order.merchant.provider).edge(
                near: order.effectiveTime.epochSeconds, grace: policy.boundaryGrace)
            {
                var timing = missing
                timing.kind = .timingDifference
                timing.explanation = Explain.timing(
                    "Order \(order.outTradeNo)", verb: "paid", time: order.effectiveTime, edge: edge, day: day,
                    grace: policy.boundaryGrace)
                boundary.append(
                    BoundaryCandidate(
                        edge: edge, kind: .payment, merchant: order.merchant, key: order.outTradeNo, ifMissing: missing,
                        ifNeighbourAbsent: timing))
            } else {
                discrepancies.append(missing)
            }
        }
    }

    private mutating func reportMissingRefunds(into boundary: inout [BoundaryCandidate]) {
        for (index, refund) in refunds.enumerated() {
            let flags = refundFlags[index]
            guard flags.isCore, !flags.present, refund.status == .success,
                coverage.covers(refund.merchant, on: day, .refund)
            else { continue }
            let missing = Discrepancy(
                kind: .refundMissingInBill, day: day, merchant: refund.merchant, outTradeNo: refund.outTradeNo,
                outRefundNo: refund.outRefundNo, local: Observation(refund), difference: refund.amount.negated,
                explanation: Explain.refundMissingInBill(refund, day: day))
            if let edge = window(for: refund.merchant.provider).edge(
                near: refund.createdAt.epochSeconds, grace: policy.boundaryGrace)
            {
                var timing = missing
                timing.kind = .timingDifference
                timing.explanation = Explain.timing(
                    "Refund \(refund.outRefundNo)", verb: "requested", time: refund.createdAt, edge: edge, day: day,
                    grace: policy.boundaryGrace)
                boundary.append(
                    BoundaryCandidate(
                        edge: edge, kind: .refund, merchant: refund.merchant, key: refund.outRefundNo,
                        ifMissing: missing, ifNeighbourAbsent: timing))
            } else {
                discrepancies.append(missing)
            }
        }
    }

    // MARK: - Combine payments

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

    private mutating func checkCombinePayments(_ lookup: LookupResult) {
        for parent in combineParents.sorted() {
            let members = (lookup.combineMembers[parent]
                ?? orders.filter { $0.combineOutTradeNo == parent }).sorted { $0.outTradeNo < $1.outTradeNo }
            checkCombine(parent, members: members)
        }
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
            } else if orderFlags[index].isCore {
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
