import Foundation
import ReconCore
import ReconReports
import ReconTestSupport
import Testing

private let history = [
    DailyCount(day: Sample.day.adding(days: -2), alarms: 0, carried: 0),
    DailyCount(day: Sample.day.adding(days: -1), alarms: 3, carried: 1),
    DailyCount(day: Sample.day, alarms: 2, carried: 1),
]

private func html(_ report: DayReport = sampleReport()) -> String {
    String(
        decoding: HTMLReportRenderer.render(
            report, history: history, chartStart: HTMLReportRenderer.chartStart(for: report.day, runStart: report.day)),
        as: UTF8.self)
}

@Suite("The HTML report")
struct HTMLReportTests {
    @Test("is one self-contained file: no scripts, links, external images, fonts or URLs")
    func selfContained() {
        let page = html()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        for forbidden in ["<script", "<link", "src=", "href=", "http://", "https://", "url(", "@import", "<iframe"] {
            #expect(!page.contains(forbidden), "the report must not contain \(forbidden)")
        }
        #expect(page.contains("<style>") && page.contains("<svg class=\"chart\""))
    }

    @Test("lists the 500 discrepancies with the largest amounts at stake, largest first, and says how many more the CSV holds")
    func capped() {
        // 600 orders the bill lacks, of 1.00 to 6.00.
        var run = InMemoryReconciliation(orders: (1...600).map { Sample.order("M\($0)", "\($0 / 100 + 1).00") })
        run.bill([])
        let result = run.run()[0]
        var report = sampleReport()
        report.discrepancies = result.discrepancies
        let page = html(report)
        let listed = result.discrepancies.filter { page.contains($0.id) }
        #expect(listed.count == HTMLReportRenderer.tableLimit)
        #expect(listed.allSatisfy { ($0.amountAtStake?.minorUnits ?? 0) >= 200 }, "the 100 of 1.00 are left out")
        #expect(page.contains("The 500 with the largest amounts at stake are shown; 100 more are in <span class=\"mono\">order-recon-2026-11-20.csv</span>"))
        #expect(!html().contains("more are in"), "a short list has no such line")
    }

