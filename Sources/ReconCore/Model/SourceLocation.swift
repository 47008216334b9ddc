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
    public var description: String { "\(file):\(line)" }

    /// `name:line` with the file's folders left out, for sentences.
    public var shortDescription: String {
        "\(file.split(separator: "/").last.map(String.init) ?? file):\(line)"
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }
}
