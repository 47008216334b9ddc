/// Text from outside (bill fields, store values, provider answers) made safe to show a person on
/// a terminal, in a spreadsheet cell, a web page or an e-mail.
///
/// Every character that is not shown but acts is written as a visible escape, `\u{1B}`: the C0
/// controls (tab and line ends included), DEL, the C1 controls, the line and paragraph separators,
/// and the marks that reorder text (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). A
/// backslash stays as it is. Everything else, Chinese text included, is kept as it is.
public enum Printable {
    /// `text` with every hidden control written as an escape.
    ///
    /// Inlinable, so that every module gets it made for the kind of text it passes: called
    /// through the protocol, the walk over the characters of a line of Chinese text took
    /// some 23,000 instructions.
    @inlinable
    public static func escaped(_ text: some StringProtocol) -> String {
        guard !isPlain(text), text.unicodeScalars.contains(where: isHidden) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` escaped line by line: its line feeds are kept, everything else hidden is escaped.
    public static func escapedLines(_ text: String) -> String {
        guard !isPlain(text), text.unicodeScalars.contains(where: isHidden) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(escaped).joined(separator: "\n")
    }

    /// `true` when every byte of `text` is printable ASCII, so nothing in it is hidden: checked
    /// byte by byte, before the slower walk over its characters.
    @inlinable
    static func isPlain(_ text: some StringProtocol) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy(isPlain) } ?? false
    }

    /// `true` for a byte of printable ASCII, which is never part of a hidden character: text of
    /// such bytes alone is the same escaped.
    @inlinable
    public static func isPlain(_ byte: UInt8) -> Bool { byte &- 0x20 < 0x5F }

    /// `true` for a character that acts on how text is shown instead of being shown.
    @inlinable
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
