import Foundation
import ReconCore
import ReconReports

/// The e-mail about a run: the subject counts what needs attention and the money at stake; the
/// body is the summary and the last day's HTML report; each day's CSV is attached.
public enum RunMail {
    /// The message about a run that saved its results.
    public static func message(
        for result: RunResult, days: [CivilDate], settings: OutputSettings, date: Date
    ) -> MIMEMessage {
        let alarms = result.reports.map(\.attentionCount).reduce(0, +)
        let stakeText = result.amountAtStake.amounts.map(\.description).joined(separator: ", ")
        let open = result.reports.last?.openItems.map { $0.new.count + $0.stillOpen.count }
        var subject = "order-recon \(label(days)) — "
        if alarms == 0 {
            subject += "no discrepancies need attention"
        } else {
            subject += "\(alarms) discrepanc\(alarms == 1 ? "y needs" : "ies need") attention"
                + (stakeText.isEmpty ? "" : ", \(stakeText) at stake")
        }
        if let open, open > 0 { subject += " (\(open) open)" }
        if !result.stopped.isEmpty { subject += "; queries stopped" }
        var attachments: [MIMEMessage.Attachment] = []
        var html: String?
        // Each day's CSV is attached as the archive holds it (a run keeps only the HTML in
        // memory); one that cannot be read there is named instead, by its path in the archive.
        var notAttached = ""
        for day in result.archive {
            guard let bytes = day.csv.bytes ?? FileManager.default.contents(atPath: day.csv.path) else {
                notAttached += "The CSV of \(day.day) is not attached: it could not be read from the archive at \(day.csv.path).\n"
                continue
            }
            attachments.append(.init(fileName: (day.csv.path as NSString).lastPathComponent, contentType: "text/csv; charset=utf-8", data: bytes))
        }
        if let page = result.archive.last?.html.bytes { html = String(decoding: page, as: UTF8.self) }
        return MIMEMessage(
            from: settings.mailFrom, to: settings.mailTo, subject: subject,
            text: result.summary + Printable.escapedLines(notAttached + result.stopped.map { "STOPPED: \($0)\n" }.joined()), html: html,
            attachments: attachments, date: date)
    }

    /// The message about a run that failed: nothing was saved and no report written.
    public static func failure(
        _ error: ReconError, days: [CivilDate], settings: OutputSettings, date: Date
    ) -> MIMEMessage {
        MIMEMessage(
            from: settings.mailFrom, to: settings.mailTo,
            subject: "order-recon \(label(days)) — FAILED (exit \(error.status.rawValue))",
            text: """
                The reconciliation of \(label(days)) failed; it saved no results and wrote no report.

                \(Printable.escapedLines(error.message))

                Fix the cause and run it again (order-recon run --from/--to, or the cron wrapper).

                """,
            date: date)
    }

    private static func label(_ days: [CivilDate]) -> String {
        guard let first = days.first, let last = days.last else { return "" }
        return first == last ? "\(first)" : "\(first) to \(last)"
    }
}
