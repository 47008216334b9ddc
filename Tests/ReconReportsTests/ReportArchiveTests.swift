import Foundation
import ReconCore
import ReconReports
import ReconTestSupport
import WeChatPayProvider
import Synchronization
import Testing

@Suite("The report archive")
struct ReportArchiveTests {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("files the day's reports under YYYY/MM/DD and each merchant's with its raw bill (hard-linked) and SHA-256; 0640 files, 0750 folders")
    func layout() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        let billText = "raw bill bytes\n"
        let billPath = directory.write("wechatpay_1900000109_2026-11-20_ALL.csv", billText)
        var report = sampleReport()
        report.bills[0].path = billPath
        report.bills[0].sha256 = String(repeating: "c", count: 64)
        let archive = ReportArchive(root: directory.file("reports"))
        let staged = StagedFiles(inside: directory.file("reports"))
        let rendered = try archive.render(report, history: { _ in [] }, chartStart: Sample.day, staging: staged)
        try staged.commit()
        let files = rendered.paths
        #expect(files == ["json", "csv", "html"].map { directory.file("reports/2026/11/20/order-recon-2026-11-20.\($0)") })
        let merchant = directory.file("reports/2026/11/20/wechatpay/1900000109")
        let listed = try FileManager.default.contentsOfDirectory(atPath: merchant).sorted()
        #expect(listed == [
            "order-recon-2026-11-20-wechatpay-1900000109.csv", "order-recon-2026-11-20-wechatpay-1900000109.html",
            "order-recon-2026-11-20-wechatpay-1900000109.json", "wechatpay_1900000109_2026-11-20_ALL.csv",
            "wechatpay_1900000109_2026-11-20_ALL.csv.sha256",
        ])
        #expect(try String(contentsOfFile: merchant + "/wechatpay_1900000109_2026-11-20_ALL.csv", encoding: .utf8) == billText)
        #expect(
            try String(contentsOfFile: merchant + "/wechatpay_1900000109_2026-11-20_ALL.csv.sha256", encoding: .utf8)
                == "\(report.bills[0].sha256)  wechatpay_1900000109_2026-11-20_ALL.csv\n")
        // The day is the one merchant's: its reports are the day's, rendered and written once.
        for (file, ext) in zip(files, ["json", "csv", "html"]) {
            let merchantFile = merchant + "/order-recon-2026-11-20-wechatpay-1900000109.\(ext)"
            #expect(FileManager.default.contents(atPath: file) == FileManager.default.contents(atPath: merchantFile))
            let day = try FileManager.default.attributesOfItem(atPath: file)
            #expect(
                day[.systemFileNumber] as? Int == (try FileManager.default.attributesOfItem(atPath: merchantFile))[.systemFileNumber] as? Int,
                "the merchant's \(ext) is a second name of the day's")
        }
        let link = try FileManager.default.attributesOfItem(atPath: merchant + "/wechatpay_1900000109_2026-11-20_ALL.csv")
        let source = try FileManager.default.attributesOfItem(atPath: billPath)
        #expect(link[.systemFileNumber] as? Int == source[.systemFileNumber] as? Int, "the archived bill is a hard link to the one read")
        for folder in ["reports", "reports/2026", "reports/2026/11", "reports/2026/11/20", "reports/2026/11/20/wechatpay", "reports/2026/11/20/wechatpay/1900000109"] {
            #expect(try mode(directory.file(folder)) == 0o750, "\(folder)")
        }
        for file in files + listed.filter({ !$0.hasSuffix(".csv") || $0.hasPrefix("order-recon") }).map({ merchant + "/" + $0 }) {
            #expect(try mode(file) == 0o640, "\(file)")
        }
    }

    @Test("a day of several merchants gives each its own report, without the day-wide counts")
    func scoped() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        var report = sampleReport()
        report.bills[0].path = directory.write("wechatpay_1900000109_2026-11-20_ALL.csv", "raw bill bytes\n")
        report.unreconciled = [DayReport.Unreconciled(merchant: MerchantRef(provider: .wechatPay, merchantID: "1900000111"), orders: 2)]
        let archive = ReportArchive(root: directory.file("reports"))
        let rendered = try archive.render(report, history: { _ in [] }, chartStart: Sample.day)
        let file = try #require(rendered.merchantFiles.first { $0.path.hasSuffix("order-recon-2026-11-20-wechatpay-1900000109.json") })
        let json = try JSONSerialization.jsonObject(with: try #require(file.bytes)) as! [String: Any]
        #expect(json["scope"] as? [String: String] == ["provider": "wechatpay", "merchant_id": "1900000109"])
        #expect(json["local"] == nil, "a merchant's report leaves out the day-wide counts")
    }

    /// The sample report as the run settles it: with open items, one of them an earlier day's
    /// timing difference the day's bill did not clear, which the headline counts.
    private func settled(_ report: DayReport) -> DayReport {
        var settled = report
        let old = Discrepancy(kind: .missingLocally, day: Sample.day.adding(days: -2), merchant: Sample.wechat, outTradeNo: "OLD-1", explanation: "old")
        let escalated = Discrepancy(
            kind: .missingInBill, day: Sample.day.adding(days: -1), merchant: Sample.wechat, outTradeNo: "LATE-1", explanation: "late")
        settled.openItems = OpenItemsSection(
            new: [OpenItem(escalated, foundOn: Sample.day, runID: "r", at: Sample.time("2026-11-20 10:30:00"))],
            stillOpen: [OpenItem(old, foundOn: old.day, runID: "r", at: Sample.time("2026-11-18 10:30:00"))], resolved: [])
        #expect(settled.headline != report.headline, "settling changes the headline")
        return settled
    }

    @Test("rendering begun before the report is settled gives the bytes of the settled report, for the day and each merchant")
    func renderedBeforeSettled() throws {
        for merchants in [1, 2] {
            var report = sampleReport()
            if merchants == 2 {
                report.unreconciled = [DayReport.Unreconciled(merchant: MerchantRef(provider: .wechatPay, merchantID: "1900000111"), orders: 2)]
            }
            let settledReport = settled(report)
            let archive = ReportArchive(root: "reports")
            let whole = try archive.render(settledReport, history: { _ in [] }, chartStart: Sample.day)
            let waited = Mutex(0)
            let early = try archive.render(report, history: { _ in [] }, chartStart: Sample.day) {
                waited.withLock { $0 += 1 }
                return settledReport
            }
            #expect(early.files.map(\.path) == whole.files.map(\.path))
            #expect(early.files.map(\.bytes) == whole.files.map(\.bytes), "\(merchants) merchant(s)")
            #expect(early.merchantFiles.map(\.path) == whole.merchantFiles.map(\.path))
            #expect(early.merchantFiles.map(\.bytes) == whole.merchantFiles.map(\.bytes), "\(merchants) merchant(s)")
            #expect(waited.withLock { $0 } == (merchants == 1 ? 2 : 4), "the JSON and HTML of each report rendered wait for it")
            let json = try JSONSerialization.jsonObject(with: try #require(early.files[0].bytes)) as! [String: Any]
            #expect((json["open_items"] as? [String: Any])?["still_open"] as? [Any] != nil)
        }
    }

    @Test("rendering begun before the report is settled stops with the error that stopped the run")
    func stoppedBeforeSettled() throws {
        struct Stopped: Error {}
        let directory = TemporaryDirectory("order-recon-archive")
        let archive = ReportArchive(root: directory.file("reports"))
        let staged = StagedFiles(inside: directory.file("reports"))
        #expect(throws: Stopped.self) {
            try archive.render(sampleReport(), history: { _ in [] }, chartStart: Sample.day, staging: staged) { throw Stopped() }
        }
        staged.discard()
        let left = FileManager.default.enumerator(atPath: directory.file("reports"))?.allObjects.compactMap { $0 as? String } ?? []
        #expect(left.allSatisfy { !$0.hasSuffix(".json") && !$0.hasSuffix(".html") && !$0.hasSuffix(".csv") }, "\(left)")
    }

    @Test("a bill given through a symbolic link is archived as the file it names")
    func symlinkedBill() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        let bill = directory.write("bill.csv", "raw bill bytes\n")
        try FileManager.default.createSymbolicLink(atPath: directory.file("linked.csv"), withDestinationPath: bill)
        let staged = StagedFiles(inside: directory.file("reports"))
        try staged.stageLink(to: directory.file("linked.csv"), at: directory.file("reports/linked.csv"))
        try staged.commit()
        let archived = try FileManager.default.attributesOfItem(atPath: directory.file("reports/linked.csv"))
        #expect(archived[.type] as? FileAttributeType == .typeRegular)
        #expect(archived[.systemFileNumber] as? Int == (try FileManager.default.attributesOfItem(atPath: bill))[.systemFileNumber] as? Int)
    }

    @Test("a bill on another file system than the archive is copied")
    func copied() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        let staged = StagedFiles(inside: directory.file("reports"))
        // /proc is another file system: no hard link can be made to a file there.
        try staged.stageLink(to: "/proc/self/status", at: directory.file("reports/status"))
        try staged.commit()
        #expect((try String(contentsOfFile: directory.file("reports/status"), encoding: .utf8)).contains("Name:"))
        #expect(try mode(directory.file("reports/status")) == 0o640)
    }

    @Test("--keep-days removes day folders older than the limit and leaves other folders alone")
    func retention() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        let archive = ReportArchive(root: directory.file("reports"))
        for day in ["2026/10/30", "2026/11/01", "2026/11/19", "2026/11/20"] {
            _ = directory.write("reports/\(day)/order-recon.json", "{}")
        }
        _ = directory.write("reports/notes/readme.txt", "kept")
        let removed = try archive.prune(keepDays: 19, today: CivilDate("2026-11-20")!)
        #expect(removed == [directory.file("reports/2026/10/30")])
        #expect(try archive.archivedDays().map(\.description) == ["2026-11-01", "2026-11-19", "2026-11-20"])
        #expect(!FileManager.default.fileExists(atPath: directory.file("reports/2026/10")), "an emptied month goes too")
        #expect(FileManager.default.fileExists(atPath: directory.file("reports/notes/readme.txt")))
        #expect(try archive.prune(keepDays: 1, today: CivilDate("2026-11-20")!) == [directory.file("reports/2026/11/01")])
        #expect(try archive.archivedDays().map(\.description) == ["2026-11-19", "2026-11-20"])
    }
}
