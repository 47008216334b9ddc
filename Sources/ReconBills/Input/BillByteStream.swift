import CZlib
import Crypto
import Foundation
import ReconCore

/// Reads a bill file in chunks: gunzips it when it starts with the gzip magic bytes, strips a
/// UTF-8 byte-order mark, and hashes the file as stored (SHA-256) while it goes.
///
/// Memory use is a few fixed buffers, whatever the size of the file.
struct BillByteStream {
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
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BillError.unreadable(file: displayName, reason: Self.errnoText()) }
        defer { close(descriptor) }
        var facts = Facts()
        var fileHash = SHA256()
        var inflater: Inflater?
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
                // "PK\3\4": a ZIP archive (an .xlsx is one too), plain or gzipped.
                if slice.count >= 4, slice[0] == 0x50, slice[1] == 0x4B, [0x03, 0x05, 0x07].contains(slice[2]) {
                    throw BillError.archive(file: displayName)
                }
                if slice.count >= 3, slice[0] == 0xEF, slice[1] == 0xBB, slice[2] == 0xBF {
                    facts.hadByteOrderMark = true
                    slice = UnsafeMutableRawBufferPointer(rebasing: slice[3...])
                }
            }
            if !slice.isEmpty { try body(slice) }
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
        facts.sha256 = fileHash.finalize().hexString
        return facts
    }

    /// Reads `range` of a file in chunks, as stored (no decompression).
    static func readRange(
        _ path: String, displayName: String, _ range: Range<Int>, _ body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        guard !range.isEmpty else { return }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BillError.unreadable(file: displayName, reason: errnoText()) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = pread(descriptor, buffer.baseAddress, min(chunkSize, range.upperBound - offset), off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                throw BillError.unreadable(file: displayName, reason: errnoText())
            }
            if count == 0 {
                throw BillError.truncated(file: displayName, line: nil, detail: "the file shrank while it was read")
            }
            try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
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
            let code = CZlib.inflate(stream, Z_NO_FLUSH)
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
