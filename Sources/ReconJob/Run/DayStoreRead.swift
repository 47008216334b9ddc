import Foundation
import ReconBills
import ReconCore
import ReconReports
import ReconStore
import Synchronization

/// A day's rows from the store, read in parallel parts and checked for repeated keys.
struct DayStoreRead: Sendable {
    /// The orders, one chunk per part read, each indexed and placed against the day.
    var orders: [OrderChunk]
    /// The refunds.
    var refunds: [Refund]
    /// What the reports say about the read.
    var input: DayReport.StoreInput

    /// Reads the day's orders and refunds of the plan's merchants. Each merchant's window is read as
    /// two halves on two of the run's reading connections, one merchant after another, while the
    /// third reads the refunds of every merchant whose window is the same in one pass (a refund
    /// names no merchant, so a pass per merchant would read the day's refunds once per merchant),
    /// each on a thread of its own; each half is indexed and placed against the day where it was
    /// read. The refunds are read without their orders: each half, once read, is searched for the
    /// refunds' orders on its thread, and each refund then takes its order's merchant and currency,
    /// from there or from the store when the day did not read its order (``RefundRows``). The
    /// digest is taken over each merchant's orders' and refunds' digests, in order. `readsRunning` is
    /// told how many reads are running as a merchant's halves start and as each read ends.
    static func read(
        _ plan: DayPlan, on readers: StoreReaders, config: ReconConfig,
        readsRunning: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> DayStoreRead {
        let day = plan.day
        var chunks: [OrderChunk] = []
        var refunds: [Refund] = []
        var digests: [String] = []
        let windows = Dictionary(grouping: plan.merchants, by: plan.loadRange(for:))
            .sorted { $0.key.lowerBound < $1.key.lowerBound }
        let locator = RefundLocator()
        // The refunds' read, reported with the first merchant's halves.
        let running = RunningReads(1, report: readsRunning)
        async let refundReads = BlockingWork.run {
            defer { running.ended() }
            let rows = try windows.map { try readers.refunds.refundRows(in: $0.key) }
            locator.refundsRead(rows)
            return rows
        }
        var orderDigests: [[String]] = []
        for merchant in plan.merchants {
            let range = plan.loadRange(for: merchant)
            let middle = range.lowerBound + (range.upperBound - range.lowerBound) / 2
            let (zones, policy) = (config.zones, config.policy)
            let place: @Sendable (OrderTable) -> OrderChunk = { OrderChunk($0, day: day, zones: zones, policy: policy) }
            running.started(2)
            async let first = BlockingWork.run {
                defer { running.ended() }
                return try Self.readOrders(
                    readers.firstHalf, merchant: merchant, range: range.lowerBound..<middle, place: place, locator: locator)
            }
            async let second = BlockingWork.run {
                defer { running.ended() }
                return try Self.readOrders(
                    readers.secondHalf, merchant: merchant, range: middle..<range.upperBound, place: place, locator: locator)
            }
            var parts: [String] = []
            for part in try await [first, second] {
                chunks.append(part.orders)
                parts.append(part.digest)
            }
            orderDigests.append(parts)
        }
        let found = try await BlockingWork.run { [rows = try await refundReads] in
            var found: [MerchantRef: (refunds: [Refund], digest: String)] = [:]
            for ((_, merchants), rows) in zip(windows, rows) {
                let digests = Dictionary(uniqueKeysWithValues: merchants.map { ($0, StoreDigest()) })
                let sorted = try rows.sorted(for: digests, lookup: readers.orderOwners)
                for (merchant, refunds) in sorted { found[merchant] = (refunds, digests[merchant]!.finalize()) }
            }
            return found
        }
        for (merchant, parts) in zip(plan.merchants, orderDigests) {
            let read = found[merchant]!
            // The first merchant's refunds are taken as they are: appending them to an empty
            // array would copy every refund.
            if refunds.isEmpty { refunds = read.refunds } else { refunds += read.refunds }
            digests += parts + [read.digest]
        }
        let input = DayReport.StoreInput(
            path: config.storePath, ordersRead: chunks.map(\.orders.count).reduce(0, +), refundsRead: refunds.count,
            rowsSHA256: StoreDigest.combine(digests))
        return DayStoreRead(orders: chunks, refunds: refunds, input: input)
    }

    /// Counts the store reads running, and reports the count as reads start and end. The count is
    /// reported under the lock, so that reports arrive in the order the count took its values.
    private final class RunningReads: Sendable {
        private let count: Mutex<Int>
        private let report: @Sendable (Int) -> Void

        /// Starts the count at `count` reads already running, unreported.
        init(_ count: Int, report: @escaping @Sendable (Int) -> Void) {
            self.count = Mutex(count)
            self.report = report
        }

        func started(_ reads: Int) { count.withLock { $0 += reads; report($0) } }

        func ended() { count.withLock { $0 -= 1; report($0) } }
    }

    /// Has the day's refund rows look for their orders in each chunk of orders as its read ends
    /// (``RefundRows/locate(in:)``), on the thread that read the chunk, so the search runs beside
    /// the rest of the store read. A chunk read before the refunds waits for them, and the refunds'
    /// thread then searches it. One chunk is searched at a time.
    private final class RefundLocator: @unchecked Sendable {
        private let state = Mutex<(rows: [RefundRows]?, waiting: [OrderChunk])>((nil, []))
        private let searching = NSLock()

        /// Notes the refund rows read, and searches the chunks read before them.
        func refundsRead(_ rows: [RefundRows]) {
            let waiting = state.withLock { state in
                state.rows = rows
                defer { state.waiting = [] }
                return state.waiting
            }
            for chunk in waiting { search(chunk, rows) }
        }

        /// Searches a chunk just read, or keeps it for the refund rows when they are not read yet.
        func chunkRead(_ chunk: OrderChunk) {
            let rows = state.withLock { state in
                if state.rows == nil { state.waiting.append(chunk) }
                return state.rows
            }
            if let rows { search(chunk, rows) }
        }

        private func search(_ chunk: OrderChunk, _ rows: [RefundRows]) {
            searching.lock()
            defer { searching.unlock() }
            for window in rows { window.locate(in: chunk) }
        }
    }

    /// Reads one half of a merchant's window, and has `locator` search it for the refunds' orders.
    private static func readOrders(
        _ store: any OrderSource, merchant: MerchantRef, range: Range<Int64>, place: @Sendable (OrderTable) -> OrderChunk,
        locator: RefundLocator
    ) throws -> (orders: OrderChunk, digest: String) {
        let digest = StoreDigest()
        let orders = place(try store.orders(of: merchant, in: range, digest: digest))
        locator.chunkRead(orders)
        return (orders, digest.finalize())
    }

    /// Fails when the store repeats a key the day's reads saw twice: within one read, or in two
    /// reads (unless the order only moved from one to the other while they ran). The numbers a
    /// store keeps unique itself (`keptUnique`) are not looked for in two reads, nor refund
    /// numbers at all: the table's unique index refuses a second row with one.
    func checkUniqueKeys(in store: any OrderSource, keptUnique: (orders: Bool, refunds: Bool)) throws {
        var orderKeys = orders.flatMap(\.repeatedKeys) + (keptUnique.orders ? [] : OrderChunk.sharedKeys(orders))
        var refundKeys: [String] = []
        if !keptUnique.refunds {
            // Each number with its order's. A set of the numbers alone would do, but its table, half
            // the size, stays in the C heap once freed: at 10M it added 11 MiB to the run's peak
            // memory, where the dictionary's is mapped on its own and given back.
            var seen: [String: String] = [:]
            seen.reserveCapacity(refunds.count)
            // By index, so that each refund's number is read in place rather than the whole refund copied.
            for index in refunds.indices {
                guard seen.updateValue(refunds[index].outTradeNo, forKey: refunds[index].outRefundNo) != nil else { continue }
                refundKeys.append(refunds[index].outRefundNo)
                orderKeys.append(refunds[index].outTradeNo)
            }
        }
        guard !orderKeys.isEmpty || !refundKeys.isEmpty else { return }
        try store.checkUnique(outTradeNos: orderKeys, outRefundNos: refundKeys)
    }
}

/// The store connections a run's day reads use, opened once per run: one for each half of a
/// merchant's window and one for its refunds.
///
/// An ``OrderSource`` is not `Sendable`: a connection must not be used by two threads at once. Here each
/// is used by one read at a time: ``DayStoreRead`` reads one merchant after another, and each of
/// a merchant's three reads has a connection of its own and ends before the next merchant's start.
/// Once the day's store read has ended, the first checks the keys it saw twice
/// (``checkUniqueKeys(of:)``), and that check ends before the day's lookups start.
final class StoreReaders: @unchecked Sendable {
    let firstHalf: any OrderSource
    let secondHalf: any OrderSource
    let refunds: any OrderSource
    /// Which numbers the store keeps unique itself (``OrderSource/keepsNumbersUnique()``).
    let keptUnique: (orders: Bool, refunds: Bool)

