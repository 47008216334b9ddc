import Foundation
import ReconCore
import ReconJob
@testable import ReconReports
import ReconTestSupport
import Testing

@Suite("The e-mail about a run")
struct RunMailTests {
    @Test("each day's CSV is attached, kept in memory or read from the archive; one that cannot be read is named by its path instead")
    func csvAttachedOrNamed() {
        let report = DayReport.bare()
        let directory = TemporaryDirectory()
        let archived = directory.write("day.csv", "id,from the archive\r\n")
        func day(csv: Data?, at path: String) -> RenderedDay {
            RenderedDay(
                day: Sample.day,
                files: [
                    .init(path: "reports/day.json", bytes: nil), .init(path: path, bytes: csv),
                    .init(path: "reports/day.html", bytes: Data("<p>day</p>".utf8)),
                ], merchantFiles: [], bills: [])
        }
        var settings = OutputSettings()
        settings.mailTo = ["ops@example.com"]
        let kept = RunMail.message(
            for: RunResult(reports: [report], archive: [day(csv: Data("id\r\n".utf8), at: archived)]), days: [Sample.day],
            settings: settings, date: Date())
        #expect(kept.attachments.map(\.data) == [Data("id\r\n".utf8)])
        #expect(!kept.text.contains("not attached"))
        let read = RunMail.message(
            for: RunResult(reports: [report], archive: [day(csv: nil, at: archived)]), days: [Sample.day], settings: settings, date: Date())
        #expect(read.attachments.map(\.data) == [Data("id,from the archive\r\n".utf8)])
        #expect(read.attachments.map(\.fileName) == ["day.csv"])
        #expect(!read.text.contains("not attached"))
        let missing = directory.file("gone/day.csv")
        let named = RunMail.message(
            for: RunResult(reports: [report], archive: [day(csv: nil, at: missing)]), days: [Sample.day], settings: settings, date: Date())
        #expect(named.attachments.isEmpty)
        #expect(named.text.contains("The CSV of \(Sample.day) is not attached: it could not be read from the archive at \(missing)."))
        #expect(named.html == "<p>day</p>")
    }
}
