/// Finds the orders that many order numbers name (the orders of a day's refunds, say) among chunks
/// of orders given one at a time, as each part of the day's read ends.
///
/// Each chunk costs the smaller of the numbers still to find and the chunk's orders: the numbers
/// are looked up in the chunk's index, or else the chunk's orders in an index of the numbers. So a
/// day of one merchant's two large chunks costs a lookup per number, and a day of many merchants'
/// small chunks a lookup per order, rather than one per number and chunk.
///
/// A number that two chunks hold is found in the first chunk given that holds it; the chunks may
/// come in any order, since such a number is either one order read twice or a key the store
/// repeats, which the day's read refuses.
public struct OrderSearch: Sendable {
    private let keys: [String]
    /// The numbers still to find, with their hashes.
    private var pending: [(item: Int, hash: UInt64)]
    /// Where each number's order was found: the chunk's number and the order's position, packed; -1 when not found.
    private var found: [Int]
    /// The numbers by hash, built when first needed, and for each number the next with the same text.
    private var index: (keys: KeyIndex, next: [Int32])?

    /// Starts a search for the orders numbered `keys`; a key `searched` refuses is never found.
    public init(keys: [String], searched: (Int) -> Bool) {
        self.keys = keys
        pending = keys.indices.filter(searched).map { ($0, KeyIndex.hash(keys[$0])) }
        found = Array(repeating: -1, count: keys.count)
    }

    /// Where the order of key `item` was found: the `number` its chunk was given with, and its
    /// position there.
    public func order(of item: Int) -> (chunk: Int, position: Int)? {
        found[item] < 0 ? nil : (found[item] >> 32, found[item] & 0xFFFF_FFFF)
    }

    /// Looks for the numbers not found yet among `chunk`'s orders.
    /// - Parameter number: The number the chunk is known by in ``order(of:)``; less than 2^31.
    public mutating func search(_ chunk: OrderChunk, number: Int) {
        guard !pending.isEmpty else { return }
        // Taken out while the search writes to it, and put back after.
        var found: [Int] = []
        swap(&found, &self.found)
        defer { swap(&found, &self.found) }
        let keys = self.keys
        if pending.count <= chunk.orders.count {
            pending = chunk.probe(pending) { item, body in
                keys[item].utf8.withContiguousStorageIfAvailable(body) ?? {
                    var key = keys[item]
                    return key.withUTF8(body)
                }()
            } found: { item, position in
                found[item] = number << 32 | position
            }
            return
        }
        let (index, next) = self.index ?? indexKeys()
        self.index = (index, next)
        let orders = chunk.orders
        let hashes = orders.indices.map { orders.withKey(at: $0, KeyIndex.hash) }
        for position in orders.indices {
            if position + prefetchDistance < hashes.count { index.prefetch(hash: hashes[position + prefetchDistance]) }
            let first = orders.withKey(at: position) { key in
                index.position(hash: hashes[position]) { keys[$0].hasUTF8(key) }
            }
            var item = first ?? -1
            while item >= 0 {
                if found[item] < 0 { found[item] = number << 32 | position }
                item = Int(next[item])
            }
        }
        pending.removeAll { found[$0.item] >= 0 }
    }

    /// An index of the numbers still to find, and for each the next number with the same text.
    private func indexKeys() -> (KeyIndex, [Int32]) {
        var index = KeyIndex(capacity: pending.count)
        var next = [Int32](repeating: -1, count: keys.count)
        for (item, hash) in pending {
            if let first = index.insert(hash: hash, at: item, isKey: { keys[$0] == keys[item] }) {
                next[item] = next[first]
                next[first] = Int32(item)
            }
        }
        return (index, next)
    }
}
