import Testing

@testable import ReconCore

@Suite("Key index")
struct KeyIndexTests {
    /// Keys around the eight-byte steps of the hash, non-ASCII text, and keys that differ only at
    /// the end, so that a hash or comparison that stops early shows.
    static let keys = [
        "", "A", "1234567", "12345678", "123456789", "ORDER-0000001", "123456789012345", "1234567890123456",
        "12345678901234567", "4200001234202611201234567890123", "订单-20261120-1", "订单-20261120-2",
        "BENCH-500001", "BENCH-500002", "BENCH-5000010",
    ]

    @Test("finds every key it holds, at its position, and nothing else")
    func findsKeys() {
        var index = KeyIndex(capacity: Self.keys.count)
        for (position, key) in Self.keys.enumerated() {
            #expect(index.insert(key, at: position, keyAt: { Self.keys[$0] }) == nil, "\(key)")
        }
        for (position, key) in Self.keys.enumerated() {
            #expect(index.position(of: key) { Self.keys[$0] } == position, "\(key)")
        }
        for absent in ["B", "12345678 ", "BENCH-50000", "订单-20261120-3", "ORDER-0000001\0"] {
            #expect(index.position(of: absent) { Self.keys[$0] } == nil, "\(absent)")
        }
    }

    @Test("a key added twice keeps its first position")
    func repeatedKey() {
        let keys = ["A", "B", "A"]
        var index = KeyIndex(capacity: keys.count)
        #expect(index.insert("A", at: 0) { keys[$0] } == nil)
        #expect(index.insert("B", at: 1) { keys[$0] } == nil)
        #expect(index.insert("A", at: 2) { keys[$0] } == 0)
        #expect(index.position(of: "A") { keys[$0] } == 0)
    }

    @Test("a full index of many similar keys finds each one")
    func manyKeys() {
        let keys = (0..<50_000).map { "ORDER-\($0)" }
        var index = KeyIndex(capacity: keys.count)
        for (position, key) in keys.enumerated() { index.insert(key, at: position) { keys[$0] } }
        #expect(keys.indices.allSatisfy { index.position(of: keys[$0]) { keys[$0] } == $0 })
        #expect(index.position(of: "ORDER-50000") { keys[$0] } == nil)
    }

    @Test("a candidate by hash is the key's position; an absent key's hash finds none or a key to compare")
    func candidates() {
        let keys = (0..<1000).map { "K-\($0)" }
        var index = KeyIndex(capacity: keys.count)
        for (position, key) in keys.enumerated() { index.insert(key, at: position) { keys[$0] } }
        for (position, key) in keys.enumerated() {
            #expect(index.candidate(forHash: KeyIndex.hash(key)) == position)
            #expect(index.position(of: key, hash: KeyIndex.hash(key)) { keys[$0] } == position)
        }
        for absent in (1000..<2000).map({ "K-\($0)" }) {
            if let candidate = index.candidate(forHash: KeyIndex.hash(absent)) { #expect(keys[candidate] != absent) }
            #expect(index.position(of: absent) { keys[$0] } == nil)
        }
    }

    @Test("the hash reads every byte of the key")
    func hashUsesEveryByte() {
        var seen = Set<UInt64>()
        for length in 0...40 {
            let base = String(repeating: "x", count: length)
            seen.insert(KeyIndex.hash(base))
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "y")
                seen.insert(KeyIndex.hash(String(decoding: bytes, as: UTF8.self)))
            }
        }
        #expect(seen.count == 41 + (0...40).reduce(0, +))
    }
}
