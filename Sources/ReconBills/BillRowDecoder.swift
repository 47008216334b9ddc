/// Decodes the rows of one bill format after its header line.
protocol BillRowDecoder: AnyObject {
    /// How the format quotes fields.
    static var tokenizerOptions: CSVTokenizer.Options { get }
    /// Handles one row after the header.
    func handle(_ row: CSVRow)
    /// Completes the bill; `lastLine` is the file's last line, for messages about truncation.
    func finish(lastLine: Int) -> BillFacts
}
