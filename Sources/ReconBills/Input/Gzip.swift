import CZlibSystem

/// gzip of whole buffers: downloaded bills are unpacked with it, and the simulator packs the
/// bills it serves with `tar_type=GZIP`.
public enum Gzip {
    /// The gzip form of `input` (one member, default compression).
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: a gzip header and trailer instead of zlib's.
        guard czlib_deflate_init2(&stream, Z_DEFAULT_COMPRESSION, 15 + 16) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// The bytes a gzip buffer (of one or more members) holds.
    /// - Parameter name: What the buffer is, for error messages (a file or a URL).
    /// - Throws: ``BillError`` when the data is damaged or cut short.
    public static func decompress(_ input: [UInt8], name: String) throws -> [UInt8] {
        let inflater = try Inflater(file: name)
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 6)
        try input.withUnsafeBytes { bytes in
            guard bytes.count > 0 else { return }
            try inflater.inflate(bytes) { chunk in output.append(contentsOf: chunk) }
        }
        try inflater.finish()
        return output
    }

    /// Whether `bytes` start with the gzip magic number.
    public static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x1F, 0x8B])
    }
}
