import AsyncHTTPClient
import Foundation
import GatewayProvider
import GatewaySimulator
import Logging
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconJob
import ReconProviders
import ReconReports
import ReconStore
import ReconTestSupport
import SimulatorKit
import Testing
import WeChatPayProvider
import WeChatPaySimulator

/// The demo store × the demo bills × the providers' query API, served by the simulator on loopback.
@Suite("A three-way run over the demo, with the simulator")
struct ThreeWayRunTests {
    static let scenario = try! Scenario.load(path: Repository.fixture("demo/scenario.json"))

    /// Settings that reach the simulator (or `baseURL`, when given) as the demo's merchants.
    static func settings(_ sim: SimulatorHarness, gatewaySecretFile: String? = nil, baseURL: String? = nil) -> ProviderSettings {
        ProviderSettings(
            accounts: [
                WeChatPayAccount(
                    baseURL: baseURL ?? sim.baseURL, platformKeyID: SimulatorKeys.platformKeyID,
                    platformPublicKeyFile: sim.keys.platformPublicKey,
                    merchants: SimulatorHarness.wechatMerchants.map {
                        .init(merchantID: $0, serialNumber: SimulatorKeys.merchantSerial, privateKeyFile: sim.keys.wechatPrivateKey($0))
                    }),
                GatewayAccount(
                    baseURL: baseURL ?? sim.baseURL,
                    merchants: [.init(merchantNo: "800100200", secretFile: gatewaySecretFile ?? sim.keys.gatewaySecret("800100200"))]),
            ],
            query: QuerySettings(
                concurrency: 4, maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40),
                defaultRate: RateLimit(perSecond: 200, burst: 20)),
            // Loopback answers come at once; the limit only has to outlast a loaded test machine,
            // since a call that times out is retried and changes the attempts a test counts.
            timeoutSeconds: 30)
    }

    static func run(
        _ workspace: DemoWorkspace, _ sim: SimulatorHarness, mode: ReconciliationRun.ApplyMode = .report,
        gatewaySecretFile: String? = nil, providers: [any PaymentProvider]? = nil, logger: Logger? = nil
    ) async throws -> RunResult {
        var config = workspace.config
        config.providers = settings(sim, gatewaySecretFile: gatewaySecretFile)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var run = ReconciliationRun(config: config, logger: logger ?? quiet, clock: sim.clock)
        run.mode = mode
        run.providers = providers
        return try await run.run(days: days18to20)
    }

    static func found(_ result: RunResult, kinds: Set<DiscrepancyKind>) -> [String] {
        result.reports.flatMap { report in
            report.discrepancies.filter { kinds.contains($0.kind) }.map {
                "\(report.day) \($0.kind.rawValue) \($0.subject)\($0.suggestedStatus.map { " → \($0)" } ?? "")"
            }
        }
    }

    static let queryKinds: Set<DiscrepancyKind> = [.pendingResolved, .pendingUnresolved, .providerConflict]

    @Test("pending and uncertain items are queried, and their answers become discrepancies next to the bill's")
    func report() async throws {
        let workspace = try DemoWorkspace()
        let result = try await SimulatorHarness.with(Self.scenario) { sim in try await Self.run(workspace, sim) }
        #expect(Self.found(result, kinds: Self.queryKinds) == [
            "2026-11-18 pending_resolved D18-004 → CLOSED",
            "2026-11-20 pending_resolved GW20-002 → PAID",
            "2026-11-20 provider_conflict GW20-002",
            "2026-11-20 pending_resolved D19-002-R1 → SUCCESS",
            "2026-11-20 pending_resolved D20-001 → PAID",
            "2026-11-20 pending_unresolved D20-005",
        ])
        let day20 = try #require(result.reports.last?.queries)
        #expect(day20.selected == ["pending_status": 3, "query_to_confirm": 2, "unknown_code": 1])
        #expect(day20.settled == 5 && day20.stillPending == 1 && day20.unresolved == 0 && day20.notQueried.isEmpty)
        #expect(result.reports[0].queries?.selected == ["pending_status": 1, "query_to_confirm": 1])
        let conflict = try #require(result.reports[2].discrepancies.first { $0.kind == .providerConflict })
        #expect(conflict.explanation.contains("GW20-002 is SUCCESS but its bill of 2026-11-20 has no row for it"))
        let resolved = try #require(result.reports[2].discrepancies.first { $0.subject == "D20-001" && $0.kind == .pendingResolved })
        #expect(resolved.query?.status == "PAID" && resolved.local?.status == "PENDING")
        #expect(resolved.explanation.contains("SYSTEM_ERROR — 系统异常,请稍后重试"))
        // Every call is in the store, and nothing was written to the merchant's tables.
        let store = try OrderStore(path: workspace.store)
        let attempts = try store.queryAttempts(runID: result.reports[0].run.runID)
        #expect(attempts.count == 8)
        #expect(attempts.allSatisfy { !$0.requestID.isEmpty && $0.httpStatus != nil && $0.bodySHA256?.count == 64 })
        #expect(try store.auditRows().isEmpty)
        #expect(result.status == .discrepancies)
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: result.archive[2].json.path))) as! [String: Any]
        let queries = json["queries"] as! [String: Any]
        #expect(queries["selected"] as? Int == 6)
        #expect(queries["mode"] as? String == "report")
    }

    @Test("--apply writes the resolved states the bill does not contradict, with an audit row each, and the next run finds them settled")
    func apply() async throws {
        let workspace = try DemoWorkspace()
        try await SimulatorHarness.with(Self.scenario) { sim in
            let result = try await Self.run(workspace, sim, mode: .apply)
            let changes = result.reports.flatMap { $0.queries?.changes ?? [] }
            #expect(changes.map { "\($0.change.key) \($0.change.expectedStatus)→\($0.change.newStatus) \($0.skipped ?? "written")" } == [
                "D18-004 PENDING→CLOSED written", "D20-001 PENDING→PAID written", "D19-002-R1 PENDING→SUCCESS written",
            ])
            let store = try OrderStore(path: workspace.store)
            let rows = try store.lookup(LookupRequest(outTradeNos: ["D20-001", "D18-004", "GW20-002"], outRefundNos: ["D19-002-R1"]))
            let paid = try #require(rows.orders["D20-001"])
            #expect(paid.status == .paid && paid.lastErrorCode == nil && paid.providerTransactionID == "4200000021")
            #expect(paid.paidAt == Timestamp(rfc3339: "2026-11-20T09:00:02+08:00"))
            #expect(rows.orders["D18-004"]?.status == .closed)
            #expect(rows.orders["GW20-002"]?.status == .failed, "a resolution the bill contradicts is not applied")
            #expect(rows.refunds["D19-002-R1"]?.status == .success)
            let audit = try store.auditRows()
            #expect(audit.map { "\($0.table) \($0.key) \($0.oldStatus ?? "-")→\($0.newStatus)" } == [
                "orders D18-004 PENDING→CLOSED", "orders D20-001 PENDING→PAID", "refunds D19-002-R1 PENDING→SUCCESS",
            ])
            #expect(audit.allSatisfy { $0.runID == result.reports[0].run.runID && $0.actor.hasPrefix("order-recon") })
            #expect(audit[1].evidence.contains("wechatpay/1900000109 answered SUCCESS CNY 33.00 transaction 4200000021"))
            #expect(audit[1].oldValues.contains("\"last_error_code\":\"SYSTEM_ERROR\""))
            let again = try await Self.run(workspace, sim)
            #expect(Self.found(again, kinds: [.pendingResolved]) == ["2026-11-20 pending_resolved GW20-002 → PAID"])
        }
    }

    @Test("--dry-run lists the changes and writes none")
    func dryRun() async throws {
        let workspace = try DemoWorkspace()
        try await SimulatorHarness.with(Self.scenario) { sim in
            let result = try await Self.run(workspace, sim, mode: .dryRun)
            #expect(result.reports.flatMap { $0.queries?.changes ?? [] }.map(\.change.key) == ["D18-004", "D20-001", "D19-002-R1"])
            #expect(result.summary.contains("would apply 2 changes"))
            let store = try OrderStore(path: workspace.store)
            #expect(try store.auditRows().isEmpty)
            #expect(try store.lookup(LookupRequest(outTradeNos: ["D20-001"])).orders["D20-001"]?.status == .pending)
        }
    }

    @Test("a row changed between its query and --apply is skipped and says why")
    func changedRowIsSkipped() async throws {
        let workspace = try DemoWorkspace()
        try await SimulatorHarness.with(Self.scenario) { sim in
            let (wechat, gateway, http) = try sim.clients()
            // While D20-001 is being queried, someone else settles it in the store.
            let meddling = Meddling(inner: wechat, store: workspace.store)
            let result = try await Self.run(workspace, sim, mode: .apply, providers: [meddling, gateway])
            try await http.shutdown()
            let changes = result.reports.flatMap { $0.queries?.changes ?? [] }
            let skipped = try #require(changes.first { $0.change.key == "D20-001" })
            #expect(skipped.skipped == "the row changed since it was queried (now PAID)")
            #expect(try OrderStore(path: workspace.store).auditRows().map(\.key) == ["D18-004", "D19-002-R1"])
        }
    }

    @Test("a merchant whose answers say its credentials are wrong is stopped with one message, and its orders are not blamed")
    func stoppedMerchant() async throws {
        let workspace = try DemoWorkspace()
        let wrong = workspace.directory.write("wrong.secret", "not-the-secret\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: wrong)
        let result = try await SimulatorHarness.with(Self.scenario) { sim in
            try await Self.run(workspace, sim, gatewaySecretFile: wrong)
        }
        #expect(result.status == .usage)
        #expect(result.stopped.count == 1)
        #expect(result.stopped[0].hasPrefix("gateway/800100200: queries stopped: the provider answered S03 — Signature verification failed."))
        #expect(!Self.found(result, kinds: Self.queryKinds).contains { $0.contains("GW") })
        let notQueried = result.reports.flatMap { $0.queries?.notQueried ?? [] }
        #expect(Set(notQueried.map(\.key)) == ["GW18-003", "GW20-002", "GW20-003"])
        #expect(result.summary.contains("STOPPED   gateway/800100200: queries stopped"))
    }

    @Test("a private key file others can read stops the run before anything is written")
    func openKeyFile() async throws {
        let workspace = try DemoWorkspace()
        let open = workspace.directory.write("open.secret", try String(contentsOfFile: SimulatorHarness.sharedKeys.gatewaySecret("800100200"), encoding: .utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        await #expect {
            _ = try await SimulatorHarness.with(Self.scenario) { sim in try await Self.run(workspace, sim, gatewaySecretFile: open) }
        } throws: { error in
            (error as? ReconError)?.status == .usage && "\(error)".contains("\(open): the secret file is readable by group or others")
        }
        #expect(workspace.reportFiles.isEmpty)
    }

    @Test("no secret appears in the logs, the reports or the store, even when calls fail")
    func noSecretsLeak() async throws {
        let workspace = try DemoWorkspace()
        let canary = "CANARY-SECRET-7f3a9c"
        let secretFile = workspace.directory.write("canary.secret", canary + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile)
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in lines.handler() }
        logger.logLevel = .trace
        let result = try await SimulatorHarness.with(Self.scenario) { sim in
            try await Self.run(workspace, sim, gatewaySecretFile: secretFile, logger: logger)
        }
        #expect(result.status == .usage, "the gateway refuses the canary secret")
        var texts = lines.all + [result.summary] + result.stopped
        for file in result.archive.flatMap(\.paths) { texts.append(try String(contentsOfFile: file, encoding: .utf8)) }
        let dump = try SQLiteDatabase(path: workspace.store).prepare(
            "SELECT group_concat(coalesce(error, '') || coalesce(code, '')) FROM recon_query_attempts")
        _ = try dump.step()
        texts.append(dump.text(0) ?? "")
        let audit = try SQLiteDatabase(path: workspace.store).prepare("SELECT group_concat(explanation) FROM recon_discrepancies")
        _ = try audit.step()
        texts.append(audit.text(0) ?? "")
        let privateKey = try String(contentsOfFile: SimulatorHarness.sharedKeys.wechatPrivateKey("1900000109"), encoding: .utf8)
        let keyLine = privateKey.split(separator: "\n")[1]
        for text in texts {
            #expect(!text.contains(canary))
            #expect(!text.contains("PRIVATE KEY") && !text.contains(keyLine))
        }
        #expect(!lines.all.isEmpty)
    }
}

/// A WeChat Pay client that changes a store row while that row's order is being queried.
struct Meddling: PaymentProvider {
    let inner: WeChatPayClient
    let store: String
    var provider: ProviderID { inner.provider }

    func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        if outTradeNo == "D20-001" {
            try DemoStore.execute(
                "UPDATE orders SET status = 'PAID', updated_at = '2026-11-21T08:00:00+08:00' WHERE out_trade_no = 'D20-001'", in: store)
        }
        return try await inner.queryOrder(outTradeNo: outTradeNo, merchant: merchant)
    }

    func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply? {
        try await inner.queryCombine(combineOutTradeNo: combineOutTradeNo, merchant: merchant)
    }

    func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await inner.queryRefund(outRefundNo: outRefundNo, outTradeNo: outTradeNo, merchant: merchant)
    }
}

/// Log lines kept in memory.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var all: [String] { lock.withLock { lines } }

    func handler() -> some LogHandler { Handler(sink: self) }

    fileprivate func append(_ line: String) { lock.withLock { lines.append(line) } }

    struct Handler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
        }
    }
}