    /// Opens three more connections to the orders `source` reads.
    init(like source: any OrderSource) throws {
        firstHalf = try source.reopened()
        secondHalf = try source.reopened()
        refunds = try source.reopened()
        keptUnique = try source.keepsNumbersUnique()
    }

    /// Checks the keys `read` saw twice (``DayStoreRead/checkUniqueKeys(in:keptUnique:)``) on the
    /// first connection, once the day's store read has ended and before its lookups.
    func checkUniqueKeys(of read: DayStoreRead) throws {
        try read.checkUniqueKeys(in: firstHalf, keptUnique: keptUnique)
    }

    /// The owners of the orders numbered by `keys` (``OrderSource/orderOwners(_:)``), looked up
    /// ``split(_:_:work:merge:)`` over the two halves' connections: the refunds of earlier days' orders.
    func orderOwners(_ keys: [[UInt8]]) throws -> [OrderOwner?] {
        let cut = keys.count / 2
        guard cut > 0 else { return try firstHalf.orderOwners(keys) }
        return try split(Array(keys[..<cut]), Array(keys[cut...]), work: { try $0.orderOwners($1) }) { $0 += $1 }
    }

    /// Looks `request` up ``split(_:_:work:merge:)`` over the two halves' connections: each
    /// takes half of its orders and half of its refunds, the first also its combine members. The
    /// rows are those one connection finds.
    func lookup(_ request: LookupRequest) throws -> LookupResult {
        let orderCut = request.outTradeNos.count / 2
        let refundCut = request.outRefundNos.count / 2
        guard orderCut + refundCut > 0 else { return try firstHalf.lookup(request) }
        let first = LookupRequest(
            outTradeNos: Array(request.outTradeNos[..<orderCut]), outRefundNos: Array(request.outRefundNos[..<refundCut]),
            combineOutTradeNos: request.combineOutTradeNos)
        let second = LookupRequest(
            outTradeNos: Array(request.outTradeNos[orderCut...]), outRefundNos: Array(request.outRefundNos[refundCut...]))
        return try split(first, second, work: { try $0.lookup($1) }) { $0.merge($1) }
    }

    /// Runs `work` on the first half's connection with `first` and, at the same time, on the
    /// second half's with `second`, once the day's store read has ended, and merges the second's
    /// answer into the first's. When both fail, the first's error is thrown.
    private func split<Part, Answer>(
        _ first: Part, _ second: Part, work: (any OrderSource, Part) throws -> Answer, merge: (inout Answer, Answer) -> Void
    ) throws -> Answer {
        var other: Answer?
        var answer = try concurrently({ other = try work(secondHalf, second) }, with: { try work(firstHalf, first) })
        merge(&answer, other!)
        return answer
    }
}
