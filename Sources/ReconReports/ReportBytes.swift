import Foundation
import ReconCore

/// What the reports' writers add to the bytes they write, which they keep in a column of bytes
/// (``ColumnBuffer``): one block grown without copying once past a megabyte, appended to with a
/// single check for room, where an array also checks on each of hundreds of thousands of short
/// appends that it is not shared.
extension ColumnBuffer where Element == UInt8 {
    /// Appends the UTF-8 of `text`.
    @inline(__always)
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends the decimal digits of `value`, with a minus sign when it is negative.
    mutating func append(decimal value: Int64) {
        append(atMost: FixedDecimal.maxTextBytes) { FixedDecimal(units: value, scale: 0).write(into: $0) }
    }

    /// A copy of the bytes.
    var data: Data { withUnsafeBufferPointer { Data(buffer: $0) } }

    /// The bytes as UTF-8 text.
    var text: String { withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }
}
