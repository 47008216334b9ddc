import ReconCore

/// One bill format, as a provider's plug-in reads it: how its header is told apart and how the
/// rows after it are decoded. ``BillReader`` tries the formats it is given in order.
package protocol BillFormatReader: Sendable {
    /// The provider whose bills these are; its zone turns the rows' wall-clock times into instants.
    var provider: ProviderID { get }
    /// What the format is, for a user whose file is of none: `gateway daily bills (docs/gateway-bill.md)`.
    var described: String { get }
    /// `true` when a header's column names are this format's.
    func matches(_ header: [String]) -> Bool
    /// A decoder of the rows after `header`.
    /// - Throws: ``BillError`` when the header is this format's but lacks a column the rows need.
    func decoder(
        header: [String], file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (consuming BillEntry) -> Void
    ) throws -> any BillRowDecoder
    /// What to tell a user whose file matched no format but looks like something of this provider's
    /// (a personal statement, a hand-made export); `nil` when it does not.
    func hint(forUnknownFirstLine line: String) -> String?
    /// How parts of a bill with `header` are read at the same time, or `nil` when its rows may
    /// not be cut at any line end (quoted fields may hold line ends).
    func partitioned(header: [String], file: String) throws -> (any PartitionedBillFormat)?
}

extension BillFormatReader {
    package func hint(forUnknownFirstLine line: String) -> String? { nil }
    package func partitioned(header: [String], file: String) throws -> (any PartitionedBillFormat)? { nil }
}

/// A bill format whose parts can be parsed at the same time and merged into the bill's facts.
package protocol PartitionedBillFormat: Sendable {
    /// A decoder of one part's rows (the first part's header line is skipped before it).
    func partDecoder(
        file: String, expectation: BillExpectation, zone: ZoneRules, onEntry: @escaping (consuming BillEntry) -> Void
    ) -> any BillPartDecoder
    /// The facts of the whole bill from its parts, in file order, each read to its end.
    func merge(_ parts: [any BillPart], expectation: BillExpectation, lastLine: Int) -> BillFacts
}

/// What a decoder saw in one part of a bill.
package protocol BillPart: Sendable {
    /// `true` when the part holds the bill's closing summary; only the last part may.
    var holdsSummary: Bool { get }
}

/// Decodes the rows of one bill format after its header line.
package protocol BillRowDecoder: AnyObject {
    /// How the format quotes fields.
    static var tokenizerOptions: CSVTokenizer.Options { get }
    /// Handles one row after the header.
    func handle(_ row: CSVRow)
    /// Completes the bill; `lastLine` is the file's last line, for messages about truncation.
    func finish(lastLine: Int) -> BillFacts
}

/// A decoder of one part of a bill, whose ``part`` is merged with the others'.
package protocol BillPartDecoder: BillRowDecoder {
    /// What the decoder saw, once the part has been read.
    var part: any BillPart { get }
}
