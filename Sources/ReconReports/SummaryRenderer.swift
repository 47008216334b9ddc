import ReconCore

/// Renders the short summary of a run that people read on the terminal or in cron mail.
public enum SummaryRenderer {
    /// How many discrepancies the summary lists before pointing to the report.
    public static let listedDiscrepancies = 10

    /// The summary of one day, ending with the paths of its report files.
    public static func render(_ report: DayReport, reportPaths: [String]) -> String {
        var lines: [String] = []
        let zones = Set(report.zones.values).sorted().joined(separator: ", ")
        lines.append("order-recon \(report.day) (\(zones)): \(report.headline)")
        for (index, bill) in report.bills.enumerated() {
            let label = index == 0 ? "  bills     " : "            "
            lines.append(
                label + "\(bill.merchant) \(bill.formatLabel): \(count(bill.paymentRows, "payment", "payments")), "
                    + "\(count(bill.refundRows, "refund", "refunds")); totals verified (\(bill.summaryChecks) checks)")
        }
        let statistics = report.statistics
        let statuses = statistics.localOrdersByStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }
        lines.append(
            "  store     \(count(statistics.localOrders, "order", "orders"))"
                + (statuses.isEmpty ? "" : " (\(statuses.joined(separator: ", ")))")
                + ", \(count(statistics.localRefunds, "refund", "refunds"))")
        lines.append(
            "  matched   \(count(statistics.matchedRows, "bill row", "bill rows"))"
                + (statistics.matchedAcrossBoundary > 0 ? "; \(statistics.matchedAcrossBoundary) across midnight" : ""))
        if let queries = report.queries {
            lines.append(
                "  queried   \(count(queries.total, "pending item", "pending items")): \(queries.settled) settled, "
                    + "\(queries.stillPending) still pending, \(queries.unresolved) unresolved, "
                    + "\(queries.notQueried.count) not queried (\(count(queries.attempts, "call", "calls")))")
            for message in queries.stopped { lines.append("  STOPPED   \(message)") }
            if queries.mode != "report" {
                let written = queries.changes.filter { $0.skipped == nil }.count
                let verb = queries.mode == "apply" ? "applied" : "would apply"
                lines.append("  \(queries.mode == "apply" ? "applied  " : "dry run  ") \(verb) \(count(written, "change", "changes"))"
                    + (queries.changes.count > written ? ", skipped \(queries.changes.count - written)" : ""))
                for applied in queries.changes {
                    let change = applied.change
                    lines.append(
                        "    \(change.table.rawValue) \(change.key): \(change.expectedStatus) → \(change.newStatus)"
                            + (applied.skipped.map { " — skipped: \($0)" } ?? ""))
                }
            }
        }
        for entry in report.unreconciled {
            lines.append("  not reconciled: \(entry.merchant) has \(count(entry.orders, "order", "orders")) but no bill in this run")
        }
        if !report.discrepancies.isEmpty {
            lines.append(
                "  found     " + report.countsByKind.map { "\($0.count) \($0.kind.rawValue)" }.joined(separator: ", "))
            let stake = report.amountAtStake.amounts.map(\.description).joined(separator: ", ")
            if !stake.isEmpty { lines.append("  at stake  \(stake)") }
            for discrepancy in report.discrepancies.prefix(listedDiscrepancies) {
                var amount = ""
                if let difference = discrepancy.difference {
                    amount = "  bill − store \(difference)"
                } else if let stake = discrepancy.amountAtStake {
                    amount = "  at stake \(stake)"
                }
                let fix = discrepancy.suggestedStatus.map { "  \(discrepancy.local?.status ?? "?") → \($0)" } ?? ""
                lines.append(
                    "    \(discrepancy.kind.rawValue)  \(discrepancy.merchant)  \(discrepancy.subject)\(fix)\(amount)"
                        + (discrepancy.kind.isAlarm ? "" : "  (expected to clear)"))
            }
            if report.discrepancies.count > listedDiscrepancies {
                lines.append("    … and \(report.discrepancies.count - listedDiscrepancies) more in the report")
            }
        }
        if let open = report.openItems {
            var parts = ["\(open.new.count) new", "\(open.stillOpen.count) still open"]
            if let oldest = open.stillOpen.map({ $0.age(on: report.day) }).max() {
                parts[1] += " (oldest \(count(oldest, "day", "days")))"
            }
            parts.append("\(open.resolved.count) resolved since the last run")
            lines.append("  open      " + parts.joined(separator: ", "))
            for item in open.new where item.day != report.day {
                lines.append("    \(item.kind.rawValue)  \(item.merchant)  \(item.subject)  of \(item.day): \(item.explanation)")
            }
            for item in open.resolved.prefix(listedDiscrepancies) {
                let why = item.acknowledgement.map { "acknowledged by \($0.by): \($0.note)" } ?? item.resolution ?? "resolved"
                lines.append("    resolved  \(item.kind.rawValue)  \(item.merchant)  \(item.subject)  (\(item.day)): \(why)")
            }
        }
        for (index, path) in reportPaths.enumerated() {
            lines.append((index == 0 ? "  reports   " : "            ") + path)
        }
        return Printable.escapedLines(lines.joined(separator: "\n") + "\n")
    }

    /// The lines that list the archive's day folders removed by `--keep-days`; empty when none was.
    public static func renderPruned(_ folders: [String]) -> String {
        guard !folders.isEmpty else { return "" }
        return Printable.escapedLines(
            (["archive: removed \(count(folders.count, "day folder", "day folders")) older than --keep-days:"]
                + folders.map { "  " + $0 }).joined(separator: "\n") + "\n")
    }

    private static func count(_ value: Int, _ singular: String, _ plural: String) -> String {
        "\(value) \(value == 1 ? singular : plural)"
    }
}
