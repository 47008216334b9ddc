import Foundation
import ReconCore
import ReconReports
import ReconTestSupport
import Testing

@Suite("The report archive")
struct ReportArchiveTests {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("files the day's reports under YYYY/MM/DD and each merchant's with its raw bill and SHA-256; 0640 files, 0750 folders")
    func layout() throws {
        let directory = TemporaryDirectory("order-recon-archive")
        let billText = "raw bill bytes\n"
        let billPath = directory.write("wechatpay_1900000109_2026-11-20_ALL.csv", billText)
        var report = sampleReport()
        report.bills[0].path = billPath
        report.bills[0].sha256 = String(repeating: "c", count: 64)
        let archive = ReportArchive(root: directory.file("reports"))
        let staged = StagedFiles(inside: directory.file("reports"))
        let rendered = try archive.render(report, history: { _ in [] }, chartStart: Sample.day)
        try archive.stage(rendered, into: staged)
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
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: merchant + "/order-recon-2026-11-20-wechatpay-1900000109.json"))) as! [String: Any]
        #expect(json["scope"] as? [String: String] == ["provider": "wechatpay", "merchant_id": "1900000109"])
        #expect(json["local"] == nil, "a merchant's report leaves out the day-wide counts")
        for folder in ["reports", "reports/2026", "reports/2026/11", "reports/2026/11/20", "reports/2026/11/20/wechatpay", "reports/2026/11/20/wechatpay/1900000109"] {
            #expect(try mode(directory.file(folder)) == 0o750, "\(folder)")
        }
        for file in files + listed.map({ merchant + "/" + $0 }) { #expect(try mode(file) == 0o640, "\(file)") }
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
