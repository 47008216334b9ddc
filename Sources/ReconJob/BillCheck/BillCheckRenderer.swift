import Foundation
import ReconBills
import ReconCore

/// Renders what `order-recon bill check` found in a bill, for people or as JSON.
public enum BillCheckRenderer {
    /// A human-readable report: format, counts, totals, date range, summary checks and every problem.
    public static func text(_ facts: BillFacts) -> String {
        var lines: [String] = []
        lines.append("\(facts.file): \(facts.isValid ? "valid" : "NOT VALID") \(facts.format) bill")
        if let merchant = facts.merchant { lines.append("  merchant   \(merchant)") }
        if let day = facts.day { lines.append("  day        \(day)") }
        let types = facts.rowsByType.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        lines.append(
            "  rows       \(facts.detailRows) detail row\(facts.detailRows == 1 ? "" : "s")"
                + (types.isEmpty ? "" : ": " + types.joined(separator: ", "))
                + (facts.malformedRows > 0 ? "; \(facts.malformedRows) malformed" : ""))
        if let first = facts.firstRowTime, let last = facts.lastRowTime {
            lines.append("  dates      \(first) to \(last)")
        }
        for totals in facts.totals.values.sorted(by: { $0.currency < $1.currency }) {
            lines.append("  totals     " + describe(totals))
        }
        for (member, share) in facts.shares.sorted(by: { $0.key < $1.key }) {
            let types = share.rowsByType.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            lines.append("  sub        \(member.merchantID): " + (types.isEmpty ? "no rows" : types.joined(separator: ", ")))
            for totals in share.totals.values.sorted(by: { $0.currency < $1.currency }) {
                lines.append("             " + describe(totals))
            }
        }
        let matching = facts.summaryChecks.filter(\.matches).count
        lines.append("  summary    \(matching) of \(facts.summaryChecks.count) totals match the rows")
        if !facts.uncheckedSummaryColumns.isEmpty {
            lines.append("  unchecked  \(facts.uncheckedSummaryColumns.joined(separator: ", "))")
        }
        lines.append(
            "  file       \(facts.storedBytes) bytes\(Self.packing(facts)), sha256 \(facts.sha256)")
        if facts.problemCount > 0 {
            lines.append("problems (\(facts.problemCount)):")
            lines += facts.problems.map { "  " + $0.describe(in: facts.file) }
            if facts.problemCount > facts.problems.count {
                lines.append("  … and \(facts.problemCount - facts.problems.count) more")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `CNY: 3 paid = 300 minor (3.00), 1 refunded = 50 minor (0.50), fees 0.02`.
    private static func describe(_ totals: BillCurrencyTotals) -> String {
        let paid = Money(minorUnits: totals.paid, currency: totals.currency)
        let refunded = Money(minorUnits: totals.refunded, currency: totals.currency)
        return "\(totals.currency): \(totals.paymentCount) paid = \(totals.paid) minor (\(paid.amountText)), "
            + "\(totals.refundCount) refunded = \(totals.refunded) minor (\(refunded.amountText)), fees \(totals.fees)"
    }

    private static func json(_ totals: [Currency: BillCurrencyTotals]) -> [[String: Any]] {
        totals.values.sorted(by: { $0.currency < $1.currency }).map { totals -> [String: Any] in
            [
                "currency": totals.currency.code, "payments": totals.paymentCount, "paid_minor": totals.paid,
                "refunds": totals.refundCount, "refunded_minor": totals.refunded, "fees": totals.fees.description,
            ]
        }
    }

    /// The JSON of a bill that could not be read at all: its file, `"valid": false` and the error.
    public static func json(failure message: String, file: String) throws -> Data {
        var data = try JSONSerialization.data(
            withJSONObject: ["file": file, "valid": false, "error": message] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// How the bill came: ` (gzip)`, ` (ZIP: 2088…_业务明细.csv, GB18030 text)`, or nothing.
    private static func packing(_ facts: BillFacts) -> String {
        let parts = (facts.wasCompressed ? ["gzip"] : []) + (facts.zipEntry.map { ["ZIP: " + Printable.escaped($0)] } ?? [])
            + (facts.wasGB18030 ? ["GB18030 text"] : [])
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    /// The same facts as JSON, with stable key order.
    public static func json(_ facts: BillFacts) throws -> Data {
        let object: [String: Any] = [
            "file": facts.file,
            "valid": facts.isValid,
            "format": [
                "provider": facts.format.provider.rawValue, "type": facts.format.type, "generation": facts.format.generation,
            ],
            "merchant_id": facts.merchant?.merchantID ?? NSNull(),
            "day": facts.day?.description ?? NSNull(),
            "bytes": facts.storedBytes,
            "gzip": facts.wasCompressed,
            "zip_entry": facts.zipEntry.map { $0 as Any } ?? NSNull(),
            "encoding": facts.wasGB18030 ? "GB18030" : "UTF-8",
            "sha256": facts.sha256,
            "rows": ["detail": facts.detailRows, "malformed": facts.malformedRows, "by_type": facts.rowsByType],
            "first_row_time": facts.firstRowTime?.description ?? NSNull(),
            "last_row_time": facts.lastRowTime?.description ?? NSNull(),
            "totals": json(facts.totals),
            "merchants": facts.shares.sorted(by: { $0.key < $1.key }).map { member, share -> [String: Any] in
                ["merchant_id": member.merchantID, "rows_by_type": share.rowsByType, "totals": json(share.totals)]
            },
            "summary_checks": facts.summaryChecks.map { check -> [String: Any] in
                [
                    "name": check.name, "stated": check.stated.description, "computed": check.computed.description,
                    "matches": check.matches,
                ]
            },
            "unchecked_summary_columns": facts.uncheckedSummaryColumns,
            "problem_count": facts.problemCount,
            "problems": facts.problems.map { problem -> [String: Any] in
                ["line": problem.line ?? NSNull(), "area": problem.area.rawValue, "message": problem.message]
            },
        ]
        var data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }
}
