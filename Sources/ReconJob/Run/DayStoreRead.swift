import ReconBills
import ReconCore
import ReconReports
import ReconStore

/// A day's rows from the store, read in parallel parts and checked for repeated keys.
struct DayStoreRead: Sendable {
    /// The orders, one chunk per part read, each indexed and placed against the day.
    var orders: [OrderChunk]
    /// The refunds.
    var refunds: [Refund]
    /// What the reports say about the read.
    var input: DayReport.StoreInput

    /// Reads the day's orders and refunds of the plan's merchants. Each merchant's window is read as two
    /// halves and its refunds at the same time, on the run's three reading connections and on
    /// threads of their own, and each half is indexed and placed against the day where it was read;
    /// the digest is taken over the parts' digests in order.
    static func read(_ plan: DayPlan, on readers: StoreReaders, config: ReconConfig) async throws -> DayStoreRead {
        let day = plan.day
        var chunks: [OrderChunk] = []
        var refunds: [Refund] = []
        var digests: [String] = []
        for merchant in plan.merchants {
            let range = plan.loadRange(for: merchant)
            let middle = range.lowerBound + (range.upperBound - range.lowerBound) / 2
            let (zones, policy) = (config.zones, config.policy)
            let place: @Sendable (OrderTable) -> OrderChunk = { OrderChunk($0, day: day, zones: zones, policy: policy) }
            async let first = BlockingWork.run {
                try Self.readOrders(readers.firstHalf, merchant: merchant, range: range.lowerBound..<middle, place: place)
            }
            async let second = BlockingWork.run {
                try Self.readOrders(readers.secondHalf, merchant: merchant, range: middle..<range.upperBound, place: place)
            }
            async let refundRead = BlockingWork.run {
                let digest = StoreDigest()
                return (
                    try readers.refunds.refunds(of: merchant, in: range, digest: digest),
                    digest.finalize()
                )
            }
            for part in try await [first, second] {
                chunks.append(part.orders)
                digests.append(part.digest)
            }
            let (merchantRefunds, refundDigest) = try await refundRead
            refunds += merchantRefunds
            digests.append(refundDigest)
        }
        let input = DayReport.StoreInput(
            path: config.storePath, ordersRead: chunks.map(\.orders.count).reduce(0, +), refundsRead: refunds.count,
            rowsSHA256: StoreDigest.combine(digests))
        return DayStoreRead(orders: chunks, refunds: refunds, input: input)
    }

    private static func readOrders(
        _ store: any OrderSource, merchant: MerchantRef, range: Range<Int64>, place: @Sendable (OrderTable) -> OrderChunk
    ) throws -> (orders: OrderChunk, digest: String) {
        let digest = StoreDigest()
        let orders = try store.orders(of: merchant, in: range, digest: digest)
        return (place(orders), digest.finalize())
    }

    /// Fails when the store repeats a key the day's reads saw twice: within one read, or in two
    /// reads (unless the order only moved from one to the other while they ran).
    func checkUniqueKeys(in store: any OrderSource) throws {
        var orderKeys = orders.flatMap(\.repeatedKeys)
        for (index, chunk) in orders.enumerated() {
            for earlier in orders[..<index] { orderKeys += chunk.keys(sharedWith: earlier) }
        }
        var seen: [String: String] = [:]
        var refundKeys: [String] = []
        for refund in refunds where seen.updateValue(refund.outTradeNo, forKey: refund.outRefundNo) != nil {
            refundKeys.append(refund.outRefundNo)
            orderKeys.append(refund.outTradeNo)
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
final class StoreReaders: @unchecked Sendable {
    let firstHalf: any OrderSource
    let secondHalf: any OrderSource
    let refunds: any OrderSource

    /// Opens three more connections to the orders `source` reads.
    init(like source: any OrderSource) throws {
        firstHalf = try source.reopened()
        secondHalf = try source.reopened()
        refunds = try source.reopened()
    }
}
