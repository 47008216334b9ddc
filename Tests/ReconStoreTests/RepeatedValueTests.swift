@testable import ReconStore
import Testing

@Suite("Values repeated from row to row")
struct RepeatedValueTests {
    struct Refused: Error {}

    /// Looks `columns` up in turn, each value made as its columns joined; returns the values and
    /// the columns that were made rather than taken from the row before.
    func values(_ columns: [(String?, String?)], refusing refused: String? = nil) -> (values: [String], made: [Int]) {
        var repeated = RepeatedValue<String>()
        var values: [String] = []
        var made: [Int] = []
        for (index, (first, second)) in columns.enumerated() {
            let firstBytes = first.map { Array($0.utf8) }
            let secondBytes = second.map { Array($0.utf8) }
            let value = try? withBytes(firstBytes) { first in
                try withBytes(secondBytes) { second in
                    try repeated.of(first, second) {
                        made.append(index)
                        let value = (first: first.map { String(decoding: $0, as: UTF8.self) } ?? "NULL",
                            second: second.map { String(decoding: $0, as: UTF8.self) } ?? "NULL")
                        if value.first == refused { throw Refused() }
                        return value.first + "|" + value.second
                    }
                }
            }
            values.append(value ?? "refused")
        }
        return (values, made)
    }

    func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        guard let bytes else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body($0) }
    }

    @Test("the same bytes give the value made for the row before; other bytes, NULL or a second column that differs make it again")
    func repeats() {
        let result = values([
            ("CNY", nil), ("CNY", nil), ("USD", nil), ("", nil), (nil, nil), (nil, nil), ("", nil),
            ("a", "1"), ("a", "1"), ("a", "2"), ("a", ""), ("a", nil), ("a", nil),
        ])
        #expect(result.values == [
            "CNY|NULL", "CNY|NULL", "USD|NULL", "|NULL", "NULL|NULL", "NULL|NULL", "|NULL",
            "a|1", "a|1", "a|2", "a|", "a|NULL", "a|NULL",
        ])
        #expect(result.made == [0, 2, 3, 4, 6, 7, 9, 10, 11])
    }

    @Test("a value refused is not kept: the same bytes are refused again, and the value before is not given for them")
    func refusalsAreNotKept() {
        let result = values([("ok", nil), ("bad", nil), ("bad", nil), ("ok", nil)], refusing: "bad")
        #expect(result.values == ["ok|NULL", "refused", "refused", "ok|NULL"])
        #expect(result.made == [0, 1, 2, 3])
    }
}
