import Synchronization

/// One day's matching as a run feeds it: the matcher and the watched pending items behind a lock,
/// fed by the tasks that read the parts of the day's bills, then finished with the store rows it
/// asks for. The run and the tests' in-memory store both go through this one path.
public final class DayMatching: Sendable {
    private let matcher: Mutex<DayMatcher?>
    private let watch: Mutex<BillWatch>
    private let watching: Bool
    private let locator: EntryLocator

    /// Starts the day: its orders (as the parallel reads of the store gave them, each placed
    /// against the day), its refunds, and the pending items whose bill rows the queries' judge needs.
    public init(
        day: CivilDate, zones: ProviderZones, policy: MatchPolicy, coverage: BillCoverage, orders: [OrderChunk],
        refunds: [Refund], watching items: [PendingItem] = []
    ) {
        let matcher = DayMatcher(
            day: day, zones: zones, policy: policy, coverage: coverage, indexedChunks: orders, refunds: refunds)
        let watch = BillWatch(items: items)
        self.locator = matcher.locator
        self.matcher = Mutex(matcher)
        self.watching = !watch.isEmpty
        self.watch = Mutex(watch)
    }

    /// Finds the batch's items first, outside the lock, so that parts of a bill look rows up in
    /// parallel and only hold the lock to update the matcher, which empties the batch.
    ///
    /// A batch that finds another part's batch being taken in waits for it as a ``BriefWait``,
    /// trying the lock again, before it waits on the lock.
    public func ingest(_ batch: BillBatch) {
        let positions = batch.withEntries(locator.positions(of:))
        if watching { batch.withEntries { entries in watch.withLock { $0.observe(entries) } } }
        if BriefWait.until({ matcher.withLockIfAvailable { $0!.ingest(batch, at: positions) } != nil }) { return }
        matcher.withLock { $0!.ingest(batch, at: positions) }
    }

    /// Finishes the day once every bill row is in: asks `lookup` for the store rows the bills name
    /// outside the day's window (and the sub-orders of its combine payments), and returns the
    /// outcome with the watched rows. Call it once.
    public func finish(lookup: (LookupRequest) throws -> LookupResult) rethrows -> (outcome: DayOutcome, watch: BillWatch) {
        let matcher = matcher.withLock { matcher in
            defer { matcher = nil }
            return matcher!
        }
        let rows = try lookup(matcher.lookupRequest)
        // Handed over, not copied: a copy would share the matcher's buffers, and finishing would
        // then copy each of them (hundreds of megabytes on a day of millions of orders).
        return ((consume matcher).finish(lookup: rows), watch.withLock { $0 })
    }
}