    @Test("shows counts and money by kind, and each discrepancy with its explanation, escaped")
    func content() {
        let page = html()
        #expect(page.contains("<td>amount_mismatch</td><td class=\"num\">1</td><td class=\"num\">CNY 0.30</td>"))
        #expect(page.contains("need attention"))
        #expect(page.contains("=HYPERLINK(&quot;x&quot;)"), "text from the store is escaped")
        #expect(!page.contains("=HYPERLINK(\"x\")"))
        for discrepancy in sampleReport().discrepancies { #expect(page.contains(discrepancy.id)) }
    }

    @Test("shows every text from the inputs made safe: hidden controls as visible escapes, in each part of the page")
    func hiddenControlsShown() {
        var report = sampleReport()
        let hidden = "\u{202E}\u{1B}"
        report.discrepancies[0].explanation = "explanation" + hidden
        report.store.path = "store" + hidden + ".sqlite"
        report.bills[0].path = "bills/bill" + hidden + ".csv"
        report.run.version = "version" + hidden
        let item = OpenItem(report.discrepancies[0], foundOn: Sample.day, runID: "r", at: Sample.time("2026-11-20 10:30:00"))
        report.openItems = OpenItemsSection(new: [item], stillOpen: [], resolved: [])
        let page = html(report)
        #expect(!page.contains("\u{202E}") && !page.contains("\u{1B}"), "no hidden control reaches the page")
        for shown in ["explanation\\u{202E}\\u{1B}", "store\\u{202E}\\u{1B}.sqlite", "bill\\u{202E}\\u{1B}.csv", "version\\u{202E}\\u{1B}"] {
            #expect(page.contains(shown), "\(shown)")
        }
        #expect(page.components(separatedBy: "explanation\\u{202E}\\u{1B}").count - 1 == 2, "in the details and the open items")
    }

    @Test("charts the last 30 days: one bar per kept count, a gap for each day without a run")
    func chart() {
        let svg = DiscrepancyChart.svg(history, from: Sample.day.adding(days: -29), through: Sample.day)
        #expect(svg.components(separatedBy: "<rect class=\"alarm\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "<rect class=\"carried\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "<rect class=\"clean\"").count - 1 == 1)
        #expect(svg.contains("<title>2026-11-19: 3 need attention</title>"))
        #expect(svg.contains(">10-22<") && svg.contains(">11-20<"), "the axis spans the 30 days")
        #expect(HTMLReportRenderer.chartStart(for: Sample.day, runStart: Sample.day) == CivilDate("2026-10-22"))
        #expect(HTMLReportRenderer.chartStart(for: Sample.day, runStart: CivilDate("2026-09-01")!) == CivilDate("2026-09-01"))
    }

    /// Open items found on earlier days: one still open from three days before, one acknowledged.
    static func earlierItems() -> (stillOpen: OpenItem, resolved: OpenItem) {
        let old = Discrepancy(kind: .missingLocally, day: Sample.day.adding(days: -3), merchant: Sample.wechat, outTradeNo: "OLD-1", explanation: "old")
        var resolved = OpenItem(
            Discrepancy(kind: .amountMismatch, day: Sample.day.adding(days: -1), merchant: Sample.wechat, outTradeNo: "FIXED", explanation: "x"),
            foundOn: Sample.day.adding(days: -1), runID: "r", at: Sample.time("2026-11-19 10:30:00"))
        resolved.acknowledgement = .init(by: "li.wei", at: Sample.time("2026-11-20 09:00:00"), note: "refund <done>")
        return (OpenItem(old, foundOn: old.day, runID: "r", at: Sample.time("2026-11-17 10:30:00")), resolved)
    }

    @Test("lists new, still open and resolved items with age and reason")
    func openItems() {
        var report = sampleReport()
        let earlier = Self.earlierItems()
        report.openItems = OpenItemsSection(new: [], stillOpen: [earlier.stillOpen], resolved: [earlier.resolved])
        let page = html(report)
        #expect(page.contains("0 new, 1 still open from earlier days, 1 resolved since the last run."))
        #expect(page.contains("<td class=\"num\">3 d</td>"))
        #expect(page.contains("acknowledged by li.wei at 2026-11-20T09:00:00+08:00: refund &lt;done&gt;"))
    }

    @Test("renders in headless Chromium: the screenshot has the window's size and far more ink than a blank page")
    func rendersInChromium() throws {
        let chromium = try #require(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"].first(where: FileManager.default.isExecutableFile),
            "Chromium is not installed; run bash .ci/install-deps (it installs Debian's chromium package)")
        let directory = TemporaryDirectory("order-recon-html")
        let report = directory.write("report.html", HTMLReportRenderer.render(
            sampleReport(), history: history, chartStart: CivilDate("2026-10-22")!))
        let blank = directory.write("blank.html", "<!DOCTYPE html><html><body></body></html>")
        func screenshot(_ page: String, _ name: String) throws -> Data {
            let output = directory.file(name)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(directory.file("profile-\(name)"))", "--window-size=1280,1600",
                "--screenshot=\(output)", "file://\(page)",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "chromium exited \(process.terminationStatus)")
            return try Data(contentsOf: URL(fileURLWithPath: output))
        }
        let png = try screenshot(report, "report.png")
        let empty = try screenshot(blank, "blank.png")
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG file")
        func dimension(_ offset: Int) -> UInt32 { png[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(dimension(16) == 1280 && dimension(20) == 1600, "the IHDR size is the window's")
        #expect(png.count > empty.count * 5, "the report drew far more than a blank page (\(png.count) vs \(empty.count) bytes)")
    }
}

@Suite("MIME messages")
struct MIMEMessageTests {
    @Test("a non-ASCII subject becomes RFC 2047 encoded words; ASCII stays as it is")
    func subject() {
        #expect(MIMEMessage.encodedWord("order-recon 2026-11-20") == "order-recon 2026-11-20")
        let encoded = MIMEMessage.encodedWord("order-recon 2026-11-20 — 3 need attention, 商户 1900000109")
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == "order-recon 2026-11-20 — 3 need attention, 商户 1900000109")
    }

    @Test("the message is multipart/mixed around text and HTML, with base64 attachments and short lines")
    func structure() {
        let message = MIMEMessage(
            from: "a@example.test", to: ["b@example.test"], subject: "s", text: "plain", html: "<p>html</p>",
            attachments: [.init(fileName: "r.csv", contentType: "text/csv; charset=utf-8", data: Data(repeating: 0x41, count: 300))],
            date: Date(timeIntervalSince1970: 1_795_000_000), token: "t1")
        let text = String(decoding: message.rendered(), as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"mixed-t1\"\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"alternative-t1\"\r\n"))
        #expect(text.contains("Content-Disposition: attachment; filename=\"r.csv\"\r\n"))
        #expect(text.contains("Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 || $0.hasPrefix("Content-") })
        #expect(text.hasSuffix("--mixed-t1--\r\n"))
    }
}
