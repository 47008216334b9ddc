import Crypto
import Foundation
import ReconCore

/// A SHA-256 fingerprint of the store rows a run read, so a report names exactly what it compared.
///
/// Each row contributes its columns in order: text as its bytes followed by a unit separator
/// (0x1F), integers as 8 little-endian bytes followed by 0x1F, NULL as a single 0x00; then a
/// record separator (0x1E). Bytes are gathered in a fixed block and hashed a block at a time.
///
/// A digest is a reference: the reads that feed it share it, and it is used by one task at a time,
/// so its state needs no runtime exclusivity checks on each of the millions of columns added.
public final class StoreDigest {
    private static let blockSize = 1 << 16
    @exclusivity(unchecked) private var hasher = SHA256()
    private let block = UnsafeMutablePointer<UInt8>.allocate(capacity: StoreDigest.blockSize)
    @exclusivity(unchecked) private var used = 0
    /// Rows added so far.
    @exclusivity(unchecked) public private(set) var rows = 0

    /// Creates an empty digest.
    public init() {}

    deinit { block.deallocate() }

    func add(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else { return put(0x00) }
        if used + bytes.count > Self.blockSize { flush() }
        if bytes.count > Self.blockSize {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        } else if let base = bytes.baseAddress {
            (block + used).update(from: base, count: bytes.count)
            used += bytes.count
        }
        put(0x1F)
    }

    func add(integer value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { add($0.assumingMemoryBound(to: UInt8.self)) }
    }

    func endRow() {
        rows += 1
        put(0x1E)
    }

    private func put(_ byte: UInt8) {
        if used == Self.blockSize { flush() }
        block[used] = byte
        used += 1
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
