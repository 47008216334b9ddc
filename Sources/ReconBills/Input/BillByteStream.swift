import Crypto
import CZlibSystem
import Foundation
import ReconCore

/// Reads a bill file in chunks: gunzips it when it starts with the gzip magic bytes, takes the
/// bill out of a ZIP archive (``ZipBill``), strips a UTF-8 byte-order mark, turns GB18030 (GBK)
/// text into UTF-8 (``GB18030``), and hashes the file as stored (SHA-256).
///
/// Memory use is a few fixed buffers, whatever the size of the file.
package struct BillByteStream {
    /// What the stream saw once the whole file was read.
    struct Facts: Sendable {
        /// Bytes of the file as stored.
        var storedBytes: Int = 0
        /// Bytes after decompression.
        var contentBytes: Int = 0
        /// SHA-256 of the file as stored, lower-case hex.
        var sha256: String = ""
        /// `true` when the file was gzip-compressed.
        var wasCompressed = false
        /// The bill's name inside a ZIP archive.
        var zipEntry: String?
        /// `true` when the text was GB18030 (GBK) and was turned into UTF-8.
        var wasGB18030 = false
        /// `true` when the content started with a UTF-8 byte-order mark.
        var hadByteOrderMark = false
    }

    static let chunkSize = 1 << 20

    /// The path to open.
    let path: String
    /// The name to use in messages.
    let displayName: String

    /// Streams the decompressed content, without a byte-order mark, to `body` in chunks that it
    /// may change in place.
    func forEachChunk(_ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Facts {
        let descriptor = try Self.openFile(path, displayName: displayName)
        defer { close(descriptor) }
        var facts = Facts()
        var fileHash = SHA256()
        var inflater: Inflater?
        var transcoder: GB18030?
        var first = true
        var pendingMark = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }

        func deliver(_ content: UnsafeMutableRawBufferPointer) throws {
            guard !content.isEmpty else { return }
            facts.contentBytes += content.count
            var slice = content
            if pendingMark {
                pendingMark = false
                if Self.isZip(UnsafeRawBufferPointer(slice)) {
                    throw BillError.archive(file: displayName, detail: "it was gzipped: gunzip it and pass the archive")
                }
                if slice.count >= 3, slice[0] == 0xEF, slice[1] == 0xBB, slice[2] == 0xBF {
                    facts.hadByteOrderMark = true
                    slice = UnsafeMutableRawBufferPointer(rebasing: slice[3...])
                } else if GB18030.isGB18030(start: UnsafeRawBufferPointer(slice)) {
                    facts.wasGB18030 = true
                    transcoder = try GB18030()
                }
            }
            guard !slice.isEmpty else { return }
            if let transcoder {
                do {
                    try transcoder.convert(UnsafeRawBufferPointer(slice), body)
                } catch let invalid as GB18030.Invalid {
                    throw Self.notGB18030(invalid, file: displayName)
                }
            } else {
                try body(slice)
            }
        }

        if let zip = try Self.zipBill(descriptor: descriptor, path: path, displayName: displayName) {
            facts.zipEntry = zip.name
            try Self.readRange(path, displayName: displayName, 0..<Self.size(of: descriptor)) { chunk in
                facts.storedBytes += chunk.count
                fileHash.update(bufferPointer: UnsafeRawBufferPointer(chunk))
            }
            try zip.read(displayName: displayName, deliver)
            do { try transcoder?.finish() } catch let invalid as GB18030.Invalid { throw Self.notGB18030(invalid, file: displayName) }
            facts.sha256 = fileHash.finalize().hexString
            return facts
        }

        while true {
            let count = read(descriptor, buffer.baseAddress, Self.chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw BillError.unreadable(file: displayName, reason: Self.errnoText())
            }
            if count == 0 { break }
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            facts.storedBytes += count
            fileHash.update(bufferPointer: UnsafeRawBufferPointer(chunk))
            if first {
                first = false
                if count >= 2, chunk[0] == 0x1F, chunk[1] == 0x8B {
                    facts.wasCompressed = true
                    inflater = try Inflater(file: displayName)
                }
            }
            if let inflater {
                try inflater.inflate(UnsafeRawBufferPointer(chunk), into: deliver)
            } else {
                try deliver(chunk)
            }
        }
        if let inflater { try inflater.finish() }
        do { try transcoder?.finish() } catch let invalid as GB18030.Invalid { throw Self.notGB18030(invalid, file: displayName) }
        facts.sha256 = fileHash.finalize().hexString
        return facts
    }

    /// `true` when `bytes` start like a ZIP archive (`PK\3\4`; an .xlsx is one too).
    static func isZip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && [0x03, 0x05, 0x07].contains(bytes[2])
    }

    /// The bill in the file open at `descriptor` when the file is a ZIP archive; `nil` otherwise.
    private static func zipBill(descriptor: Int32, path: String, displayName: String) throws -> ZipBill? {
        var head = [UInt8](repeating: 0, count: 4)
        let count = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4, 0) }
        guard count == 4, head.withUnsafeBytes(isZip) else { return nil }
        return try ZipBill(path: path, displayName: displayName)
    }

    private static func size(of descriptor: Int32) -> Int {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }

    private static func notGB18030(_ invalid: GB18030.Invalid, file: String) -> BillError {
        BillError.corrupt(
            file: file,
            reason: "the bill is GB18030 (GBK) text, but byte \(invalid.offset + 1) of its text is not: the file is damaged or of another encoding")
    }

    /// Reads `range` of a file in chunks, as stored (no decompression).
    static func readRange(
        _ path: String, displayName: String, _ range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        guard !range.isEmpty else { return }
        let descriptor = try openFile(path, displayName: displayName)
        defer { close(descriptor) }
        let buffer = PartBuffer()
        var offset = range.lowerBound
        while offset < range.upperBound {
            let end = min(offset + chunkSize, range.upperBound)
            try body(try buffer.read(descriptor, displayName: displayName, offset..<end))
            offset = end
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Whether `path` is a regular file, after symbolic links: the only kind of file a bill can be.
    package static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Opens a bill for reading. Only a regular file is a bill: a named pipe or a device would
    /// block the run or never end, so it is refused (it is opened without waiting for a writer).
    static func openFile(_ path: String, displayName: String) throws -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw BillError.unreadable(file: displayName, reason: errnoText()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            let isFolder = (status.st_mode & S_IFMT) == S_IFDIR
            close(descriptor)
            throw BillError.unreadable(
                file: displayName, reason: isFolder ? String(cString: strerror(EISDIR)) : "it is a pipe or a device, not a file; pass the bill file itself")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }
}

/// Memory that one reader fills with a range of a file at a time, grown to the largest range.
final class PartBuffer {
    private var memory = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    deinit { memory.deallocate() }

    /// Reads `range` of the open file whole; the bytes are valid until the next read.
    /// - Throws: ``BillError/unreadable(file:reason:)``, or ``BillError/truncated(file:line:detail:)``
    ///   when the file ends before the range does.
    func read(_ descriptor: Int32, displayName: String, _ range: Range<Int>) throws -> UnsafeMutableRawBufferPointer {
        if memory.count < range.count {
            memory.deallocate()
            memory = .allocate(byteCount: range.count, alignment: 16)
        }
        var done = 0
        while done < range.count {
            let count = pread(descriptor, memory.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw BillError.unreadable(file: displayName, reason: BillByteStream.errnoText())
            }
            if count == 0 {
                throw BillError.truncated(file: displayName, line: nil, detail: "the file shrank while it was read")
            }
            done += count
        }
        return UnsafeMutableRawBufferPointer(rebasing: memory[0..<range.count])
    }
}

/// Streaming gzip decompression with zlib, including files of several gzip members.
final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private let file: String
    private var ended = false

    init(file: String) throws {
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: BillByteStream.chunkSize, alignment: 16)
        guard czlib_inflate_init2(stream, 15 + 32) == Z_OK else {
            throw BillError.corrupt(file: file, reason: "zlib could not start decompressing")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    func inflate(_ input: UnsafeRawBufferPointer, into deliver: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while stream.pointee.avail_in > 0 {
            if ended {
                // Another gzip member follows the first.
                inflateReset(stream)
                ended = false
            }
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let code = CZlibSystem.inflate(stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try deliver(UnsafeMutableRawBufferPointer(rebasing: output[0..<produced])) }
            switch code {
            case Z_STREAM_END: ended = true
            case Z_OK: continue
            case Z_BUF_ERROR where produced > 0: continue
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw BillError.corrupt(file: file, reason: "the gzip data is damaged (\(reason))")
            }
        }
    }

    func finish() throws {
        guard ended else {
            throw BillError.truncated(file: file, line: nil, detail: "the gzip stream ends before its end marker")
        }
    }
}
