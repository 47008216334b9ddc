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
    let zones: ProviderZones
    var windows: [ProviderID: DayWindow]

    /// The day's orders and what the payment rows said of them.
    var payments: Ledger<ChunkedCollection<OrderTable>>
    /// The day's refunds and what the refund rows said of them.
    var refunds: Ledger<[Refund]>
    /// Finds the order or refund a row names.
    public let locator: EntryLocator
    /// Counts and totals of the day's local orders.
    var orderTally = OrderTally()
    /// Positions of the orders in the day that belong to a combine payment.
    var combinePositions: [Int] = []
    /// What the bills paid and refunded, kept cheaply per row and copied into `statistics` at the end.
    var billPaid = SmallCurrencyTotals()
    var billRefunded = SmallCurrencyTotals()
    /// What the bills charged for each combine sub-order of the day.
    var combineBillAmounts: [Int: Money] = [:]

    var discrepancies: [Discrepancy] = []
    var marginMatches: [EdgeMatch] = []
    var edgeMatches: [EdgeMatch] = []
    var statistics = DayStatistics()

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
        self.locator = EntryLocator(chunks: indexedChunks, refunds: refunds)
        var orderFlags: [Ledger<ChunkedCollection<OrderTable>>.Flags] = []
        orderFlags.reserveCapacity(indexedChunks.map(\.orders.count).reduce(0, +))
        var combinePositions: [Int] = []
        var orderTally = OrderTally()
        for (chunk, start) in zip(indexedChunks, locator.chunkStarts) {
            combinePositions += chunk.combinePositions.map { start + $0 }
            orderTally.add(chunk.tally)
            orderFlags.append(contentsOf: chunk.placements.lazy.map { .init(isCore: $0.isCore, isNearEdge: $0.isNearEdge) })
        }
        self.payments = Ledger(ChunkedCollection(indexedChunks.map(\.orders)), flags: orderFlags)
        self.refunds = Ledger(refunds, flags: Array(repeating: .init(), count: refunds.count))
        self.combinePositions = combinePositions
        self.orderTally = orderTally

        var windows: [ProviderID: DayWindow] = [:]
        for merchant in coverage.merchants(on: day) where windows[merchant.provider] == nil {
            windows[merchant.provider] = zones.window(day, for: merchant.provider)
        }
        // Refunds mostly share one provider: its window is looked up again only when the
        // provider changes from one refund to the next.
        var last: (provider: ProviderID, window: DayWindow)?
        func window(_ provider: ProviderID) -> DayWindow {
            if let last, last.provider == provider { return last.window }
            let window = windows[provider] ?? zones.window(day, for: provider)
            windows[provider] = window
            last = (provider, window)
            return window
        }
        // Only the first refund with a key is matched; a repeat is left out of the day. The
        // statuses are counted by position and the amounts summed per currency in a short list,
        // then added up once. Each refund is read in place, not copied.
        var byStatus = Array(repeating: 0, count: RefundStatus.allCases.count)
        var refunded = SmallCurrencyTotals()
        for index in refunds.indices where locator.refundRepeats.isEmpty || !locator.refundRepeats.contains(index) {
            guard window(refunds[index].merchant.provider).contains(refunds[index].createdAt) else { continue }
            self.refunds.flags[index].isCore = true
            statistics.localRefunds += 1
            let status = refunds[index].status
            byStatus[RefundStatus.allCases.firstIndex(of: status)!] += 1
            if status == .success { refunded.add(refunds[index].amount) }
        }
        for (status, count) in zip(RefundStatus.allCases, byStatus) where count > 0 {
            statistics.localRefundsByStatus[status, default: 0] += count
        }
        statistics.localRefunded.add(refunded.totals)
        self.windows = windows
    }

    /// The day's window in `provider`'s zone.
    func window(for provider: ProviderID) -> DayWindow {
        windows[provider] ?? zones.window(day, for: provider)
    }

    // MARK: - Ingesting bill rows

    /// Matches one bill row.
    public mutating func ingest(_ entry: BillEntry) {
        ingest(entry, at: locator.position(of: entry))
    }

    /// Matches a batch of bill rows whose items ``locator`` has already looked up, as
    /// ``ingest(_:at:)`` does one at a time, moving each row out of the batch rather than copying
    /// it; the state of items a few rows ahead is fetched early. The batch is empty afterwards.
    /// - Parameter positions: What `locator.positions(of:)` returned for the batch's rows.
    public mutating func ingest(_ batch: BillBatch, at positions: [Int?]) {
        precondition(batch.count == positions.count, "one position per row")
        batch.drain { index, entry, ahead in
            if prefetchDistance <= ahead.count, let position = positions[index + prefetchDistance] {
                prefetchState(of: ahead[prefetchDistance - 1].kind, at: position)
            }
            ingest(entry, at: positions[index])
        }
    }

    private func prefetchState(of kind: BillEntry.Kind, at position: Int) {
        switch kind {
        case .payment:
            payments.flags.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
            payments.firstRow.prefetch(position)
            payments.items.withChunk(holding: position) { $0.prefetch(at: $1) }
        case .refund:
            refunds.flags.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
            refunds.firstRow.prefetch(position)
            refunds.items.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
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
                payments.unknown[entry.outTradeNo, default: []].append(entry)
            }
        case .refund:
            statistics.billRefunds += 1
            if moves { billRefunded.add(entry.amount) }
            if let position {
                statistics.matchedRows += 1
                matchRefund(entry, to: position)
            } else {
                refunds.unknown[entry.matchKey, default: []].append(entry)
            }
        }
    }

    // MARK: - Finishing

    /// What the matcher needs from the store before it can finish: orders and refunds named by
    /// the bills but outside the window, and the sub-orders of the day's combine payments.
    public var lookupRequest: LookupRequest {
        LookupRequest(
            outTradeNos: payments.unknown.keys.sorted(), outRefundNos: refunds.unknown.keys.sorted(),
            combineOutTradeNos: combineParents.sorted())
    }

    /// The combine payments the day's orders belong to.
    var combineParents: Set<String> {
        Set(combinePositions.lazy.filter { payments.flags[$0].isCore }.compactMap { payments.items[$0].combineOutTradeNo })
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
        settleUnknown(payments.unknown, found: lookup.orders)
        settleUnknown(refunds.unknown, found: lookup.refunds)
        reportDuplicates(in: payments)
        reportDuplicates(in: refunds)
        reportMissing(in: payments, into: &boundary)
        reportMissing(in: refunds, into: &boundary)
        checkCombinePayments(lookup)
        marginMatches.sort { ($0.location, $0.key) < ($1.location, $1.key) }
        edgeMatches.sort { ($0.location, $0.key) < ($1.location, $1.key) }
        return DayOutcome(
            day: day, discrepancies: Self.merged(discrepancies), boundaryCandidates: boundary,
            marginMatches: marginMatches, edgeMatches: edgeMatches, statistics: statistics)
    }
}
