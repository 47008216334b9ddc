import Crypto
import Foundation
import ReconCore

/// Writes store rows in the encoding of ``StoreDigest``: each row's columns in order, text as its
/// bytes followed by a unit separator (0x1F), integers as 8 little-endian bytes followed by 0x1F,
/// NULL as a single 0x00; then a record separator (0x1E).
protocol RowEncoding: AnyObject {
    /// Takes one byte of the encoding.
    func put(_ byte: UInt8)
    /// Takes bytes of the encoding, then `last`: a column and its separator in one step.
    func put(_ bytes: UnsafeBufferPointer<UInt8>, then last: UInt8)
    /// Called after a row's record separator.
    func rowEnded()
}

extension RowEncoding {
    /// Adds a text column, or NULL for `nil`.
    func add(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else { return put(0x00) }
        put(bytes, then: 0x1F)
    }

    /// Adds an integer column.
    func add(integer value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { add($0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Ends a row.
    func endRow() {
        put(0x1E)
        rowEnded()
    }
}

/// A SHA-256 fingerprint of the store rows a run read, so a report names exactly what it compared.
///
/// Rows are encoded as ``RowEncoding`` says. Bytes are gathered in a fixed block and hashed a
/// block at a time.
///
/// A digest is a reference: the reads that feed it share it, and it is used by one task at a time,
/// so its state needs no runtime exclusivity checks on each of the millions of columns added.
public final class StoreDigest: RowEncoding {
    private static let blockSize = 1 << 16
    @exclusivity(unchecked) private var hasher = SHA256()
    private let block = UnsafeMutablePointer<UInt8>.allocate(capacity: StoreDigest.blockSize)
    @exclusivity(unchecked) private var used = 0
    /// Rows added so far.
    @exclusivity(unchecked) public private(set) var rows = 0

    /// Creates an empty digest.
    public init() {}

    deinit { block.deallocate() }

    /// Most columns are short: a column of up to 32 bytes that fits in the block is copied with
    /// whole-word loads and stores of the column's own bytes, rather than a call to `memmove`.
    @inline(__always)
    func put(_ bytes: UnsafeBufferPointer<UInt8>, then last: UInt8) {
        let count = bytes.count
        guard count <= 32, used + count < Self.blockSize, let base = bytes.baseAddress else {
            put(bytes)
            return put(last)
        }
        ShortCopy.copy(UnsafeRawPointer(base), to: UnsafeMutableRawPointer(block + used), count: count)
        block[used + count] = last
        used += count + 1
    }

    func put(_ byte: UInt8) {
        if used == Self.blockSize { flush() }
        block[used] = byte
        used += 1
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        if used + bytes.count > Self.blockSize { flush() }
        if bytes.count > Self.blockSize {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        } else if let base = bytes.baseAddress {
            (block + used).update(from: base, count: bytes.count)
            used += bytes.count
        }
    }

    func rowEnded() { rows += 1 }

    /// Adds row `index` of `rows`, with `column` as the text column in its gap (NULL for `nil`).
    func add(_ rows: RecordedRows, row index: Int, filling column: UnsafeBufferPointer<UInt8>?) {
        let (start, gap, end) = rows.bounds(of: index)
        rows.bytes.withUnsafeBufferPointer { bytes in
            put(UnsafeBufferPointer(rebasing: bytes[start..<gap]))
            add(column)
            put(UnsafeBufferPointer(rebasing: bytes[gap..<end]))
        }
        rowEnded()
    }

    private func flush() {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: block, count: used))
        used = 0
    }

    /// One digest over several parts' digests, in the order given.
    public static func combine(_ parts: [String]) -> String {
        hex(SHA256.hash(data: Array(parts.joined(separator: "\n").utf8)))
    }

    /// The hex digest of everything added so far.
    public func finalize() -> String {
        flush()
        return Self.hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.hexString
    }
}

/// Rows in the encoding of ``StoreDigest``, kept rather than hashed, for rows whose digest is known
/// only after they are read, each with a gap where one column goes once it is known: the order's
/// currency of a refund read without its order (``RefundRows``).
///
/// A recorder is used by the one task that reads the rows, so, as a digest's, its state needs no
/// runtime exclusivity checks on each column added.
final class RowRecorder: RowEncoding {
    @exclusivity(unchecked) private var rows = RecordedRows()
    @exclusivity(unchecked) private var rowStart = 0

    /// Sizes the recording for about `count` rows of a refund's size.
    func reserve(rows count: Int) {
        rows.bytes.reserveCapacity(count * Self.bytesPerRow)
        rows.gaps.reserveCapacity(count)
        rows.ends.reserveCapacity(count)
    }

    /// About how many bytes a refund's row adds: its numbers, amount, status and times.
    private static let bytesPerRow = 160

    func put(_ byte: UInt8) { rows.bytes.append(byte) }

    func put(_ bytes: UnsafeBufferPointer<UInt8>, then last: UInt8) {
        rows.bytes.append(contentsOf: bytes)
        rows.bytes.append(last)
    }

    /// Marks where the row's gap is: between the columns added before and those added after.
    func markGap() { rows.gaps.append(rows.bytes.count) }

    func rowEnded() {
        rows.ends.append(rows.bytes.count)
        rowStart = rows.bytes.count
    }

    /// Drops what was added of a row that could not be read, and keeps its place as an empty row.
    func abandonRow() {
        rows.bytes.removeSubrange(rowStart...)
        rows.gaps.removeSubrange(rows.ends.count...)
        rows.gaps.append(rowStart)
        rows.ends.append(rowStart)
    }

    /// The rows recorded.
    var recorded: RecordedRows { rows }
}

/// The rows a ``RowRecorder`` kept.
struct RecordedRows: Sendable {
    var bytes: [UInt8] = []
    /// Where each row's gap is, in `bytes`.
    var gaps: [Int] = []
    /// Where each row ends, in `bytes`.
    var ends: [Int] = []

    /// Where row `index` starts, where its gap is, and where it ends.
    func bounds(of index: Int) -> (start: Int, gap: Int, end: Int) {
        (index == 0 ? 0 : ends[index - 1], gaps[index], ends[index])
    }
}
