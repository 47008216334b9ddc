import Foundation
import ReconCore

/// Renders a day's discrepancies as CSV for spreadsheets.
///
/// UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), CRLF line ends and
/// RFC 4180 quoting. Text cells have every hidden control character written as an escape
/// (``Printable``), and a text cell that starts with `=`, `+`, `-` or `@` is prefixed with `'`
/// so that no cell is ever run as a formula. Amounts are numbers, written bare so that sums work:
/// in minor units (`-2100`) and in major units (`-21.00`). Deterministic: no timestamps of the
/// run are written.
public enum CSVReportRenderer {
    /// The column names, in order.
    public static let columns = [
        "id", "day", "kind", "alarm", "provider", "merchant_id", "out_trade_no", "out_refund_no", "combine_out_trade_no",
        "currency", "local_amount_minor", "local_amount", "bill_amount_minor", "bill_amount", "difference_minor",
        "difference", "at_stake_minor", "at_stake", "local_status", "bill_status", "query_status", "suggested_status",
        "local_time", "bill_time", "bill_rows", "local_last_error", "explanation",
    ]

    /// The report's discrepancies as CSV bytes, written cell by cell into one buffer.
    public static func render(_ report: DayReport) -> Data {
        var line = LineWriter(capacity: 256 + report.discrepancies.count * 512, handingOnTo: nil)
        write(report, to: &line)
        return line.buffer.data
    }

    /// The report as ``render(_:)`` writes it, handing its bytes on to `destination` a piece at a
    /// time as its lines are written (``ReportStream``).
    /// - Parameter keeping: Whether the bytes are kept and returned as well; if not, the writer
    ///   holds no more than a piece at a time and returns `nil`.
    /// - Throws: What `destination` throws.
    public static func render(
        _ report: DayReport, handingOnTo destination: @escaping (UnsafeRawBufferPointer) throws -> Void, keeping: Bool = true
    ) throws -> Data? {
        let capacity = keeping ? 256 + report.discrepancies.count * 512 : ReportStream.pieceSize + 4096
        var line = LineWriter(capacity: capacity, handingOnTo: destination, keeping: keeping)
        write(report, to: &line)
        try line.finish()
        return keeping ? line.buffer.data : nil
    }

    private static func write(_ report: DayReport, to line: inout LineWriter) {
        line.buffer.append("\u{FEFF}")
        for column in columns { line.text(column) }
        line.end()
        for index in report.discrepancies.indices {
            let discrepancy = report.discrepancies[index]
            line.text(discrepancy.id)
            line.text(discrepancy.day.description)
            line.text(discrepancy.kind.rawValue)
            line.text(discrepancy.kind.isAlarm ? "yes" : "no")
            line.text(discrepancy.merchant.provider.rawValue)
            line.text(discrepancy.merchant.merchantID)
            line.text(discrepancy.outTradeNo)
            line.text(discrepancy.outRefundNo)
            line.text(discrepancy.combineOutTradeNo)
            line.text(discrepancy.reportCurrency?.code)
            for money in [discrepancy.local?.amount, discrepancy.bill?.amount, discrepancy.difference, discrepancy.amountAtStake] {
                line.amount(money)
            }
            line.text(discrepancy.local?.status)
            line.text(discrepancy.bill?.status)
            line.text(discrepancy.query?.status)
            line.text(discrepancy.suggestedStatus)
            line.text(discrepancy.local?.time?.rfc3339)
            line.text(discrepancy.bill?.time?.rfc3339)
            line.text(discrepancy.bill.map { SourceLocation.list($0.locations) })
            line.text(discrepancy.local?.lastErrorCode.map { report.codes.quote($0, provider: discrepancy.merchant.provider) })
            line.text(discrepancy.explanation)
            line.end()
        }
    }

    /// Appends cells and line ends to a buffer of bytes.
    private struct LineWriter: ~Copyable {
        var buffer = ColumnBuffer<UInt8>()
        private var atLineStart = true
        /// Where the bytes are handed on as lines end.
        private var stream: ReportStream

        init(capacity: Int, handingOnTo destination: ReportStream.Destination?, keeping: Bool = true) {
            stream = ReportStream(to: destination, keeping: keeping)
            buffer.reserveCapacity(capacity)
        }

        /// Hands on the bytes not yet handed on; throws the first error of the destination.
        mutating func finish() throws {
            try stream.finish(&buffer)
        }

        /// A text cell, made safe (``CSVReportRenderer/cell(_:)``); empty for `nil`.
        mutating func text(_ value: String?) {
            separate()
            guard let value else { return }
            CSVReportRenderer.appendCell(value, to: &buffer)
        }

        /// An amount as two number cells, minor and major units; two empty cells without one.
        mutating func amount(_ money: Money?) {
            separate()
            guard let money else { return separate() }
            buffer.append(decimal: money.minorUnits)
            separate()
            buffer.append(atMost: FixedDecimal.maxTextBytes) { money.decimal.write(into: $0) }
        }

        mutating func end() {
            buffer.append(0x0D)
            buffer.append(0x0A)
            atLineStart = true
            stream.handOn(&buffer)
        }

        private mutating func separate() {
            if !atLineStart { buffer.append(UInt8(ascii: ",")) }
            atLineStart = false
        }
    }

    /// A text cell made safe: hidden control characters escaped, a formula guarded, then quoted
    /// when needed.
    public static func cell(_ value: String) -> String {
        var buffer = ColumnBuffer<UInt8>()
        appendCell(value, to: &buffer)
        return buffer.text
    }

    /// Appends ``cell(_:)`` of `value` to `buffer`, without building it as a string first.
    ///
    /// Most cells are printable ASCII, which has nothing to escape (``Printable/isPlain(_:)``):
    /// one pass over such a cell both checks that and looks for what needs quoting.
    private static func appendCell(_ value: String, to buffer: inout ColumnBuffer<UInt8>) {
        var value = value
        let plain = value.withUTF8 { text in
            var quoted = false
            for byte in text {
                guard Printable.isPlain(byte) else { return false }
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") { quoted = true }
            }
            appendSafe(text, quoted: quoted, to: &buffer)
            return true
        }
        guard !plain else { return }
        var text = Printable.escaped(value)
        text.withUTF8 { text in
            // A comma or a quote is one byte in UTF-8, never part of another character's bytes.
            appendSafe(text, quoted: text.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }, to: &buffer)
        }
    }

    /// Appends text that has nothing left to escape, its formula guarded, quoted when `quoted`.
    private static func appendSafe(_ text: UnsafeBufferPointer<UInt8>, quoted: Bool, to buffer: inout ColumnBuffer<UInt8>) {
        guard let first = text.first else { return }
        let guardsFormula = switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"): true
        default: false
        }
        guard quoted else {
            if guardsFormula { buffer.append(UInt8(ascii: "'")) }
            return buffer.append(contentsOf: text)
        }
        buffer.append(UInt8(ascii: "\""))
        if guardsFormula { buffer.append(UInt8(ascii: "'")) }
        // Copied a run at a time, each quote in it written twice.
        var rest = text[...]
        while let quote = rest.firstIndex(of: UInt8(ascii: "\"")) {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: rest[...quote]))
            buffer.append(UInt8(ascii: "\""))
            rest = rest[(quote + 1)...]
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: rest))
        buffer.append(UInt8(ascii: "\""))
    }
}
