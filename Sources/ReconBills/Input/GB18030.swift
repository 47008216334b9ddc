import Glibc

/// GB18030 (and so GBK and GB2312) text turned into UTF-8 with the C library's iconv, a chunk at
/// a time: a character cut between two chunks is kept for the next.
final class GB18030 {
    private let converter: iconv_t
    private var carried: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 4 * BillByteStream.chunkSize + 16)

    /// A character that is not GB18030.
    struct Invalid: Error {
        /// Its offset in the text.
        let offset: Int
    }

    private var consumed = 0

    init() throws {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { throw Invalid(offset: 0) }
        self.converter = converter!
    }

    deinit { iconv_close(converter) }

    /// The UTF-8 of `bytes`, which may end in the middle of a character.
    func convert(_ bytes: UnsafeRawBufferPointer, _ deliver: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var input = carried + Array(bytes)
        // Where `input` starts in the whole text, for the offset of a byte that is not GB18030.
        let start = consumed - carried.count
        carried = []
        try input.withUnsafeMutableBytes { source in
            var inPointer = source.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = source.count
            while inLeft > 0 {
                let done = try output.withUnsafeMutableBytes { target -> Int in
                    var outPointer = target.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let failure = result == -1 ? errno : 0
                    let written = target.count - outLeft
                    if written > 0 { try deliver(UnsafeMutableRawBufferPointer(rebasing: target[0..<written])) }
                    switch failure {
                    case 0, E2BIG: return 0
                    case EINVAL: return -1 // a character cut at the end: keep it
                    default: throw Invalid(offset: start + (source.count - inLeft))
                    }
                }
                if done == -1 {
                    carried = Array(UnsafeRawBufferPointer(rebasing: source[(source.count - inLeft)...]))
                    break
                }
            }
        }
        consumed += bytes.count
    }

    /// Fails when the text ended in the middle of a character.
    func finish() throws {
        guard carried.isEmpty else { throw Invalid(offset: consumed - carried.count) }
    }

    /// The UTF-8 text of a short GB18030 `bytes`.
    static func decode(_ bytes: [UInt8]) throws -> String {
        let converter = try GB18030()
        var text: [UInt8] = []
        try bytes.withUnsafeBytes { try converter.convert($0) { text.append(contentsOf: $0) } }
        try converter.finish()
        return String(decoding: text, as: UTF8.self)
    }

    /// `true` when `bytes`, the start of a text, are not UTF-8 (a character cut at the end of the
    /// sample aside) but are GB18030.
    static func isGB18030(start bytes: UnsafeRawBufferPointer) -> Bool {
        let sample = Array(bytes.prefix(1 << 16))
        let isUTF8 = (0...min(3, sample.count)).contains { String(validating: sample.dropLast($0), as: UTF8.self) != nil }
        guard !isUTF8, let converter = try? GB18030() else { return false }
        return (try? sample.withUnsafeBytes { try converter.convert($0) { _ in } }) != nil
    }
}
