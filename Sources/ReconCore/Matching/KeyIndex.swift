import CPrefetch

/// How many items ahead loops over scattered memory (the key indexes, a day's orders) ask for
/// the item they will need.
let prefetchDistance = 16

/// An index from text keys (`out_trade_no`, `out_refund_no`) to positions in an array, built
/// once for a day's millions of store rows and then only read, from several tasks at a time.
///
/// Open addressing with linear probing over a power-of-two table at most three quarters full. Each slot
/// packs 32 bits of the key's hash with the position, so a probe looks at the key itself (in the
/// indexed array, through `isKey` or `keyAt`) only when the hashes agree. The index holds no keys of its own.
struct KeyIndex: Sendable {
    /// `hash tag | position + 1`, the tag in the high 32 bits; zero marks an empty slot.
    private var slots: [UInt64]
    private let mask: Int
    private let capacity: Int
    private var count = 0

    /// Creates an empty index for at most `capacity` keys.
    init(capacity: Int) {
        precondition(capacity < Int(UInt32.max), "KeyIndex holds fewer than 2^32 - 1 keys")
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        self.capacity = capacity
    }

    /// Adds `key` at `position`, unless the key is already present.
    /// - Parameters:
    ///   - hash: `KeyIndex.hash(key)`, when already known.
    ///   - keyAt: The key at a position added earlier.
    /// - Returns: `nil` when the key was added, or the position it already had.
    @discardableResult
    mutating func insert(_ key: String, hash: UInt64? = nil, at position: Int, keyAt: (Int) -> String) -> Int? {
        insert(hash: hash ?? Self.hash(key), at: position) { keyAt($0) == key }
    }

    /// Adds the key whose hash is `hash` at `position`, unless the key is already present.
    /// - Parameter isKey: Whether the key at a position added earlier is the one being added.
    /// - Returns: `nil` when the key was added, or the position it already had.
    @discardableResult
    mutating func insert(hash: UInt64, at position: Int, isKey: (Int) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if let found = occupant(of: slot, hash: hash), isKey(found) { return found }
            slot = (slot + 1) & mask
        }
        precondition(count < capacity, "KeyIndex is full")
        count += 1
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        return nil
    }

    /// The position of `key`, when present.
    /// - Parameters:
    ///   - hash: `KeyIndex.hash(key)`, when already known.
    ///   - keyAt: The key at a position added earlier.
    func position(of key: String, hash: UInt64? = nil, keyAt: (Int) -> String) -> Int? {
        position(hash: hash ?? Self.hash(key)) { keyAt($0) == key }
    }

    /// The position of the key whose hash is `hash`, when present.
    /// - Parameter isKey: Whether the key at a position added earlier is the one sought.
    func position(hash: UInt64, isKey: (Int) -> Bool) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if let found = occupant(of: slot, hash: hash), isKey(found) { return found }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The position of the first key whose hash agrees with `hash` in 32 bits beyond those that
    /// pick its slot: almost always the key itself, but only a comparison of keys can tell.
    /// Looking many keys up this way first, then comparing, lets their memory reads overlap.
    func candidate(forHash hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            if let found = occupant(of: slot, hash: hash) { return found }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// ``candidate(forHash:)`` of each of `pending`'s hashes, in order, each slot loaded a few
    /// hashes ahead of its probe: the first stage of looking many keys up at once.
    func candidates(for pending: [(item: Int, hash: UInt64)]) -> [Int?] {
        var candidates = [Int?](repeating: nil, count: pending.count)
        for (index, item) in pending.enumerated() {
            if index + prefetchDistance < pending.count { prefetch(hash: pending[index + prefetchDistance].hash) }
            candidates[index] = candidate(forHash: item.hash)
        }
        return candidates
    }

    /// Starts loading the slot `hash` lands in, for a lookup or insertion a few steps later.
    @inline(__always)
    func prefetch(hash: UInt64) {
        slots.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// The position in an occupied slot, when its hash tag agrees with `hash`.
    @inline(__always)
    private func occupant(of slot: Int, hash: UInt64) -> Int? {
        let found = slots[slot]
        return found >> 32 == hash >> 32 ? Int(truncatingIfNeeded: found & 0xFFFF_FFFF) - 1 : nil
    }

    /// A 64-bit hash of the key's UTF-8 bytes.
    static func hash(_ key: String) -> UInt64 {
        if let hash = key.utf8.withContiguousStorageIfAvailable(hash) { return hash }
        var copy = key
        return copy.withUTF8(hash)
    }

    /// Mixes the bytes eight at a time with multiply-xorshift steps (the finaliser of SplitMix64).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        guard let base = bytes.baseAddress else { return mix(hash) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            for index in offset..<count { tail = tail << 8 | UInt64(base[index]) }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = z &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }
}
