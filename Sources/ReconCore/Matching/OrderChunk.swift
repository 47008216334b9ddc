import CPrefetch

/// Orders from one read of the store, indexed by `out_trade_no` and placed against the day.
///
/// A day's orders are read in a few parts at once. Each part is indexed, placed and counted in
/// the task that read it, so that work runs in parallel and ``DayMatcher`` only joins the parts.
public struct OrderChunk: Sendable {
    /// Where an order lies relative to the day being reconciled.
    struct Placement {
        /// The order's time is within the day (not in the grace margin around it), and it is the
        /// first order of the chunk with its key.
        var isCore = false
        /// The order's time is outside the day or within the grace of one of its edges, so rows
        /// for it matter to the boundary rule.
        var isNearEdge = false
    }

    /// The day the orders are placed against.
    public let day: CivilDate
    /// The orders, as read.
    public let orders: OrderTable
    let placements: [Placement]
    /// Counts and totals of the chunk's core orders.
    let tally: OrderTally
    /// Positions of the core orders that belong to a combine payment.
    let combinePositions: [Int]
    /// Keys that more than one order of the chunk has: a store whose keys are not unique.
    public let repeatedKeys: [String]
    private let index: KeyIndex

    /// Indexes `orders` and places them against `day`, in each order's provider's zone.
    public init(_ orders: [Order], day: CivilDate, zones: ProviderZones, policy: MatchPolicy) {
        self.init(OrderTable(orders), day: day, zones: zones, policy: policy)
    }

    /// Indexes `orders` and places them against `day`, in each order's provider's zone.
    public init(_ orders: OrderTable, day: CivilDate, zones: ProviderZones, policy: MatchPolicy) {
        var index = KeyIndex(capacity: orders.count)
        var placements = Array(repeating: Placement(), count: orders.count)
        var tally = OrderTally()
        var combinePositions: [Int] = []
        var repeatedKeys: [String] = []
        // One window per merchant of the read, read in place for each order rather than copied.
        let windows = orders.merchantSlots.map { zones.window(day, for: $0.provider) }
        // Hashing every key first keeps the insertion loop small, so its scattered reads overlap.
        let hashes = orders.indices.map { orders.withKey(at: $0, KeyIndex.hash) }
        for position in orders.indices {
            if position + prefetchDistance < hashes.count {
                index.prefetch(hash: hashes[position + prefetchDistance])
            }
            let slot = orders.merchantSlot(at: position)
            let time = orders.effectiveSeconds(at: position)
            placements[position].isNearEdge =
                windows[slot].side(of: time) != nil || windows[slot].edge(near: time, grace: policy.boundaryGrace) != nil
            // Only the first order with a key is matched; a repeat is left out of the day.
            let repeated = orders.withKey(at: position) { key in
                index.insert(hash: hashes[position], at: position) { orders.keyEquals(at: $0, key) }
            }
            guard repeated == nil else {
                repeatedKeys.append(orders.key(at: position))
                continue
            }
            guard windows[slot].contains(time) else { continue }
            placements[position].isCore = true
            tally.add(status: orders.status(at: position), amount: orders.amount(at: position))
            if orders.isCombineMember(at: position) { combinePositions.append(position) }
        }
        self.day = day
        self.orders = orders
        self.placements = placements
        self.tally = tally
        self.combinePositions = combinePositions
        self.repeatedKeys = repeatedKeys
        self.index = index
    }

    /// The merchants whose orders the chunk holds (one, for a read of one merchant's window).
    public var merchants: [MerchantRef] { orders.merchantSlots }

