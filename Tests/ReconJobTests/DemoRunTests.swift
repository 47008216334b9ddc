import Foundation
import ReconClock
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing

@Suite("A run over the demo")
struct DemoRunTests {
    @Test("finds exactly the discrepancies the demo plants, day by day")
    func plantedDiscrepancies() async throws {
        let workspace = try DemoWorkspace()
        let result = try await workspace.run(days18to20)
        let found = result.reports.map { report in report.discrepancies.map { "\($0.kind.rawValue) \($0.subject)" } }
        #expect(found[0] == [])
        #expect(found[1] == [
            "currency_mismatch GW19-001", "combine_inconsistent C19-01", "date_mismatch D15-009",
            "refund_missing_in_bill D18-002-R1", "missing_in_bill D19-002", "amount_mismatch D19-003",
            "missing_locally X19-UNKNOWN", "missing_in_bill D19-005", "merchant_mismatch D19-006",
        ])
        #expect(found[2] == [
            "refund_amount_mismatch D18-003-R2", "status_mismatch D19-001-R1", "refund_missing_locally D19-003-R9",
            "status_mismatch D20-001", "status_mismatch D20-002", "duplicate_in_bill D20-003", "timing_difference D20-004",
        ])
        #expect(result.status == .discrepancies)
        let missing = try #require(result.reports[1].discrepancies.first { $0.subject == "D19-002" })
        #expect(missing.local?.transactionID == "4200000012", "the store's full row fills in the day's lean read")
        let pending = try #require(result.reports[2].discrepancies.first { $0.subject == "D20-001" })
        #expect(pending.local?.lastErrorCode == "SYSTEM_ERROR")
        #expect(pending.explanation.contains("The store's last call for it ended with SYSTEM_ERROR — 系统异常,请稍后重试 (query_to_confirm)."))
        #expect(result.reports[0].statistics.matchedAcrossBoundary == 1)
        #expect(result.reports[0].unreconciled.map(\.merchant.merchantID) == ["1900000111"])
        #expect(result.reports[0].bills.count == 3)
        #expect(result.reports[1].bills.first { $0.merchant.merchantID == "1900000109" }?.compressed == true)
    }

    @Test("a refund of an order the day read takes that order's merchant and currency, and adds to the digest what it added when read with its order")
    func refundOfTheDaysOrder() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            """
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, last_error_code, created_at, succeeded_at)
            VALUES ('D19-003-R1', 'D19-003', 500, 'SUCCESS', NULL, '2026-11-19T16:00:00+08:00', '2026-11-19T16:00:05+08:00'),
                   ('GW19-001-R1', 'GW19-001', 300, 'PENDING', NULL, '2026-11-19T09:00:00Z', NULL);
            """, in: workspace.store)
        let result = try await workspace.run([CivilDate("2026-11-19")!], config: workspace.configWithoutQueries)
        let report = try #require(result.reports.first)
        // D18-002's order is of the day before, looked up in the store; D19-003's and GW19-001's are the day's.
        #expect(report.discrepancies.filter { $0.outRefundNo != nil }.map { "\($0.merchant) \($0.subject) \($0.local?.amount.map(\.description) ?? "")" } == [
            "wechatpay/1900000109 D18-002-R1 CNY 12.50", "wechatpay/1900000109 D19-003-R1 CNY 5.00",
        ])
        #expect(report.store.refundsRead == 4)
        // The rows' digest of this day as read when each refund was read with its order in one query.
        #expect(report.store.rowsSHA256 == "9531892d722b8e3420a82574424e72439868abeeb16eac68086f96df1fa03a78")
    }

    @Test("writes one JSON and one CSV per day, and keeps the results in the store")
    func outputs() async throws {
        let workspace = try DemoWorkspace()
        let result = try await workspace.run(days18to20)
        #expect(workspace.reportFiles.filter { !$0.contains("/wechatpay") && !$0.contains("/gateway") && $0.contains(".") } == [
            "2026/11/18/order-recon-2026-11-18.csv", "2026/11/18/order-recon-2026-11-18.html", "2026/11/18/order-recon-2026-11-18.json",
            "2026/11/19/order-recon-2026-11-19.csv", "2026/11/19/order-recon-2026-11-19.html", "2026/11/19/order-recon-2026-11-19.json",
            "2026/11/20/order-recon-2026-11-20.csv", "2026/11/20/order-recon-2026-11-20.html", "2026/11/20/order-recon-2026-11-20.json",
        ])
        #expect(workspace.reportFiles.contains("2026/11/19/wechatpay/1900000109/wechatpay_1900000109_2026-11-19_ALL.csv.gz"))
        #expect(workspace.reportFiles.contains("2026/11/19/wechatpay/1900000109/wechatpay_1900000109_2026-11-19_ALL.csv.gz.sha256"))
        #expect(workspace.reportFiles.contains("2026/11/19/gateway/800100200/order-recon-2026-11-19-gateway-800100200.html"))
        #expect(result.archive.flatMap(\.paths).allSatisfy { FileManager.default.fileExists(atPath: $0) })
        let store = try OrderStore(path: workspace.store)
        #expect(try store.savedRuns().count == 9)
        #expect(try store.savedDiscrepancies(on: CivilDate("2026-11-19")!).count == 9)
        #expect(try store.savedDiscrepancies(on: CivilDate("2026-11-19")!).map(\.id)
            == result.reports[1].discrepancies.sorted { ($0.merchant, $0.subject, $0.kind) < ($1.merchant, $1.subject, $1.kind) }.map(\.id))
    }

    @Test("a clean day exits clean; a timing difference alone does not alarm")
    func cleanDay() async throws {
        let workspace = try DemoWorkspace()
        let alone = try await workspace.run([CivilDate("2026-11-18")!])
        #expect(alone.status == .clean)
        #expect(alone.reports[0].discrepancies.map(\.kind) == [.timingDifference])
        #expect(alone.summary.hasPrefix(
            "order-recon 2026-11-18 (Asia/Shanghai): nothing needs attention; 1 expected to clear with the next bill\n"))
        let withNextDay = try await workspace.run([CivilDate("2026-11-18")!, CivilDate("2026-11-19")!])
        #expect(withNextDay.reports[0].discrepancies.isEmpty)
        #expect(withNextDay.summary.hasPrefix("order-recon 2026-11-18 (Asia/Shanghai): no discrepancies\n"))
    }

    @Test("the same inputs give identical CSV and HTML, and JSON that differs only under \"run\"")
    func deterministic() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run(days18to20)
        let json = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/19/order-recon-2026-11-19.json"))
        let csv = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/19/order-recon-2026-11-19.csv"))
        _ = try await workspace.run(days18to20)
        let json2 = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/19/order-recon-2026-11-19.json"))
        let csv2 = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/19/order-recon-2026-11-19.csv"))
        #expect(csv == csv2)
        #expect(json != json2)
        let html = try String(contentsOfFile: workspace.reports + "/2026/11/19/order-recon-2026-11-19.html", encoding: .utf8)
        _ = try await workspace.run(days18to20)
        let html2 = try String(contentsOfFile: workspace.reports + "/2026/11/19/order-recon-2026-11-19.html", encoding: .utf8)
        #expect(html == html2)
        var first = try JSONSerialization.jsonObject(with: json) as! [String: Any]
        var second = try JSONSerialization.jsonObject(with: json2) as! [String: Any]
        first["run"] = nil
        second["run"] = nil
        #expect(NSDictionary(dictionary: first) == NSDictionary(dictionary: second))
    }

    @Test("rerunning a day replaces its results and leaves the other days alone")
    func rerunReplaces() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run(days18to20)
        try DemoStore.execute("UPDATE orders SET status = 'PAID', paid_at = '2026-11-20T09:00:02+08:00' WHERE out_trade_no = 'D20-001'", in: workspace.store)
        let result = try await workspace.run([CivilDate("2026-11-20")!])
        #expect(!result.reports[0].discrepancies.contains { $0.subject == "D20-001" })
        let store = try OrderStore(path: workspace.store)
        #expect(try store.savedDiscrepancies(on: CivilDate("2026-11-20")!).count == 6)
        #expect(try store.savedDiscrepancies(on: CivilDate("2026-11-19")!).count == 9)
        #expect(Set(try store.savedRuns().map(\.runID)).count == 2)
    }

    @Test("--keep-days prunes the archive after the run, counting from today in the providers' zone")
    func keepDays() async throws {
        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.keepDays = 1
        let clock = ManualClock(start: Double(Sample.time("2026-11-20 10:30:00").epochSeconds))
        _ = try await workspace.run(days18to20, config: config, clock: clock)
        let archive = ReportArchive(root: workspace.reports)
        #expect(try archive.archivedDays().map(\.description) == ["2026-11-18", "2026-11-19", "2026-11-20"], "a run keeps its own days")
        let next = try await workspace.run([CivilDate("2026-11-20")!], config: config, clock: clock)
        #expect(try archive.archivedDays().map(\.description) == ["2026-11-19", "2026-11-20"])
        #expect(next.pruned == [workspace.reports + "/2026/11/18"])
    }

    @Test("a run that fails leaves no report and no change in the store")
    func failureChangesNothing() async throws {
        let workspace = try DemoWorkspace()
        try workspace.replace(in: "gateway_800100200_2026-11-20.csv", "300.00,1.80", with: "30O.00,1.80")
        await #expect(throws: (any Error).self) { try await workspace.run(days18to20) }
        #expect(workspace.reportFiles.isEmpty)
        let store = try OrderStore(path: workspace.store)
        #expect(try store.savedRuns().isEmpty)
        #expect(try store.schemaVersion == 7)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path).sorted() == ["bills", "store.sqlite"])
    }

    @Test("a failed rerun keeps the previous results and reports")
    func failedRerunKeepsPrevious() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run(days18to20)
        let before = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        try workspace.replace(in: "wechatpay_1900000110_2026-11-20_ALL.csv", "`0,`0.00", with: "`1,`0.00")
        await #expect(throws: (any Error).self) { try await workspace.run(days18to20) }
        let after = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        #expect(before == after)
        #expect(try OrderStore(path: workspace.store).savedDiscrepancies(on: CivilDate("2026-11-20")!).count == 7)
        #expect(!workspace.reportFiles.contains { $0.contains(".tmp-") })
    }

    @Test("a rerun whose transaction fails before the open items are carried over stops its reports too and keeps the previous ones")
    func failedTransactionStopsReports() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run(days18to20)
        let before = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        let files = workspace.reportFiles
        // An open item the store cannot read back fails the transaction while the reports render.
        try DemoStore.execute("UPDATE recon_items SET found_on = '2026-13-45' WHERE rowid = (SELECT min(rowid) FROM recon_items)", in: workspace.store)
        let error = await #expect(throws: (any Error).self) { try await workspace.run(days18to20) }
        #expect(error.map { "\($0)" }?.contains("found_on") == true, "the store's error, not the stopped rendering's")
        let after = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        #expect(before == after)
        #expect(workspace.reportFiles == files, "no report written or left half-staged")
        #expect(try OrderStore(path: workspace.store).savedDiscrepancies(on: CivilDate("2026-11-20")!).count == 7)
    }
}
