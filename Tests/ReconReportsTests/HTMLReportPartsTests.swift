import Foundation
import Mustache
import ReconCore
@testable import ReconReports
import ReconTestSupport
import Testing

/// The HTML page rendered in parts, some before the run settles its open items.
@Suite("The HTML report's parts")
struct HTMLReportPartsTests {
    /// A report that fills every section: more discrepancies than a table shows, and open items
    /// new (one escalated), still open and resolved.
    static func fullReport() -> DayReport {
        var run = InMemoryReconciliation(orders: (1...600).map { Sample.order("M\($0)", "\($0 / 100 + 1).00") })
        run.bill([])
        var report = sampleReport()
        report.discrepancies = run.run()[0].discrepancies
        let escalated = Discrepancy(
            kind: .missingInBill, day: Sample.day.adding(days: -1), merchant: Sample.wechat, outTradeNo: "LATE-1", explanation: "late <1>")
        let earlier = HTMLReportTests.earlierItems()
        report.openItems = OpenItemsSection(
            new: [OpenItem(escalated, foundOn: Sample.day, runID: "r", at: Sample.time("2026-11-20 10:30:00"))],
            stillOpen: [earlier.stillOpen], resolved: [earlier.resolved])
        return report
    }

    static let history = [DailyCount(day: Sample.day.adding(days: -1), alarms: 3, carried: 1)]

    @Test("the parts rendered one after the other give the page the whole template gives")
    func partsMakeTheWhole() throws {
        let report = Self.fullReport()
        let whole = try HTMLEscaping.template(HTMLReportTemplate.text)
        let context = HTMLReportRenderer.headContext(report).merging(
            HTMLReportRenderer.bodyContext(report, history: Self.history, chartStart: Sample.day.adding(days: -29))
        ) { first, _ in first }
        let expected = whole.render(ShownObject(context))
        let page = String(
            decoding: HTMLReportRenderer.render(report, history: Self.history, chartStart: Sample.day.adding(days: -29)), as: UTF8.self)
        #expect(page == expected)
        #expect(HTMLReportTemplate.parts.count == 4 && HTMLReportTemplate.parts.joined() == HTMLReportTemplate.text)
        for text in ["1 of them earlier timing difference", "refund &lt;done&gt;", "100 more are in", "late &lt;1&gt;"] {
            #expect(page.contains(text), "every section is rendered: \(text)")
        }
    }

    @Test("a page prepared before its open items are settled is the settled report's page")
    func preparedBeforeSettled() {
        let settled = Self.fullReport()
        var unsettled = settled
        unsettled.openItems = nil
        let start = Sample.day.adding(days: -29)
        let page = HTMLReportRenderer.prepare(unsettled, history: Self.history, chartStart: start).finish(settled)
        #expect(page == HTMLReportRenderer.render(settled, history: Self.history, chartStart: start))
        #expect(page != HTMLReportRenderer.render(unsettled, history: Self.history, chartStart: start))
    }
}
