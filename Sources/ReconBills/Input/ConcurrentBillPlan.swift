import Foundation

/// How a large bill is cut into parts that can be parsed at the same time.
///
/// Only uncompressed bills are cut, and only when their format has no quoting
/// (``BillFormatReader/partitioned(header:file:)``), so every line end ends a row and a part may
/// start after any of them. Each part knows the line number it starts on,
/// so rows keep their real line numbers.
struct ConcurrentBillPlan: Sendable {
    /// A byte range of the file and the line it starts on.
    struct Part: Sendable {
        var range: Range<Int>
        var firstLine: Int
    }

    /// The header's column names.
    var header: [String]
    /// The parts, in file order; the first starts at byte 0 (byte-order mark and header included).
    var parts: [Part]
    /// The file's size.
    var size: Int

    /// Cuts `path` into `count` parts, or returns `nil` when it should be read in one piece: too
    /// small, compressed, or without a header line.
    static func make(path: String, count: Int, minimumBytes: Int) throws -> ConcurrentBillPlan? {
        guard count > 1 else { return nil }
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

        // Parts of equal size, each cut at the first line end after its share.
        var cuts: [Int] = []
        for index in 1..<count {
            let target = max(newline + 1, size / count * index)
            let window = readBytes(descriptor, at: target, count: 1 << 16)
            guard let end = window.firstIndex(of: 0x0A) else { return nil }
            let cut = target + end + 1
            let previous = cuts.last ?? newline
            guard cut < size, previous < cut else { return nil }
            cuts.append(cut)
        }
        var parts = [Part(range: 0..<cuts[0], firstLine: 1)]
        var lines = 1
        var position = 0
        for (index, cut) in cuts.enumerated() {
            lines += countNewlines(descriptor, from: position, to: cut)
            position = cut
            parts.append(Part(range: cut..<(index + 1 < cuts.count ? cuts[index + 1] : size), firstLine: lines))
        }
        return ConcurrentBillPlan(header: names, parts: parts, size: size)
    }

    private static func readBytes(_ descriptor: Int32, at offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return read > 0 ? Array(bytes.prefix(read)) : []
    }

    private static func countNewlines(_ descriptor: Int32, from start: Int, to end: Int) -> Int {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        var offset = start
        while offset < end {
            let read = pread(descriptor, buffer.baseAddress, min(buffer.count, end - offset), off_t(offset))
            guard read > 0 else { break }
            var cursor = buffer.baseAddress!
            let stop = buffer.baseAddress! + read
            while cursor < stop, let found = memchr(cursor, 0x0A, stop - cursor) {
                count += 1
                cursor = UnsafeMutableRawPointer(found) + 1
            }
            offset += read
        }
        return count
    }
}
