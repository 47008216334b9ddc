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

    /// One cell: text to make safe, or a number written as it is.
    enum Cell {
        case text(String)
        case number(String)
    }

    /// The report's discrepancies as CSV bytes.
    public static func render(_ report: DayReport) -> Data {
        var text = "\u{FEFF}" + line(columns.map(Cell.text))
        text.reserveCapacity(text.utf8.count + report.discrepancies.count * 512)
        for discrepancy in report.discrepancies {
            let texts: (String?) -> Cell = { .text($0 ?? "") }
            text += line(
                [
                    texts(discrepancy.id), texts(discrepancy.day.description), texts(discrepancy.kind.rawValue),
                    texts(discrepancy.kind.isAlarm ? "yes" : "no"), texts(discrepancy.merchant.provider.rawValue),
                    texts(discrepancy.merchant.merchantID), texts(discrepancy.outTradeNo), texts(discrepancy.outRefundNo),
                    texts(discrepancy.combineOutTradeNo), texts(discrepancy.reportCurrency?.code),
                ] + amount(discrepancy.local?.amount) + amount(discrepancy.bill?.amount) + amount(discrepancy.difference)
                    + amount(discrepancy.amountAtStake)
                    + [
                        texts(discrepancy.local?.status), texts(discrepancy.bill?.status), texts(discrepancy.query?.status),
                        texts(discrepancy.suggestedStatus), texts(discrepancy.local?.time?.rfc3339),
                        texts(discrepancy.bill?.time?.rfc3339),
                        texts(discrepancy.bill?.locations.map(\.description).joined(separator: " ")),
                        texts(discrepancy.local?.lastErrorCode.map {
                            report.codes.quote($0, provider: discrepancy.merchant.provider)
                        }),
                        texts(discrepancy.explanation),
                    ])
        }
        return Data(text.utf8)
    }

    /// An amount as two number cells, minor and major units; two empty cells without one.
    private static func amount(_ money: Money?) -> [Cell] {
        [.number(money.map { String($0.minorUnits) } ?? ""), .number(money?.amountText ?? "")]
    }

    /// One CSV line with a CRLF end.
    static func line(_ cells: [Cell]) -> String {
        var line = ""
        line.reserveCapacity(cells.count * 16)
        for (index, cell) in cells.enumerated() {
            if index > 0 { line += "," }
            switch cell {
            case .text(let value): line += Self.cell(value)
            case .number(let value): line += value
            }
        }
        return line + "\r\n"
    }

    /// A text cell made safe: hidden control characters escaped, a formula guarded, then quoted
    /// when needed.
    public static func cell(_ value: String) -> String {
        var text = Printable.escaped(value)
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@"].contains(first) {
            text = "'" + text
        }
        // A comma or a quote is one byte in UTF-8, never part of another character's bytes.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
