import CColumnMemory

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column of plain values that only grows, in one block of memory.
///
/// An `Array` grows by allocating a block twice as large and copying into it, so a column of
/// millions of values is copied, and its fresh pages zeroed by the kernel, at every doubling. A
/// column here lives on the heap while it is small, and from ``mappedBytes`` on in a memory
/// mapping of its own, which grows by moving its pages to a larger range (`mremap`): nothing is
/// copied, and the pages already written are not touched again. Pages of the capacity not yet
/// written take no memory.
///
/// It cannot be copied implicitly; ``copy()`` makes an independent column. The reports' writers
/// write their bytes into one as well. It is public and its appends inlinable so that other
/// modules get them specialised to their element type: the compiler inlines no `package` member
/// into another module, so a `package` column's appends there were calls to the generic ones.
public struct ColumnBuffer<Element: BitwiseCopyable>: ~Copyable {
    /// The size from which a column is kept in a mapping of its own.
    static var mappedBytes: Int { 1 << 20 }

    @usableFromInline var base: UnsafeMutablePointer<Element>?
    @usableFromInline var filled = 0
    @usableFromInline var capacity = 0
    /// The size of the mapping holding the column; 0 while it is on the heap.
    private var mappedSize = 0

    public init() {}

    /// How many values the column holds.
    @inlinable public var count: Int { filled }

    deinit {
        if mappedSize > 0 { recon_unmap(base, mappedSize) } else { free(base) }
    }

    /// An independent column with the same values.
    func copy() -> ColumnBuffer {
        var copy = ColumnBuffer()
        withUnsafeBufferPointer { copy.append(contentsOf: $0) }
        return copy
    }

    /// The value at `index`, which must be below ``count``.
    @inlinable @inline(__always)
    public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < filled, "column index out of range")
        return base.unsafelyUnwrapped[index]
    }

    /// Adds `value` at the end.
    @inlinable @inline(__always)
    public mutating func append(_ value: Element) {
        if filled == capacity { grow(toHold: filled + 1) }
        base.unsafelyUnwrapped[filled] = value
        filled += 1
    }

    /// Adds `values` at the end; a few bytes of them without a call to `memmove` (``ShortCopy``).
    @inlinable @inline(__always)
    public mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        if values.count > capacity - filled { grow(toHold: filled + values.count) }
        ShortCopy.copy(
            UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base.unsafelyUnwrapped + filled),
            count: values.count * MemoryLayout<Element>.stride)
        filled += values.count
    }

    /// Adds the values `write` writes in place, given room for `limit` of them and returning how
    /// many it wrote.
    @inlinable @inline(__always)
    public mutating func append(atMost limit: Int, _ write: (UnsafeMutablePointer<Element>) -> Int) {
        if limit > capacity - filled { grow(toHold: filled + limit) }
        let written = write(base.unsafelyUnwrapped + filled)
        precondition((0...limit).contains(written), "more values written than room was made for")
        filled += written
    }

    /// Makes room for `total` values in all, so that appends up to it do not grow the column.
    @inlinable
    public mutating func reserveCapacity(_ total: Int) {
        if total > capacity { grow(toHold: total) }
    }

    /// Removes every value, keeping the memory for the next ones.
    @inlinable
    public mutating func removeAll() { filled = 0 }

    /// Calls `body` with the values, which it must not keep.
    @inlinable @inline(__always)
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: filled))
    }

    /// At least doubles the capacity, to hold `minimum` values: on the heap while the column is
    /// below ``mappedBytes``, else in its mapping, rounded up to whole pages.
    @usableFromInline mutating func grow(toHold minimum: Int) {
        let stride = MemoryLayout<Element>.stride
        let (wanted, overflow) = Swift.max(minimum, capacity * 2, 64).multipliedReportingOverflow(by: stride)
        precondition(!overflow && wanted < Int.max / 2, "a column larger than memory")
        let grown: UnsafeMutableRawPointer?
        var bytes = wanted
        if wanted < Self.mappedBytes {
            grown = realloc(base, wanted)
        } else {
            let page = recon_page_size()
            bytes = (wanted + page - 1) / page * page
            if mappedSize > 0 {
                grown = recon_remap(base, mappedSize, bytes)
            } else {
                grown = recon_map(bytes)
                if let grown, let base {
                    grown.copyMemory(from: base, byteCount: count * stride)
                    free(base)
                }
            }
            if grown != nil { mappedSize = bytes }
        }
        guard let grown else { preconditionFailure("out of memory: a column of \(bytes) bytes") }
        capacity = bytes / stride
        base = grown.bindMemory(to: Element.self, capacity: capacity)
    }
}
