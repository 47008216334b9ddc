/// Finds the store item a bill row names, by its key.
///
/// A locator only reads, so each task that parses part of a bill can look its rows up at the
/// same time, and hand ``DayMatcher/ingest(_:at:)`` rows whose item is already found.
public struct EntryLocator: Sendable {
    private let chunks: [OrderChunk]
    /// Where each chunk's orders start among the day's orders, and where the last ends.
    let chunkStarts: [Int]
    private let refunds: [Refund]
    private let refundIndex: KeyIndex
    /// Positions of refunds whose key an earlier refund already has.
    let refundRepeats: Set<Int>

    init(chunks: [OrderChunk], refunds: [Refund]) {
        var refundIndex = KeyIndex(capacity: refunds.count)
        var refundRepeats: Set<Int> = []
        for (position, refund) in refunds.enumerated()
        where refundIndex.insert(refund.outRefundNo, at: position, keyAt: { refunds[$0].outRefundNo }) != nil {
            refundRepeats.insert(position)
        }
        self.chunks = chunks
        self.chunkStarts = chunks.reduce(into: [0]) { $0.append($0.last! + $1.orders.count) }
        self.refunds = refunds
        self.refundIndex = refundIndex
        self.refundRepeats = refundRepeats
    }

    /// The position of the row's item: among the day's orders for a payment row, among its
    /// refunds for a refund row.
    public func position(of entry: BillEntry) -> Int? {
        switch entry.kind {
        case .payment: orderPosition(of: entry.outTradeNo)
        case .refund: refundIndex.position(of: entry.matchKey) { refunds[$0].outRefundNo }
        }
    }

    /// The positions of a batch of rows' items, as ``position(of:)`` gives them one at a time.
    ///
    /// Payments are looked up in stages across the whole batch (hash every key, then probe every
    /// slot, then compare every candidate), so the processor has many table and order reads in
    /// flight at once instead of waiting for each in turn.
    public func positions(of entries: [BillEntry]) -> [Int?] {
        entries.withUnsafeBufferPointer(positions(of:))
    }

    private func positions(of entries: UnsafeBufferPointer<BillEntry>) -> [Int?] {
        var positions = [Int?](repeating: nil, count: entries.count)
        var pending: [(entry: Int, hash: UInt64)] = []
        pending.reserveCapacity(entries.count)
        for index in entries.indices {
            if entries[index].kind == .payment {
                pending.append((index, KeyIndex.hash(entries[index].outTradeNo)))
            } else {
                positions[index] = position(of: entries[index])
            }
        }
        var candidates = [Int?](repeating: nil, count: pending.count)
        for (chunk, start) in zip(chunks, chunkStarts) where !pending.isEmpty {
            for (index, item) in pending.enumerated() {
                if index + prefetchDistance < pending.count {
                    chunk.prefetchSlot(hash: pending[index + prefetchDistance].hash)
                }
                candidates[index] = chunk.candidate(forHash: item.hash)
            }
            var unresolved: [(entry: Int, hash: UInt64)] = []
            for (index, item) in pending.enumerated() {
                if index + prefetchDistance < pending.count, let ahead = candidates[index + prefetchDistance] {
                    chunk.prefetchOrder(at: ahead)
                }
                let key = entries[item.entry].outTradeNo
                if let candidate = candidates[index], chunk.hasKey(key, at: candidate) {
                    positions[item.entry] = start + candidate
                } else if candidates[index] != nil, let found = chunk.position(of: key, hash: item.hash) {
                    positions[item.entry] = start + found
                } else {
                    unresolved.append(item)
                }
            }
            pending = unresolved
        }
        return positions
    }

    /// The position among the day's orders of the first order with `outTradeNo`.
    func orderPosition(of outTradeNo: String) -> Int? {
        for (chunk, start) in zip(chunks, chunkStarts) {
            if let position = chunk.position(of: outTradeNo) { return start + position }
        }
        return nil
    }
}
