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
        let body = shown(bodyContext(report, history: history, chartStart: chartStart))
        return Prepared(byKind: templates.byKind.render(body), details: templates.details.render(body))
    }

    /// A page whose parts that do not depend on the open items are rendered.
    public struct Prepared: Sendable {
        fileprivate let byKind: String
        fileprivate let details: String

        /// The whole page, its head and open items taken from `settled`: the report this was
        /// prepared from, with its open items settled and nothing else changed.
        public func finish(_ settled: DayReport) -> Data {
            let head = HTMLReportRenderer.shown(HTMLReportRenderer.headContext(settled))
            let templates = HTMLReportRenderer.templates
            return Data((templates.head.render(head) + byKind + templates.openItems.render(head) + details).utf8)
        }
    }

    /// The context with every text from the inputs made safe to show (``Printable``); Mustache
    /// then escapes it for HTML (``HTMLEscaping``). The chart is the renderer's own SVG and stays as it is.
    /// Texts and counts become ``ShownText``, which Mustache renders without trying what else they
    /// could be, and objects ``ShownObject``.
    static func shown(_ value: Any, key: String? = nil) -> Any {
        switch value {
        case let text as String: ShownText(renderText: key == "chart" ? text : Printable.escaped(text))
        case let count as Int: ShownText(renderText: String(count))
        case let object as [String: Any]:
            ShownObject(fields: Dictionary(uniqueKeysWithValues: object.map { ($0.key, shown($0.value, key: $0.key)) }))
        case let list as [[String: Any]]: list.map { shown($0) }
        case let list as [Any]: list.map { shown($0) }
        default: value
        }
    }

    /// The first day of the chart: 30 days up to the report's day, or the run's first day when
    /// the run is longer.
    public static func chartStart(for day: CivilDate, runStart: CivilDate) -> CivilDate {
        min(day.adding(days: -29), runStart)
    }

    /// What the head and the open items show: the parts settling the run's open items changes.
    static func headContext(_ report: DayReport) -> [String: Any] {
        let stake = stakeText(report.amountAtStake)
        var headline = report.headline.prefix(1).uppercased() + report.headline.dropFirst() + "."
        if report.attentionCount > 0, !stake.isEmpty { headline += " \(stake) at stake." }
        let escalated = report.escalated.count
        if escalated > 0 {
            headline += " \(escalated) of them earlier timing difference\(escalated == 1 ? "" : "s") the next bill did not clear."
        }
        var context: [String: Any] = [
            "title": "order-recon \(report.day)" + (report.scope.map { " — \($0)" } ?? ""),
            "attention": report.needsAttention, "headline": headline,
            "zones": Set(report.zones.values).sorted().joined(separator: ", "), "grace": report.graceSeconds,
            "version": report.run.version,
        ]
        if let open = report.openItems {
            func group(_ name: String, _ noteHeader: String, _ items: [OpenItem], note: (OpenItem) -> String) -> [String: Any] {
                let (shown, more) = largest(items, stake: \.amountAtStake)
                let rows = shown.map { item -> [String: Any] in
                    [
                        "id": item.id, "day": item.day.description, "age": "\(item.age(on: report.day)) d",
                        "merchant": item.merchant.description, "kind": item.kind.rawValue, "subject": item.subject,
                        "stake": item.amountAtStake?.description ?? "", "note": note(item),
                    ]
                }
                var group: [String: Any] = ["name": name, "noteHeader": noteHeader, "items": rows, "shown": rows.count]
                if more > 0 { group["more"] = more }
                return group
            }
            let groups: [[String: Any]] = [
                group("New", "explanation", open.new) { $0.explanation },
                group("Still open", "explanation", open.stillOpen) { $0.explanation },
                group("Resolved since the last run", "why", open.resolved) { item in
                    item.acknowledgement.map { "acknowledged by \($0.by) at \($0.at.rfc3339): \($0.note)" }
                        ?? item.resolution ?? "resolved"
                },
            ].filter { !(($0["items"] as? [[String: Any]])?.isEmpty ?? true) }
            context["openItems"] = [
                "newCount": open.new.count, "stillOpenCount": open.stillOpen.count, "resolvedCount": open.resolved.count,
                "groups": groups,
            ] as [String: Any]
        }
        return context
    }

    /// What the rest of the page shows: counts and money by kind, the chart, the details and the inputs.
    static func bodyContext(_ report: DayReport, history: [DailyCount], chartStart: CivilDate) -> [String: Any] {
        let stakeByKind = report.amountAtStakeByKind
        let kinds: [[String: Any]] = report.countsByKind.map { entry in
            let totals = stakeByKind[entry.kind] ?? CurrencyTotals()
            return [
                "kind": entry.kind.rawValue, "count": entry.count, "alarm": entry.kind.isAlarm,
                "stake": stakeText(totals), "meaning": entry.kind.meaning,
            ]
        }
        let details = largest(report.discrepancies, stake: \.amountAtStake)
        var context: [String: Any] = [
            "hasKinds": !kinds.isEmpty, "kinds": kinds, "total": report.discrepancies.count, "alarms": report.alarmCount,
            "totalStake": stakeText(report.amountAtStake),
            "chart": DiscrepancyChart.svg(history, from: chartStart, through: report.day),
            "hasDiscrepancies": !report.discrepancies.isEmpty,
            "shownDiscrepancies": details.shown.count, "csvName": report.baseName + ".csv",
            "discrepancies": details.shown.map { discrepancy -> [String: Any] in
                [
                    "merchant": discrepancy.merchant.description, "kind": discrepancy.kind.rawValue,
                    "alarm": discrepancy.kind.isAlarm, "subject": discrepancy.subject,
                    "local": side(discrepancy.local), "bill": side(discrepancy.bill),
                    "query": side(discrepancy.query) + (discrepancy.suggestedStatus.map { " → \($0)" } ?? ""),
                    "difference": discrepancy.difference?.description ?? "",
                    "stake": discrepancy.amountAtStake?.description ?? "", "explanation": discrepancy.explanation,
                    "id": discrepancy.id,
                ]
            },
            "bills": report.bills.map { bill -> [String: Any] in
                [
                    "path": (bill.path as NSString).lastPathComponent, "merchant": bill.merchant.description,
                    "format": bill.formatLabel, "payments": bill.paymentRows, "refunds": bill.refundRows, "sha256": bill.sha256,
                ]
            },
            "storePath": report.store.path, "ordersRead": report.store.ordersRead, "refundsRead": report.store.refundsRead,
            "storeSHA": report.store.rowsSHA256,
        ]
        // A section shows for any number, so a count of rows left out is only given when there are some.
        if details.more > 0 { context["moreDiscrepancies"] = details.more }
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
