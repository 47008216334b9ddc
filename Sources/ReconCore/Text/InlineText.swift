/// Text kept inside the value when it is ASCII of at most 32 bytes without a NUL, else as a `String`.
///
/// A bill row carries the merchant's order number (typically 20 to 32 characters; WeChat Pay
/// allows up to 32), the refund number and the provider's transaction id (28 to 32): as `String`s
/// longer than 15 bytes they would be allocated on the heap for every row of a bill, and every
/// copy of the row would retain them.
///
/// Inline bytes are padded with zeros, so a NUL ends them: text holding a NUL is kept as a
/// `String`. The same text always has the same form (inline exactly when it is short ASCII
/// without a NUL), so equality and hashing compare the forms.
public struct InlineText: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, then zeros.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The text, when it is not kept inline.
    private var spilled: String?

    /// The most bytes kept inline.
    public static let inlineCapacity = 32

    /// Whether the text is kept in the value rather than as a `String`.
    var isKeptInline: Bool { spilled == nil }

    /// The text `utf8` holds; bytes that are not UTF-8 are repaired as `String(decoding:as:)` does.
    public init(utf8: UnsafeBufferPointer<UInt8>) {
        if utf8.count <= Self.inlineCapacity {
            let words = Self.words(utf8)
            if Self.isInline(words, count: utf8.count) {
                self.words = words
                return
            }
        }
        spilled = String(decoding: utf8, as: UTF8.self)
    }

    /// The bytes of `utf8` (at most ``inlineCapacity``), then zeros, gathered with loads of whole
    /// words that read no byte outside it rather than with a call to copy them: a word the text
    /// fills is loaded as it is; the word the text ends in is the last 8 bytes of the text,
    /// shifted down past those that belong to the word before. Text shorter than a word is loaded
    /// as two overlapping halves, or a byte at a time below 4 bytes.
    private static func words(_ utf8: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64) {
        let count = utf8.count
        guard count > 0, let start = utf8.baseAddress else { return (0, 0, 0, 0) }
        let base = UnsafeRawPointer(start)
        @inline(__always) func load(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        guard count >= 8 else {
            guard count >= 4 else {
                var word: UInt64 = 0
                for index in 0..<count { word |= UInt64(utf8[index]) &<< UInt64(8 * index) }
                return (word, 0, 0, 0)
            }
            let head = UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
            let tail = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return (UInt64(head) | UInt64(tail) &<< UInt64(8 * (count - 4)), 0, 0, 0)
        }
        let last = load(count - 8)
        @inline(__always) func word(_ index: Int) -> UInt64 {
            let offset = 8 * index
            if offset + 8 <= count { return load(offset) }
            return offset < count ? last &>> UInt64(8 * (offset + 8 - count)) : 0
        }
        return (word(0), word(1), word(2), word(3))
    }

    /// Whether the first `count` bytes of `words` (zeros after them) are ASCII without a NUL,
    /// tested a word at a time: no byte has its top bit set, and no byte is zero once each word's
    /// bytes past `count` are set to 0xFF.
    private static func isInline(_ words: (UInt64, UInt64, UInt64, UInt64), count: Int) -> Bool {
        let (ones, tops): (UInt64, UInt64) = (0x0101_0101_0101_0101, 0x8080_8080_8080_8080)
        if (words.0 | words.1 | words.2 | words.3) & tops != 0 { return false }
        @inline(__always) func hasZeroByte(_ word: UInt64, bytes: Int) -> Bool {
            let padding: UInt64 = bytes >= 8 ? 0 : (bytes <= 0 ? ~0 : ~0 &<< UInt64(8 * bytes))
            let filled = word | padding
            return (filled &- ones) & ~filled & tops != 0
        }
        return !hasZeroByte(words.0, bytes: count) && !hasZeroByte(words.1, bytes: count - 8)
            && !hasZeroByte(words.2, bytes: count - 16) && !hasZeroByte(words.3, bytes: count - 24)
    }

    /// `text`, kept inline when it is short ASCII without a NUL.
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { InlineText(utf8: $0) }
    }

    /// How many bytes are inline: the bytes before the padding. Each word's zero bytes at its
    /// high end are padding, since every inline byte is non-zero.
    private var inlineCount: Int {
        Self.inlineCapacity - words.0.leadingZeroBitCount >> 3 - words.1.leadingZeroBitCount >> 3
            - words.2.leadingZeroBitCount >> 3 - words.3.leadingZeroBitCount >> 3
    }

    /// Calls `body` with the text's UTF-8 bytes, without building a `String`.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if var spilled { return try spilled.withUTF8(body) }
        let count = inlineCount
        return try withUnsafeBytes(of: words) { bytes in
            try bytes.withMemoryRebound(to: UInt8.self) { try body(UnsafeBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// The text.
    public var string: String {
        if let spilled { return spilled }
        return withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    /// `true` when the text has no bytes.
    public var isEmpty: Bool { spilled?.isEmpty ?? (words.0 == 0) }

    public var description: String { string }

    public static func == (lhs: InlineText, rhs: InlineText) -> Bool {
        lhs.words == rhs.words && lhs.spilled == rhs.spilled
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
        hasher.combine(spilled)
    }
}
