import CPrefetch

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
    /// The chunks that hold each merchant's orders, in order.
    private let chunksOf: [MerchantRef: [Int]]

    init(chunks: [OrderChunk], refunds: [Refund]) {
        var refundIndex = KeyIndex(capacity: refunds.count)
        var refundRepeats: Set<Int> = []
        // By position, so that no refund is copied whole.
        for position in refunds.indices
        where refundIndex.insert(refunds[position].outRefundNo, at: position, keyAt: { refunds[$0].outRefundNo }) != nil {
            refundRepeats.insert(position)
        }
        self.chunks = chunks
        self.chunkStarts = chunks.reduce(into: [0]) { $0.append($0.last! + $1.orders.count) }
        self.refunds = refunds
        self.refundIndex = refundIndex
        self.refundRepeats = refundRepeats
        var chunksOf: [MerchantRef: [Int]] = [:]
        for (index, chunk) in chunks.enumerated() {
            for merchant in chunk.merchants { chunksOf[merchant, default: []].append(index) }
        }
        self.chunksOf = chunksOf
    }

    /// The position of the row's item: among the day's orders for a payment row, among its
    /// refunds for a refund row.
    public func position(of entry: BillEntry) -> Int? {
        switch entry.kind {
        case .payment: entry.outTradeText.withUTF8(orderPosition(of:))
        case .refund: refundPosition(of: entry.matchText)
        }
    }

    /// The position among the day's refunds of the first refund numbered `key`.
    private func refundPosition(of key: InlineText) -> Int? {
        key.withUTF8 { refundPosition(of: $0, hash: KeyIndex.hash($0)) }
    }

    /// The position among the day's refunds of the first refund numbered by the UTF-8 bytes `key`,
    /// whose ``KeyIndex/hash(_:)`` is `hash`.
    private func refundPosition(of key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        refundIndex.position(hash: hash) { refunds[$0].outRefundNo.hasUTF8(key) }
    }

    /// The positions of a batch of rows' items, as ``position(of:)`` gives them one at a time.
    ///
    /// Payments and refunds are looked up in stages across the whole batch (hash every key, then
    /// probe every slot, then compare every candidate), so the processor has many table and
    /// item reads in flight at once instead of waiting for each in turn.
    public func positions(of entries: UnsafeBufferPointer<BillEntry>) -> [Int?] {
        var positions = [Int?](repeating: nil, count: entries.count)
        var pending: [(item: Int, hash: UInt64)] = []
        var pendingRefunds: [(item: Int, hash: UInt64)] = []
        pending.reserveCapacity(entries.count)
        for index in entries.indices {
            if entries[index].kind == .payment {
                pending.append((index, entries[index].outTradeText.withUTF8(KeyIndex.hash)))
            } else {
                pendingRefunds.append((index, entries[index].matchText.withUTF8(KeyIndex.hash)))
            }
        }
        locateRefunds(pendingRefunds, entries, &positions)
        // Each row is looked for first in the chunks of its own merchant, where its order is unless
        // the store repeats a key across merchants (which the day's read refuses); a row still not
        // found is looked for in every chunk, in order, as ``position(of:)`` does.
        // (With one merchant's chunks only, the second step is the whole search.)
        var left = pending
        if chunksOf.count > 1 {
            left = []
            for (merchant, items) in Dictionary(grouping: pending, by: { entries[$0.item].merchant }) {
                var rest = items
                for chunk in chunksOf[merchant] ?? [] where !rest.isEmpty { rest = probe(chunk, rest, entries, &positions) }
                left += rest
            }
            left.sort { $0.item < $1.item }
        }
        for chunk in chunks.indices where !left.isEmpty { left = probe(chunk, left, entries, &positions) }
        return positions
    }

    /// Sets the positions of `pending` refund rows, as ``refundPosition(of:)`` finds them: every
    /// slot first, then every candidate's number. A candidate's refund is loaded twice as far
    /// ahead of its comparison as its number, which is found through it.
    private func locateRefunds(
        _ pending: [(item: Int, hash: UInt64)], _ entries: UnsafeBufferPointer<BillEntry>, _ positions: inout [Int?]
    ) {
        let candidates = refundIndex.candidates(for: pending)
        refunds.withUnsafeBufferPointer { refunds in
            for (index, item) in pending.enumerated() {
                if index + 2 * prefetchDistance < pending.count, let far = candidates[index + 2 * prefetchDistance] {
                    recon_prefetch(refunds.baseAddress! + far)
                }
                if index + prefetchDistance < pending.count, let ahead = candidates[index + prefetchDistance] {
                    _ = refunds[ahead].outRefundNo.utf8.withContiguousStorageIfAvailable { recon_prefetch($0.baseAddress) }
                }
                positions[item.item] = entries[item.item].matchText.withUTF8 { key in
                    guard let candidate = candidates[index] else { return nil }
                    if refunds[candidate].outRefundNo.hasUTF8(key) { return candidate }
                    return refundPosition(of: key, hash: item.hash)
                }
            }
        }
    }

    /// Looks `pending` rows up in chunk `number` (``OrderChunk/probe(_:withKey:found:)``), setting
    /// the position of each found; returns the others.
    private func probe(
        _ number: Int, _ pending: [(item: Int, hash: UInt64)], _ entries: UnsafeBufferPointer<BillEntry>, _ positions: inout [Int?]
    ) -> [(item: Int, hash: UInt64)] {
        let start = chunkStarts[number]
        return chunks[number].probe(pending) { entry, body in
            entries[entry].outTradeText.withUTF8(body)
        } found: { entry, position in
            positions[entry] = start + position
        }
    }

    /// The position among the day's orders of the first order with `outTradeNo`.
    func orderPosition(of outTradeNo: String) -> Int? {
        var key = outTradeNo
        return key.withUTF8(orderPosition(of:))
    }

    /// The position among the day's orders of the first order numbered by the UTF-8 bytes `key`.
    func orderPosition(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = KeyIndex.hash(key)
        for (chunk, start) in zip(chunks, chunkStarts) {
            if let position = chunk.position(of: key, hash: hash) { return start + position }
        }
        return nil
    }
}
