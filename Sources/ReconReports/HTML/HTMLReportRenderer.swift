import Foundation
import Mustache
import ReconCore

/// Renders a ``DayReport`` as one self-contained HTML page: counts and money by kind, a chart of
/// discrepancies per day, the open items and the detail table. Styles are inline and nothing is
/// loaded from elsewhere, so the file reads the same from an archive, a browser or an e-mail.
public enum HTMLReportRenderer {
    /// The most rows a table of discrepancies or open items shows: those with the largest
    /// amounts at stake. A line under the table says how many more the CSV report holds.
    public static let tableLimit = 500

    /// The `limit` items with the largest amounts at stake (then in their own order), and how many were left out.
    static func largest<Item>(_ items: [Item], stake: (Item) -> Money?, limit: Int = tableLimit) -> (shown: [Item], more: Int) {
        guard items.count > limit else { return (items, 0) }
        // Each item's amount is read once, not at every comparison.
        let amounts = items.map { stake($0)?.minorUnits ?? -1 }
        let ranked = amounts.indices.sorted { left, right in
            amounts[left] != amounts[right] ? amounts[left] > amounts[right] : left < right
        }
        return (ranked.prefix(limit).map { items[$0] }, items.count - limit)
    }

    /// The templates of the page's parts (``HTMLReportTemplate/parts``), in the page's order.
    private struct Templates {
        let head, byKind, openItems, details: MustacheTemplate
    }

    private static let templates: Templates = {
        do {
            let parts = try HTMLReportTemplate.parts.map(HTMLEscaping.template)
            return Templates(head: parts[0], byKind: parts[1], openItems: parts[2], details: parts[3])
        } catch {
            fatalError("The HTML report template does not parse: \(error)")
        }
    }()

    /// The report as UTF-8 HTML.
    /// - Parameters:
    ///   - report: The day's report.
    ///   - history: Counts of the days the chart shows; days without a count show a gap.
    ///   - chartStart: The first day of the chart (the report's day is the last).
    public static func render(_ report: DayReport, history: [DailyCount], chartStart: CivilDate) -> Data {
        prepare(report, history: history, chartStart: chartStart).finish(report)
    }

    /// Renders the parts of the page that settling the run's open items leaves as they are: the
    /// counts by kind, the chart, the details and the inputs. ``Prepared/finish(_:)`` renders
    /// the head (whose headline counts the open items escalated) and the open items.
    public static func prepare(_ report: DayReport, history: [DailyCount], chartStart: CivilDate) -> Prepared {
        let body = ShownObject(bodyContext(report, history: history, chartStart: chartStart))
        return Prepared(byKind: templates.byKind.render(body), details: templates.details.render(body))
    }

    /// A page whose parts that do not depend on the open items are rendered.
    public struct Prepared: Sendable {
        fileprivate let byKind: String
        fileprivate let details: String

        /// The whole page, its head and open items taken from `settled`: the report this was
        /// prepared from, with its open items settled and nothing else changed.
        public func finish(_ settled: DayReport) -> Data {
            let head = ShownObject(HTMLReportRenderer.headContext(settled))
            let templates = HTMLReportRenderer.templates
            return Data((templates.head.render(head) + byKind + templates.openItems.render(head) + details).utf8)
        }
    }

    /// The first day of the chart: 30 days up to the report's day, or the run's first day when
    /// the run is longer.
    public static func chartStart(for day: CivilDate, runStart: CivilDate) -> CivilDate {
        min(day.adding(days: -29), runStart)
    }