    /// The keys that two of `chunks` hold: a key the store repeats, or an order that moved from
    /// one read to another while they ran. Chunks of the same merchants (the halves of a window)
    /// are compared pair by pair through their indexes; chunks of different merchants, whose
    /// orders can meet only through a repeated key, through one table of every key's hash, so a
    /// day of many merchants costs one pass rather than one per pair.
    public static func sharedKeys(_ chunks: [OrderChunk]) -> [String] {
        var shared: [String] = []
        for (index, chunk) in chunks.enumerated() {
            for earlier in chunks[..<index] where earlier.merchants == chunk.merchants { shared += chunk.keys(sharedWith: earlier) }
        }
        let groups = Dictionary(grouping: chunks.indices, by: { chunks[$0].merchants }).values.sorted { $0[0] < $1[0] }
        guard groups.count > 1 else { return shared }
        // The first merchant group whose orders hash to each value; a key of another group with
        // the same hash is then compared with that group's chunks.
        var firstGroup: [UInt64: Int] = [:]
        firstGroup.reserveCapacity(chunks.map(\.orders.count).reduce(0, +))
        for (group, members) in groups.enumerated() {
            for member in members {
                let orders = chunks[member].orders
                for position in orders.indices {
                    let hash = orders.withKey(at: position, KeyIndex.hash)
                    guard let other = firstGroup[hash] else {
                        firstGroup[hash] = group
                        continue
                    }
                    guard other != group else { continue }
                    let found = orders.withKey(at: position) { key in
                        groups[other].contains { chunks[$0].position(of: key, hash: hash) != nil }
                    }
                    if found { shared.append(orders.key(at: position)) }
                }
            }
        }
        return shared
    }

    /// The keys that both this chunk and `other` hold: a key the store repeats, or an order that
    /// moved from one read to the other while they ran.
    public func keys(sharedWith other: OrderChunk) -> [String] {
        let (small, large) = orders.count <= other.orders.count ? (self, other) : (other, self)
        // Keys are hashed and compared as the table's bytes; a string is made only for a key found in both.
        let hashes = small.orders.indices.map { small.orders.withKey(at: $0, KeyIndex.hash) }
        var shared: [String] = []
        for position in small.orders.indices {
            if position + prefetchDistance < hashes.count { large.index.prefetch(hash: hashes[position + prefetchDistance]) }
            let found = small.orders.withKey(at: position) { key in
                large.index.position(hash: hashes[position]) { large.orders.keyEquals(at: $0, key) }
            }
            if found != nil { shared.append(small.orders.key(at: position)) }
        }
        return shared
    }

    /// Looks the numbers of `pending` items up in stages across them (the hash slots, then the
    /// candidates, then the numbers), so that many memory reads are in flight at once rather than
    /// each waiting for the one before.
    /// - Parameters:
    ///   - pending: Each item with the ``KeyIndex/hash(_:)`` of its number.
    ///   - withKey: Calls its second argument with the UTF-8 bytes of the item's number.
    ///   - found: Receives each item found, with the position of its order.
    /// - Returns: The items not found, in the order given.
    func probe(
        _ pending: [(item: Int, hash: UInt64)],
        withKey: (_ item: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Int?) -> Int?,
        found: (_ item: Int, _ position: Int) -> Void
    ) -> [(item: Int, hash: UInt64)] {
        let candidates = index.candidates(for: pending)
        var unresolved: [(item: Int, hash: UInt64)] = []
        for (index, item) in pending.enumerated() {
            // Where a candidate's number ends is loaded twice as far ahead as the number itself,
            // which is found through it.
            if index + 2 * prefetchDistance < pending.count, let far = candidates[index + 2 * prefetchDistance] {
                orders.prefetchKeyEnd(at: far)
            }
            if index + prefetchDistance < pending.count, let ahead = candidates[index + prefetchDistance] {
                orders.prefetchKey(at: ahead)
            }
            let position = withKey(item.item) { key in
                guard let candidate = candidates[index] else { return nil }
                return orders.keyEquals(at: candidate, key) ? candidate : self.position(of: key, hash: item.hash)
            }
            if let position {
                found(item.item, position)
            } else {
                unresolved.append(item)
            }
        }
        return unresolved
    }

    /// The position of the first order numbered by the UTF-8 bytes `key`, when the chunk has one.
    /// - Parameter hash: `KeyIndex.hash(key)`.
    func position(of key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        index.position(hash: hash) { orders.keyEquals(at: $0, key) }
    }
}

/// Counts and totals of a day's local orders.
struct OrderTally {
    private(set) var byStatus = Array(repeating: 0, count: OrderStatus.allCases.count)
    private(set) var paid = SmallCurrencyTotals()

    /// Counts an order by its status and amount.
    mutating func add(status: OrderStatus, amount: Money) {
        byStatus[status.index] += 1
        if status.isPaid { paid.add(amount) }
    }

    mutating func add(_ other: OrderTally) {
        for status in OrderStatus.allCases { byStatus[status.index] += other.byStatus[status.index] }
        paid.add(other.paid)
    }

    mutating func remove(_ order: Order) {
        byStatus[order.status.index] -= 1
        if order.status.isPaid { paid.add(order.amount.negated) }
    }
}
