import ReconCore

/// A bill that cannot be used. Every message names the file (and the line where there is one)
/// and says what to do.
public enum BillError: Error, CustomStringConvertible, Sendable {
    /// The file cannot be opened or read.
    case unreadable(file: String, reason: String)
    /// The compressed data is damaged.
    case corrupt(file: String, reason: String)
    /// The file ends before the bill does.
    case truncated(file: String, line: Int?, detail: String)
    /// The CSV itself cannot be parsed.
    case malformed(file: String, line: Int, detail: String)
    /// The header is not one of the supported bill formats.
    case unknownFormat(file: String, firstLine: String, hint: String?, readable: [String] = [])
    /// The file has no content.
    case empty(file: String)
    /// The file is a ZIP archive (or a spreadsheet, which is one), not a bill.
    case archive(file: String, detail: String)
    /// The bill was read but is not valid: malformed rows, totals that do not add up, or a bill of
    /// another merchant or day.
    case invalid(BillFacts)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file (\(reason)). Check the path and its permissions."
        case .corrupt(let file, let reason):
            return "\(file): \(reason). Download the bill again."
        case .truncated(let file, let line, let detail):
            return "\(file)\(line.map { ":\($0)" } ?? ""): the bill is truncated: \(detail). Download it again."
        case .malformed(let file, let line, let detail):
            return "\(file):\(line): \(detail)."
        case .unknownFormat(let file, let firstLine, let hint, let readable):
            let readable = readable.sorted()
            let formats = readable.count > 1 ? readable.dropLast().joined(separator: ", ") + " and " + readable.last! : readable.first
            return "\(file): unknown bill format; its first line is '\(Printable.escaped(firstLine.prefix(120)))'. "
                + (hint.map { $0 + (formats == nil ? "" : " ") } ?? "")
                + (formats.map { "order-recon reads \($0)." } ?? "")
        case .archive(let file, let detail):
            return "\(file): the file is a ZIP archive, but \(detail). 'unzip -l' lists what it holds."
        case .empty(let file):
            return "\(file): the file is empty. A day without transactions still has a header and a summary; "
                + "download the bill again."
        case .invalid(let facts):
            let shown = facts.problems.prefix(20).map { "  " + $0.describe(in: facts.file) }
            let more = facts.problemCount > shown.count ? ["  … and \(facts.problemCount - shown.count) more"] : []
            return "\(facts.file): the bill is not valid (\(facts.problemCount) problem\(facts.problemCount == 1 ? "" : "s")):\n"
                + (shown + more).joined(separator: "\n")
                + "\nCheck it with 'order-recon bill check \(facts.file)'; download it again if it was cut or changed."
        }
    }
}
