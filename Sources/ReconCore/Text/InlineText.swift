/// Text kept inside the value when it is ASCII of at most 31 bytes, else as a `String`.
///
/// A bill row carries its provider's transaction id, 28 to 32 characters: as a `String` it would
/// be allocated on the heap for every row, and every copy of the row would retain it.
///
/// The same text always has the same form (inline exactly when it is short ASCII), so equality
/// and hashing compare the forms.
public struct InlineText: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, then (in the last byte) their count.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The text, when it is not kept inline.
    private var spilled: String?

    /// The most bytes kept inline.
    public static let inlineCapacity = 31

    /// The text `utf8` holds; bytes that are not UTF-8 are repaired as `String(decoding:as:)` does.
    public init(utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count <= Self.inlineCapacity, utf8.isASCII else {
            spilled = String(decoding: utf8, as: UTF8.self)
            return
        }
        withUnsafeMutableBytes(of: &words) { bytes in
            if let base = utf8.baseAddress { bytes.baseAddress!.copyMemory(from: base, byteCount: utf8.count) }
            bytes[Self.inlineCapacity] = UInt8(utf8.count)
        }
    }

    /// `text`, kept inline when it is short ASCII.
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { InlineText(utf8: $0) }
    }

    /// The text.
    public var string: String {
        if let spilled { return spilled }
        return withUnsafeBytes(of: words) { bytes in
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<Int(bytes[Self.inlineCapacity])]), as: UTF8.self)
        }
    }

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