    /// What the head and the open items show: the parts settling the run's open items changes.
    /// Every text from the inputs is made safe to show (``ShownField/text(_:)``); Mustache then
    /// escapes it for HTML (``HTMLEscaping``).
    static func headContext(_ report: DayReport) -> [String: ShownField] {
        let stake = stakeText(report.amountAtStake)
        var headline = report.headline.prefix(1).uppercased() + report.headline.dropFirst() + "."
        if report.attentionCount > 0, !stake.isEmpty { headline += " \(stake) at stake." }
        let escalated = report.escalated.count
        if escalated > 0 {
            headline += " \(escalated) of them earlier timing difference\(escalated == 1 ? "" : "s") the next bill did not clear."
        }
        var context: [String: ShownField] = [
            "title": .text("order-recon \(report.day)" + (report.scope.map { " — \($0)" } ?? "")),
            "attention": .flag(report.needsAttention), "headline": .text(headline),
            "zones": .text(Set(report.zones.values).sorted().joined(separator: ", ")), "grace": .count(Int(report.graceSeconds)),
            "version": .text(report.run.version),
        ]
        if let open = report.openItems {
            /// A group of items, or none when it has none.
            func group(_ name: String, _ noteHeader: String, _ items: [OpenItem], note: (OpenItem) -> String) -> ShownObject? {
                guard !items.isEmpty else { return nil }
                let (shown, more) = largest(items, stake: \.amountAtStake)
                let rows = shown.map { item in
                    ShownObject([
                        "id": .text(item.id), "day": .text(item.day.description), "age": .text("\(item.age(on: report.day)) d"),
                        "merchant": .text(item.merchant.description), "kind": .text(item.kind.rawValue),
                        "subject": .text(item.subject), "stake": .text(item.amountAtStake?.description ?? ""),
                        "note": .text(note(item)),
                    ])
                }
                var group: [String: ShownField] = [
                    "name": .text(name), "noteHeader": .text(noteHeader), "items": .list(rows), "shown": .count(rows.count),
                ]
                if more > 0 { group["more"] = .count(more) }
                return ShownObject(group)
            }
            let groups = [
                group("New", "explanation", open.new) { $0.explanation },
                group("Still open", "explanation", open.stillOpen) { $0.explanation },
                group("Resolved since the last run", "why", open.resolved) { item in
                    item.acknowledgement.map { "acknowledged by \($0.by) at \($0.at.rfc3339): \($0.note)" }
                        ?? item.resolution ?? "resolved"
                },
            ].compactMap { $0 }
            context["openItems"] = .object(
                ShownObject([
                    "newCount": .count(open.new.count), "stillOpenCount": .count(open.stillOpen.count),
                    "resolvedCount": .count(open.resolved.count), "groups": .list(groups),
                ]))
        }
        return context
    }

    /// What the rest of the page shows: counts and money by kind, the chart, the details and the inputs.
    static func bodyContext(_ report: DayReport, history: [DailyCount], chartStart: CivilDate) -> [String: ShownField] {
        let stakeByKind = report.amountAtStakeByKind
        let kinds = report.countsByKind.map { entry in
            ShownObject([
                "kind": .text(entry.kind.rawValue), "count": .count(entry.count), "alarm": .flag(entry.kind.isAlarm),
                "stake": .text(stakeText(stakeByKind[entry.kind] ?? CurrencyTotals())), "meaning": .text(entry.kind.meaning),
            ])
        }
        let details = largest(report.discrepancies, stake: \.amountAtStake)
        var context: [String: ShownField] = [
            "hasKinds": .flag(!kinds.isEmpty), "kinds": .list(kinds), "total": .count(report.discrepancies.count),
            "alarms": .count(report.alarmCount), "totalStake": .text(stakeText(report.amountAtStake)),
            "chart": .markup(DiscrepancyChart.svg(history, from: chartStart, through: report.day)),
            "hasDiscrepancies": .flag(!report.discrepancies.isEmpty),
            "shownDiscrepancies": .count(details.shown.count), "csvName": .text(report.baseName + ".csv"),
            "discrepancies": .list(
                details.shown.map { discrepancy in
                    ShownObject([
                        "merchant": .text(discrepancy.merchant.description), "kind": .text(discrepancy.kind.rawValue),
                        "alarm": .flag(discrepancy.kind.isAlarm), "subject": .text(discrepancy.subject),
                        "local": .text(side(discrepancy.local)), "bill": .text(side(discrepancy.bill)),
                        "query": .text(side(discrepancy.query) + (discrepancy.suggestedStatus.map { " → \($0)" } ?? "")),
                        "difference": .text(discrepancy.difference?.description ?? ""),
                        "stake": .text(discrepancy.amountAtStake?.description ?? ""),
                        "explanation": .text(discrepancy.explanation), "id": .text(discrepancy.id),
                    ])
                }),
            "bills": .list(
                report.bills.map { bill in
                    ShownObject([
                        "path": .text((bill.path as NSString).lastPathComponent), "merchant": .text(bill.merchant.description),
                        "format": .text(bill.formatLabel), "payments": .count(bill.paymentRows),
                        "refunds": .count(bill.refundRows), "sha256": .text(bill.sha256),
                    ])
                }),
            "storePath": .text(report.store.path), "ordersRead": .count(report.store.ordersRead),
            "refundsRead": .count(report.store.refundsRead), "storeSHA": .text(report.store.rowsSHA256),
        ]
        // A section shows for any number, so a count of rows left out is only given when there are some.
        if details.more > 0 { context["moreDiscrepancies"] = .count(details.more) }
        return context
    }

    /// Money in several currencies as the page shows it: `CNY 1.00, USD 2.00`.
    private static func stakeText(_ totals: CurrencyTotals) -> String {
        totals.amounts.map(\.description).joined(separator: ", ")
    }

    private static func side(_ observation: Observation?) -> String {
        guard let observation else { return "" }
        return [observation.status, observation.amount?.description].compactMap { $0 }.joined(separator: " ")
    }
}
