import Foundation
import ReconCore
import ReconJob
@testable import ReconReports
import ReconTestSupport
import Testing

@Suite("The e-mail about a run")
struct RunMailTests {
    @Test("each day's CSV is attached; one the archive did not keep in memory is named by its path instead")
    func csvAttachedOrNamed() {
        let report = DayReport.bare()
        func day(csv: Data?) -> RenderedDay {
            RenderedDay(
                day: Sample.day,
                files: [
                    .init(path: "reports/day.json", bytes: nil), .init(path: "reports/day.csv", bytes: csv),
                    .init(path: "reports/day.html", bytes: Data("<p>day</p>".utf8)),
                ], merchantFiles: [], bills: [])
        }
        var settings = OutputSettings()
        settings.mailTo = ["ops@example.com"]
        let kept = RunMail.message(
            for: RunResult(reports: [report], archive: [day(csv: Data("id\r\n".utf8))]), days: [Sample.day], settings: settings, date: Date())
        #expect(kept.attachments.map(\.data) == [Data("id\r\n".utf8)])
        #expect(!kept.text.contains("not attached"))
        let named = RunMail.message(
            for: RunResult(reports: [report], archive: [day(csv: nil)]), days: [Sample.day], settings: settings, date: Date())
        #expect(named.attachments.isEmpty)
        #expect(named.text.contains("The CSV of \(Sample.day) is not attached: it is in the archive at reports/day.csv."))
        #expect(named.html == "<p>day</p>")
    }
}
