import Foundation
import Logging
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconJob
import ReconProviders
import ReconReports
import ReconTestSupport
import SimulatorKit
import Testing
import WeChatPayProvider

/// `run --download`: the bills come from the simulator's bill APIs, some of them late.
@Suite("Bills fetched before the run, waiting for those not ready")
struct BillWaitTests {
    static let day19 = CivilDate("2026-11-19")!
    static let wechatMerchants = DemoWorkspace.merchants.filter { $0.provider == .wechatPay }

    static func job(
        _ workspace: DemoWorkspace, _ sim: SimulatorHarness, merchants: [MerchantRef] = DemoWorkspace.merchants,
        wait: Int64, retry: Int64 = 1
    ) throws -> JobRunner {
        let folder = workspace.directory.file("downloads")
        var config = workspace.config
        config.billPaths = [folder]
        config.merchants = merchants
        config.providers = ThreeWayRunTests.settings(sim)
        config.providers.queriesEnabled = false
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var outputs = OutputSettings()
        outputs.download = true
        outputs.billWaitSeconds = wait
        outputs.billRetrySeconds = retry
        return JobRunner(run: ReconciliationRun(config: config, logger: logger, clock: sim.clock), outputs: outputs)
    }

    @Test("a bill still being generated is applied for again until it is ready, then the day is reconciled")
    func waitsThenRuns() async throws {
        let workspace = try DemoWorkspace()
        var faults = Faults()
        faults.statementCreatingCount = 1
        let outcome = try await SimulatorHarness.with(ThreeWayRunTests.scenario, faults: faults) { sim in
            try await Self.job(workspace, sim, wait: 10).execute(days: [Self.day19])
        }
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        #expect(outcome.status == .discrepancies)
        #expect(outcome.result?.reports[0].discrepancies.count == 9, "the same findings as from the bundled bills")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.directory.file("downloads")).sorted() == [
            "gateway_800100200_2026-11-19.csv", "wechatpay_1900000109_2026-11-19_ALL.csv", "wechatpay_1900000110_2026-11-19_ALL.csv",
        ])
    }

    @Test("a bill still not ready at the deadline exits 5, names it and writes no report")
    func givesUp() async throws {
        let workspace = try DemoWorkspace()
        var faults = Faults()
        faults.statementCreatingCount = 1_000
        let outcome = try await SimulatorHarness.with(ThreeWayRunTests.scenario, faults: faults) { sim in
            try await Self.job(workspace, sim, wait: 2).execute(days: [Self.day19])
        }
        #expect(outcome.status == .billsNotReady)
        let message = outcome.error?.message ?? ""
        #expect(message.hasPrefix("Bills not ready after ") && message.contains("(bills.wait is 2s):\n"))
        #expect(message.contains("wechatpay/1900000109 2026-11-19: not ready yet (STATEMENT_CREATING: 账单生成中)"))
        #expect(message.contains("Run again later; the bills already fetched are kept."))
        #expect(!FileManager.default.fileExists(atPath: workspace.reports))
        #expect(message.contains("gateway/800100200 2026-11-19: not ready yet (C12: Bill not published yet)"))
    }

    @Test("NO_STATEMENT_EXIST is an empty day: a marker is kept and archived, and the day is reconciled against no rows")
    func emptyDay() async throws {
        let workspace = try DemoWorkspace()
        let day = CivilDate("2026-11-17")!
        let outcome = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in
            try await Self.job(workspace, sim, merchants: Self.wechatMerchants, wait: 0).execute(days: [day])
        }
        #expect(outcome.error == nil, "\(outcome.error?.message ?? "")")
        let report = try #require(outcome.result?.reports.first)
        #expect(report.bills.map(\.format) == ["no bill (NO_STATEMENT_EXIST)", "no bill (NO_STATEMENT_EXIST)"])
        #expect(report.bills.allSatisfy { $0.paymentRows == 0 && $0.refundRows == 0 })
        let marker = workspace.directory.file("downloads/wechatpay_1900000109_2026-11-17_ALL.nobill")
        #expect(try String(contentsOfFile: marker, encoding: .utf8).hasPrefix("NO_STATEMENT_EXIST\n"))
        let archived = workspace.reports + "/2026/11/17/wechatpay/1900000109/wechatpay_1900000109_2026-11-17_ALL.nobill"
        #expect(FileManager.default.fileExists(atPath: archived))
        #expect(FileManager.default.fileExists(atPath: archived + ".sha256"))
    }

    @Test("the wait gives up once the next try would pass the deadline, counting on its own clock")
    func deadline() async throws {
        let clock = ManualClock()
        var wait = BillWait(
            fetch: BillFetch(config: ReconConfig(storePath: "", billPaths: [], reportsFolder: ""), clock: clock),
            waitSeconds: 3_600, retryEvery: 1_800, logger: Logger(label: "test"))
        wait.fetch.sources = [Late()]
        let folder = TemporaryDirectory("bill-wait")
        await #expect { try await wait.run(days: [Self.day19], merchants: [Self.wechatMerchants[0]], folder: folder.path) } throws: {
            ($0 as? ReconError)?.status == .billsNotReady && "\($0)".contains("after 3 tries over 1h")
        }
        #expect(clock.uptime() == 3_600)
    }
}

/// A bill source whose bill is never ready.
private struct Late: BillSource {
    var provider: ProviderID { .wechatPay }
    var downloadCheck: String { "never" }
    func downloadBill(day: CivilDate, merchant: MerchantRef, into folder: String) async throws -> BillDownload {
        .notReady(code: "STATEMENT_CREATING", message: "账单生成中")
    }
}
