import Foundation
import ReconCore

/// The bytes a report's writer holds (those not yet handed on to its file, or all of them when it
/// keeps them): one allocation, doubled when full, appended to with a single check for room.
///
/// A report's writers make hundreds of thousands of short appends (a comma, a key, a number); an
/// array checks on each that it is not shared and has room, and calls `memmove` for every run.
/// A buffer belongs to one writer, used from one thread, so it needs no runtime exclusivity checks;
/// the writers that hold one cannot be copied, so that no two write into it.
final class ByteBuffer {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written, valid until the next change to the buffer.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// A copy of the bytes written.
    var data: Data { Data(bytes: base, count: count) }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toHold: bytes.count) }
        ShortCopy.copy(UnsafeRawPointer(source), to: UnsafeMutableRawPointer(base + count), count: bytes.count)
        count += bytes.count
    }

    /// Appends the UTF-8 of `text`.
    @inline(__always)
    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends the decimal digits of `value`, with a minus sign when it is negative.
    func append(decimal value: Int64) {
        append(atMost: FixedDecimal.maxTextBytes) { FixedDecimal(units: value, scale: 0).write(into: $0) }
    }

    /// Appends `count` bytes written in place by `write`, which is given room for exactly them.
    @inline(__always)
    func append(count: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        if capacity - self.count < count { grow(toHold: count) }
        write(UnsafeMutableBufferPointer(start: base + self.count, count: count))
        self.count += count
    }

    /// Appends the bytes `write` writes in place, given room for `limit` and returning how many it wrote.
    @inline(__always)
    func append(atMost limit: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        if capacity - count < limit { grow(toHold: limit) }
        let written = write(base + count)
        precondition((0...limit).contains(written), "more bytes written than room was made for")
        count += written
    }

    /// Removes every byte, keeping the allocation.
    func removeAll() { count = 0 }

    private func grow(toHold extra: Int) {
        var larger = capacity * 2
        while larger - count < extra { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
