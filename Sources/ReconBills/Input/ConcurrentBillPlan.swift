import Foundation

/// How a large bill is cut into parts that can be parsed at the same time.
///
/// Only uncompressed bills are cut, and only when their format has no quoting
/// (``BillFormatReader/partitioned(header:file:)``), so every line end ends a row and a part may
/// start after any of them. The line each part starts on is counted as the parts are hashed
/// (``PartDigest``), so rows keep their real line numbers.
struct ConcurrentBillPlan: Sendable {
    /// The header's column names.
    var header: [String]
    /// The parts' byte ranges, in file order; the first starts at byte 0 (byte-order mark and
    /// header included).
    var parts: [Range<Int>]
    /// The file's size.
    var size: Int

    /// The most parts a bill is cut into.
    static let maximumParts = 1 << 16

    /// Cuts `path` into parts of about `partBytes`, smaller towards the end
    /// (``ends(size:workers:partBytes:)``), for `workers` to read, or returns `nil` when it should
    /// be read in one piece: one worker, too small, compressed, without a header line, or with a
    /// line too long to find the end of.
    static func make(path: String, workers: Int, partBytes: Int, minimumBytes: Int) throws -> ConcurrentBillPlan? {
        guard workers > 1 else { return nil }
        // A file that cannot be opened is left to the single pass, which says why.
        guard let descriptor = try? BillByteStream.openFile(path, displayName: path) else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        guard size >= minimumBytes else { return nil }
        let head = readBytes(descriptor, at: 0, count: 1 << 16)
        guard head.count >= 4, !(head[0] == 0x1F && head[1] == 0x8B), !head.withUnsafeBytes(BillByteStream.isZip) else { return nil }
        let start = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let newline = head[start...].firstIndex(of: 0x0A) else { return nil }
        // A header with a byte a single pass refuses (a NUL, a carriage return inside it) is left
        // to that pass, so the error is the same.
        let headerBytes = head[start..<newline]
        guard !headerBytes.dropLast(headerBytes.last == 0x0D ? 1 : 0).contains(where: { $0 == 0x0D || $0 == 0 }),
            let (_, names) = BillReader.header(head[start..<newline])
        else {
            return nil
        }

        // Each part is cut at the first line end after its target; a target inside a part
        // already cut is passed over.
        var cuts: [Int] = []
        for target in ends(size: size, workers: workers, partBytes: partBytes) where target > (cuts.last ?? newline) {
            // Lines are short: the next line end is looked for in a page, then in 64 KiB.
            guard let end = readBytes(descriptor, at: target, count: 1 << 12).firstIndex(of: 0x0A)
                ?? readBytes(descriptor, at: target, count: 1 << 16).firstIndex(of: 0x0A)
            else { return nil }
            let cut = target + end + 1
            guard cut < size else { break }
            cuts.append(cut)
        }
        guard !cuts.isEmpty else { return nil }
        let parts = zip([0] + cuts, cuts + [size]).map { $0..<$1 }
        return ConcurrentBillPlan(header: names, parts: parts, size: size)
    }

    /// Where the parts end before each end is moved to a line end, the file's end left out.
    ///
    /// Parts are of `unit`: `partBytes`, or more when the file would need more than half of
    /// ``maximumParts``. Once what is left is less than two such parts per worker, each part is a
    /// `2 × workers`-th of what is left, but no less than an eighth of `unit`, or a `2 × workers`-th
    /// of a file smaller than that: workers that take the parts in file order then end within one
    /// small part of each other, not one whole part.
    static func ends(size: Int, workers: Int, partBytes: Int) -> [Int] {
        let unit = max(partBytes, size / (maximumParts / 2), 1)
        let smallest = max(1, min(unit / 8, size / (2 * workers)))
        var ends: [Int] = []
        var end = 0
        while ends.count < maximumParts - 1 {
            let part = max(smallest, min(unit, (size - end) / (2 * workers)))
            guard end + part < size else { break }
            end += part
            ends.append(end)
        }
        return ends
    }

    private static func readBytes(_ descriptor: Int32, at offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return read > 0 ? Array(bytes.prefix(read)) : []
    }
}
