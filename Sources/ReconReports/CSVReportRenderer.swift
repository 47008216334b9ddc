import Foundation
import ReconCore

/// Renders a day's discrepancies as CSV for spreadsheets.
///
/// UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), CRLF line ends,
/// RFC 4180 quoting, and every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return prefixed with `'` so that no cell is ever run as a formula. Deterministic: no timestamps
/// of the run are written.
public enum CSVReportRenderer {
    /// The column names, in order.
    public static let columns = [
        "id", "day", "kind", "alarm", "provider", "merchant_id", "out_trade_no", "out_refund_no", "combine_out_trade_no",
        "currency", "local_amount_minor", "bill_amount_minor", "difference_minor", "at_stake_minor", "local_status",
        "bill_status", "query_status", "suggested_status", "local_time", "bill_time", "bill_rows", "local_last_error",
        "explanation",
    ]

    /// The report's discrepancies as CSV bytes.
    public static func render(_ report: DayReport) -> Data {
        var text = "\u{FEFF}" + line(columns)
        for discrepancy in report.discrepancies {
            text += line([
                discrepancy.id, discrepancy.day.description, discrepancy.kind.rawValue,
                discrepancy.kind.isAlarm ? "yes" : "no", discrepancy.merchant.provider.rawValue,
                discrepancy.merchant.merchantID, discrepancy.outTradeNo ?? "", discrepancy.outRefundNo ?? "",
                discrepancy.combineOutTradeNo ?? "", discrepancy.reportCurrency?.code ?? "",
                number(discrepancy.local?.amount?.minorUnits), number(discrepancy.bill?.amount?.minorUnits),
                number(discrepancy.difference?.minorUnits), number(discrepancy.amountAtStake?.minorUnits),
                discrepancy.local?.status ?? "", discrepancy.bill?.status ?? "", discrepancy.query?.status ?? "",
                discrepancy.suggestedStatus ?? "", discrepancy.local?.time?.rfc3339 ?? "",
                discrepancy.bill?.time?.rfc3339 ?? "",
                discrepancy.bill?.locations.map(\.description).joined(separator: " ") ?? "",
                discrepancy.local?.lastErrorCode.map {
                    ErrorCodeBook.shared.quote($0, provider: discrepancy.merchant.provider)
                } ?? "",
                discrepancy.explanation,
            ])
        }
        return Data(text.utf8)
    }

    /// One CSV line with a CRLF end.
    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    /// A cell made safe against formula injection, then quoted when needed.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func number(_ value: Int64?) -> String { value.map(String.init) ?? "" }
}
