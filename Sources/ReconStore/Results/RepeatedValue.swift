import Foundation

/// The value one or two columns made in the row before, kept with their bytes: the job's own
/// tables repeat a merchant, a day, a kind or a run's time from row to row, and each is then
/// parsed and checked once for the rows that repeat it.
struct RepeatedValue<Value> {
    private var kept: (first: [UInt8]?, second: [UInt8]?, value: Value)?

    /// The value of columns holding `first` and `second` (`nil` for NULL), made by `make` unless
    /// the row before held the same bytes in them. A value `make` refuses to make is not kept.
    mutating func of(
        _ first: UnsafeBufferPointer<UInt8>?, _ second: UnsafeBufferPointer<UInt8>? = nil, make: () throws -> Value
    ) rethrows -> Value {
        if let kept, Self.same(first, kept.first), Self.same(second, kept.second) { return kept.value }
        kept = nil
        // Copied before `make` reads the columns again, which may move their text.
        let bytes = (first: first.map(Array.init), second: second.map(Array.init))
        let made = try make()
        kept = (bytes.first, bytes.second, made)
        return made
    }

    /// Whether a column holds what was kept of it: NULL both times, or the same bytes.
    private static func same(_ bytes: UnsafeBufferPointer<UInt8>?, _ kept: [UInt8]?) -> Bool {
        switch (bytes, kept) {
        case (nil, nil): true
        case let (bytes?, kept?): bytes.count == kept.count && (bytes.isEmpty || memcmp(bytes.baseAddress!, kept, bytes.count) == 0)
        default: false
        }
    }
}
