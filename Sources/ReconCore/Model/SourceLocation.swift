/// A line of an input file, for messages and reports: `bills/wechatpay_1900000109_2026-11-20_ALL.csv:12`.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The file, as the user named it.
    public var file: String
    /// The 1-based line number.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `file:line`.
    public var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s bytes to `bytes`.
    private func append(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: file.utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: String(line).utf8)
    }

    /// Bill rows as the results and the CSV report list them: each one's ``description``,
    /// separated by spaces.
    public static func list(_ locations: [SourceLocation]) -> String {
        var bytes: [UInt8] = []
        for (index, location) in locations.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: " ")) }
            location.append(to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name:line` with the file's folders left out, for sentences: the file's last
    /// component after any trailing slashes, or the whole file when it is only slashes.
    ///
    /// Every explanation of a bill row quotes one, so the name is found by scanning back from the
    /// end of the UTF-8 bytes instead of splitting the whole path into its components.
    public var shortDescription: String {
        let bytes = file.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return description }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "/") { start = bytes.index(before: start) }
        return "\(file[start..<end]):\(line)"
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }
}
