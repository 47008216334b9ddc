#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column of plain values that only grows, in one block of memory grown with `realloc`.
///
/// An `Array` grows by allocating a block twice as large and copying into it, so a column of
/// millions of values is copied, and its fresh pages zeroed by the kernel, at every doubling. The
/// C library grows a large block by remapping its pages instead: nothing is copied, and the pages
/// already written are not touched again.
///
/// It cannot be copied implicitly; ``copy()`` makes an independent column.
struct ColumnBuffer<Element: BitwiseCopyable>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    /// How many values the column holds.
    private(set) var count = 0
    private var capacity = 0

    init() {}

    deinit { free(base) }

    /// An independent column with the same values.
    func copy() -> ColumnBuffer {
        var copy = ColumnBuffer()
        withUnsafeBufferPointer { copy.append(contentsOf: $0) }
        return copy
    }

    /// The value at `index`, which must be below ``count``.
    @inline(__always)
    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "column index out of range")
        return base.unsafelyUnwrapped[index]
    }

    /// Adds `value` at the end.
    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(toHold: count + 1) }
        base.unsafelyUnwrapped[count] = value
        count += 1
    }

    /// Adds `values` at the end.
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        if count + values.count > capacity { grow(toHold: count + values.count) }
        (base.unsafelyUnwrapped + count).update(from: source, count: values.count)
        count += values.count
    }

    /// Calls `body` with the values, which it must not keep.
    @inline(__always)
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Doubles the capacity (at least), to hold `minimum` values.
    private mutating func grow(toHold minimum: Int) {
        let (bytes, overflow) = Swift.max(minimum, capacity * 2, 64).multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(!overflow, "a column larger than memory")
        guard let grown = realloc(base, bytes) else { preconditionFailure("out of memory: a column of \(bytes) bytes") }
        capacity = bytes / MemoryLayout<Element>.stride
        base = grown.bindMemory(to: Element.self, capacity: capacity)
    }
}
