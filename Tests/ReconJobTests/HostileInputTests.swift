import Foundation
import GatewayProvider
import GatewaySimulator
import Logging
import ProviderPlugins
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing
import WeChatPayProvider

@Suite("Identifiers from inputs never leave the reports folder")
struct PathEscapeTests {
    let day = CivilDate("2026-11-20")!
    let billName = "wechatpay_1900000109_2026-11-20_ALL.csv"

    /// Five `..` lead from `reports/2026/11/20/wechatpay/` to the workspace's own folder.
    let escaping = "../../../../../ESCAPED"

    func expectNothingEscaped(_ workspace: DemoWorkspace) {
        let top = workspace.directory.path
        #expect(!FileManager.default.fileExists(atPath: top + "/ESCAPED"))
        #expect(!FileManager.default.fileExists(atPath: top + "/ESCAPED.json"))
        #expect(workspace.reportFiles.isEmpty)
    }

    @Test("a bill of any name whose rows carry a merchant id with '..' is rejected with the line and the value")
    func merchantInRows() async throws {
        let workspace = try DemoWorkspace()
        try workspace.replace(in: billName, ",`1900000109,", with: ",`\(escaping),")
        let renamed = workspace.directory.file("anyname.csv")
        try FileManager.default.moveItem(atPath: workspace.bill(billName), toPath: renamed)
        var config = workspace.config
        config.billPaths = [renamed]
        config.merchants = []
        let error = try await workspace.failure([day], config: config)
        #expect(error.status == .badInput)
        #expect(error.message.contains("anyname.csv:2: 商户号 '\(escaping)' is not a WeChat Pay merchant id (1 to 32 digits"))
        expectNothingEscaped(workspace)
    }

    @Test("a bill named for the merchant '..' is rejected")
    func merchantInName() async throws {
        let workspace = try DemoWorkspace()
        let named = workspace.directory.file("wechatpay_.._2026-11-20_ALL.csv")
        try FileManager.default.moveItem(atPath: workspace.bill(billName), toPath: named)
        for paths in [[named], [workspace.bills]] {
            if paths == [workspace.bills] {
                try FileManager.default.moveItem(atPath: named, toPath: workspace.bill("wechatpay_.._2026-11-20_ALL.csv"))
            }
            var config = workspace.config
            config.billPaths = paths
            config.merchants = []
            let error = try await workspace.failure([day], config: config)
            #expect(error.status == .badInput)
            #expect(error.message.contains("wechatpay_.._2026-11-20_ALL.csv: the name's merchant '..' is not a WeChat Pay merchant id"))
        }
        expectNothingEscaped(workspace)
    }

    @Test("a store row whose merchant id is not of its provider's shape names the row and column")
    func merchantInStore() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute("UPDATE orders SET merchant_id = '\(escaping)' WHERE out_trade_no = 'D20-001'", in: workspace.store)
        let error = try await workspace.failure([day])
        #expect(error.status == .badInput)
        #expect(error.message.contains("orders.merchant_id of 'D20-001' is '\(escaping)', which is not a WeChat Pay merchant id"))
        expectNothingEscaped(workspace)
    }

    @Test("a merchant in the configuration must be of its provider's shape")
    func merchantInConfig() async throws {
        await #expect {
            _ = try await ConfigLoader.load(
                file: nil, overrides: ConfigOverrides(storePath: "s", billPaths: ["b"], reportsFolder: "r", merchants: ["wechatpay/../x"]),
                environment: [:])
        } throws: { error in
            (error as? ReconError)?.status == .usage
                && "\(error)".contains("'wechatpay/../x' is not a merchant. '../x' is not a WeChat Pay merchant id")
        }
    }
}

@Suite("Staged files stay inside their folder")
struct StagedContainmentTests {
    let directory = TemporaryDirectory()

    @Test("a path that climbs out of the folder is refused before anything is created")
    func climbing() throws {
        let staged = StagedFiles(inside: directory.file("reports"))
        #expect {
            try staged.stage(Data("x".utf8), at: directory.file("reports/2026/../../outside/x.json"))
        } throws: { error in
            "\(error)".contains("it must be inside \(directory.file("reports"))")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("outside")))
    }

    @Test("a folder on the way that is a symbolic link to elsewhere is refused")
    func symlinkedFolder() throws {
        try FileManager.default.createDirectory(atPath: directory.file("reports"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.file("reports/2026"), withDestinationPath: directory.file("elsewhere"))
        let staged = StagedFiles(inside: directory.file("reports"))
        #expect {
            try staged.stage(Data("x".utf8), at: directory.file("reports/2026/11/x.json"))
        } throws: { error in
            "\(error)".contains("is a symbolic link to a place outside it")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("elsewhere")).isEmpty)
    }

    @Test("a symbolic link that stays inside the folder works")
    func allowed() throws {
        try FileManager.default.createDirectory(atPath: directory.file("q/real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.file("q/link"), withDestinationPath: directory.file("q/real"))
        let staged = StagedFiles(inside: directory.file("q"))
        try staged.stage(Data("a".utf8), at: directory.file("q/link/a.json"))
        try staged.commit()
        #expect(FileManager.default.fileExists(atPath: directory.file("q/real/a.json")))
    }
}

@Suite("Retention on a backfill")
struct RetentionTests {
    @Test("--keep-days never removes a day the run wrote, and lists the folders it removed")
    func backfill() async throws {
        let workspace = try DemoWorkspace()
        let old = workspace.reports + "/2026/11/01"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try "{}".write(toFile: old + "/order-recon-2026-11-01.json", atomically: true, encoding: .utf8)
        var config = workspace.configWithoutQueries
        config.keepDays = 7
        let result = try await workspace.run([CivilDate("2026-11-20")!], config: config, clock: ManualClock(start: 1_796_263_200))
        for file in result.archive.flatMap(\.paths) { #expect(FileManager.default.fileExists(atPath: file), "\(file)") }
        #expect(FileManager.default.fileExists(atPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(result.pruned == [old])
        #expect(result.summary.contains("archive: removed 1 day folder older than --keep-days:\n  \(old)\n"))
    }
}

@Suite("A rerun resolves only what it examined again")
struct ReexaminationRunTests {
    @Test("a --no-queries rerun leaves the items the queries found open")
    func noQueriesRerun() async throws {
        let workspace = try DemoWorkspace()
        _ = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await ThreeWayRunTests.run(workspace, sim) }
        let store = try OrderStore(path: workspace.store)
        let queryItems = try store.openItems().filter { ThreeWayRunTests.queryKinds.contains($0.kind) }
        #expect(queryItems.count == 6)
        let rerun = try await workspace.run(days18to20, config: workspace.configWithoutQueries)
        let resolved = rerun.reports.flatMap { $0.openItems?.resolved ?? [] }
        #expect(resolved.filter { ThreeWayRunTests.queryKinds.contains($0.kind) }.isEmpty, "\(resolved.map(\.explanation))")
        let after = try OrderStore(path: workspace.store).openItems().filter { ThreeWayRunTests.queryKinds.contains($0.kind) }
        #expect(Set(after.map(\.id)) == Set(queryItems.map(\.id)))
    }
}

@Suite("One run at a time per store")
struct StoreLockTests {
    func job(_ workspace: DemoWorkspace, wait: Int64, clock: ManualClock) -> JobRunner {
        var config = workspace.config
        config.storeLockWaitSeconds = wait
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return JobRunner(run: ReconciliationRun(config: config, logger: logger, clock: clock), outputs: config.outputs)
    }

    @Test("a second run waits for the lock, then exits 6 naming the holder, and writes nothing")
    func waitsThenGivesUp() async throws {
        let workspace = try DemoWorkspace()
        let holder = try await StoreLock.acquire(
            store: workspace.store, holder: "pid 1 on nightly-host since 2026-11-21T10:30:00+08:00: order-recon run --apply",
            waitSeconds: 0, logger: Logger(label: "test"), clock: ManualClock())
        let clock = ManualClock()
        let outcome = await job(workspace, wait: 30, clock: clock).execute(days: [CivilDate("2026-11-19")!])
        #expect(outcome.status == .locked)
        #expect(outcome.error?.message.contains("is in use by another order-recon (pid 1 on nightly-host since 2026-11-21T10:30:00+08:00: order-recon run --apply)") == true)
        #expect(clock.uptime() == 30)
        #expect(workspace.reportFiles.isEmpty)
        holder.release()
    }

    @Test("a run that finds the lock taken proceeds once the holder lets go")
    func proceedsAfterRelease() async throws {
        let workspace = try DemoWorkspace()
        let holder = try await StoreLock.acquire(
            store: workspace.store, holder: "first", waitSeconds: 0, logger: Logger(label: "test"), clock: ManualClock())
        let clock = ManualClock(onSleep: { _ in holder.release() })
        let outcome = await job(workspace, wait: 30, clock: clock).execute(days: [CivilDate("2026-11-18")!])
        #expect(outcome.status == .clean, "\(outcome.error?.message ?? "")")
        #expect(clock.uptime() == 1)
    }
}

@Suite("Times without an offset in the store")
struct NaiveTimeTests {
    static let insert = """
        INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at, updated_at)
        VALUES ('NAIVE-1', 'wechatpay', '1900000109', 777, 'CNY', 'PAID', '2026-11-20 16:59:00', '2026-11-20 17:00:00',
                '2026-11-20 17:00:00')
        """

    @Test("without store.time_zone, a naive time a run could need stops it, naming the row and column")
    func refused() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(Self.insert, in: workspace.store)
        let error = try await workspace.failure([CivilDate("2026-11-20")!], config: workspace.configWithoutQueries)
        #expect(error.status == .badInput)
        #expect(error.message.contains(
            "orders.paid_at of 'NAIVE-1' is '2026-11-20 17:00:00', which is not an RFC 3339 time with an offset"))
        #expect(error.message.contains("set store.time_zone"))
    }

    @Test("with store.time_zone, naive times are read in that zone: the order is in its day and reported")
    func readInZone() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(Self.insert, in: workspace.store)
        var config = workspace.configWithoutQueries
        config.storeTimeZone = .shanghai
        let result = try await workspace.run([CivilDate("2026-11-20")!], config: config)
        let missing = try #require(result.reports[0].discrepancies.first { $0.outTradeNo == "NAIVE-1" })
        #expect(missing.kind == .missingInBill)
        #expect(missing.local?.time?.rfc3339 == "2026-11-20T17:00:00+08:00")
        let nextDay = try await workspace.run([CivilDate("2026-11-19")!], config: config)
        #expect(!nextDay.reports[0].discrepancies.contains { $0.outTradeNo == "NAIVE-1" })
    }
}

@Suite("Providers the store names that order-recon does not know")
struct UnknownProviderRowTests {
    @Test("an order under an unknown provider is counted as not reconciled, by its provider's own day")
    func counted() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at, updated_at)
            VALUES ('OTHER-1', 'alipay', '2088000000000001', 500, 'CNY', 'PAID', '2026-11-20T11:00:00+08:00',
                    '2026-11-20T11:00:05+08:00', '2026-11-20T11:00:05+08:00')
            """, in: workspace.store)
        let result = try await workspace.run([CivilDate("2026-11-20")!], config: workspace.configWithoutQueries)
        let unreconciled = try #require(result.reports.first).unreconciled
        #expect(unreconciled.contains { $0.merchant.description == "alipay/2088000000000001" && $0.orders == 1 })
    }
}

@Suite("Keys a view repeats")
struct DuplicateKeyTests {
    static let view = DemoStore.repeatingOrders(where: "out_trade_no = 'D19-002'")

    @Test("an order key a view repeats stops the run, naming the key and both rows")
    func repeatedOrder() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(Self.view, in: workspace.store)
        let error = try await workspace.failure([CivilDate("2026-11-19")!], config: workspace.configWithoutQueries)
        #expect(error.status == .badInput)
        #expect(error.message.contains("'orders' has 2 rows with out_trade_no 'D19-002': (1) wechatpay/1900000109 PAID 4500 CNY"))
        #expect(error.message.contains("(2) wechatpay/1900000109 PAID 4600 CNY"))
    }

    @Test("an order key a view repeats at another time of the day stops the run too")
    func repeatedAcrossReads() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            """
            ALTER TABLE orders RENAME TO orders_base;
            CREATE VIEW orders AS
                SELECT * FROM orders_base
                UNION ALL
                SELECT out_trade_no, combine_out_trade_no, provider, merchant_id, amount_minor + 100, currency, status,
                       last_error_code, provider_txn_id, created_at, '2026-11-19T20:00:00+08:00', updated_at
                FROM orders_base WHERE out_trade_no = 'D19-003';
            """, in: workspace.store)
        let error = try await workspace.failure([CivilDate("2026-11-19")!], config: workspace.configWithoutQueries)
        #expect(error.status == .badInput)
        #expect(error.message.contains("'orders' has 2 rows with out_trade_no 'D19-003'"))
        #expect(error.message.contains("PAID 5100 CNY"))
    }

    @Test("two orders whose numbers differ only in bytes that are not UTF-8 stop the run, not read as one number")
    func numbersReadAsOne() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            """
            UPDATE orders SET out_trade_no = CAST(X'443139FF303032' AS TEXT) WHERE out_trade_no = 'D19-002';
            UPDATE orders SET out_trade_no = CAST(X'443139FE303032' AS TEXT) WHERE out_trade_no = 'D19-003';
            """, in: workspace.store)
        let error = try await workspace.failure([CivilDate("2026-11-19")!], config: workspace.configWithoutQueries)
        #expect(error.status == .badInput)
        #expect(error.message.contains("orders.out_trade_no of 'D19\u{FFFD}002' is 'bytes 44 31 39 F"))
        #expect(error.message.contains("which is not UTF-8 text"))
    }

    @Test("a refund key a view repeats stops the run too")
    func repeatedRefund() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            """
            ALTER TABLE refunds RENAME TO refunds_base;
            CREATE VIEW refunds AS SELECT * FROM refunds_base UNION ALL SELECT * FROM refunds_base WHERE out_refund_no = 'D19-002-R1';
            """, in: workspace.store)
        let error = try await workspace.failure([CivilDate("2026-11-20")!], config: workspace.configWithoutQueries)
        #expect(error.status == .badInput)
        #expect(error.message.contains("'refunds' has 2 rows with out_refund_no 'D19-002-R1'"))
    }
}

@Suite("A provider that cannot be reached, in a run")
struct UnreachableRunTests {
    @Test("its merchants' items are not queried, one message names each, and the run exits 7")
    func closedPort() async throws {
        let workspace = try DemoWorkspace()
        let result = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in
            var config = workspace.config
            config.providers = ThreeWayRunTests.settings(sim, baseURL: "http://127.0.0.1:1")
            return try await workspace.run([CivilDate("2026-11-20")!], config: config)
        }
        #expect(result.status == .providerUnreachable)
        #expect(ExitStatus.providerUnreachable.rawValue == 7)
        let queries = try #require(result.reports[0].queries)
        #expect(queries.unresolved == 0 && queries.notQueried.count == queries.total && queries.total > 0)
        #expect(result.unreachable.count == 2)
        #expect(result.unreachable.contains { $0.hasPrefix("wechatpay/1900000109: queries stopped: wechatpay could not be reached") })
        #expect(result.unreachable.contains { $0.hasPrefix("gateway/800100200: queries stopped: gateway could not be reached") })
        #expect(!result.reports[0].discrepancies.contains { $0.kind == .pendingUnresolved })
        #expect(result.summary.contains("STOPPED   gateway/800100200: queries stopped: gateway could not be reached"))
    }
}

@Suite("Reports depend on the inputs, not on the clock")
struct DeterminismTests {
    func files(_ workspace: DemoWorkspace, day: String) throws -> (json: [String: Any], csv: Data, html: Data) {
        let base = workspace.reports + "/2026/11/20/order-recon-\(day)"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json"))) as! [String: Any]
        json["run"] = nil
        return (json, try Data(contentsOf: URL(fileURLWithPath: base + ".csv")), try Data(contentsOf: URL(fileURLWithPath: base + ".html")))
    }

    @Test("two three-way runs a day apart give byte-identical CSV and HTML, and JSON equal outside \"run\"")
    func twoClocks() async throws {
        let workspace = try DemoWorkspace()
        var outputs: [(json: [String: Any], csv: Data, html: Data)] = []
        for now in ["2026-12-03T02:00:00Z", "2026-12-04T09:30:00Z"] {
            let date = ISO8601DateFormatter().date(from: now)!
            let clock = ManualClock(start: date.timeIntervalSince1970)
            _ = try await SimulatorHarness.with(ThreeWayRunTests.scenario, clock: clock) { sim in
                var config = workspace.config
                config.providers = ThreeWayRunTests.settings(sim)
                var logger = Logger(label: "test")
                logger.logLevel = .critical
                let run = ReconciliationRun(config: config, logger: logger, clock: sim.clock)
                return try await run.run(days: [CivilDate("2026-11-20")!])
            }
            outputs.append(try files(workspace, day: "2026-11-20"))
        }
        let csv = String(decoding: outputs[0].csv, as: UTF8.self)
        #expect(csv.contains("pending_unresolved"), "the demo has an item still pending past its expiry")
        #expect(outputs[0].csv == outputs[1].csv)
        #expect(outputs[0].html == outputs[1].html)
        #expect(NSDictionary(dictionary: outputs[0].json) == NSDictionary(dictionary: outputs[1].json))
    }
}

@Suite("Money at stake")
struct MoneyAtStakeRunTests {
    @Test("counts each order or refund once, however many discrepancies name it")
    func onceEach() async throws {
        let workspace = try DemoWorkspace()
        let result = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await ThreeWayRunTests.run(workspace, sim) }
        let day20 = try #require(result.reports.last)
        let bySubject = Dictionary(grouping: day20.alarms.filter { $0.amountAtStake != nil }, by: \.subject)
        #expect(bySubject.values.contains { $0.count > 1 }, "the demo names an order in two discrepancies")
        let perSubject = bySubject.values.map { $0.compactMap(\.amountAtStake?.minorUnits).max()! }
        #expect(day20.amountAtStake[.cny].minorUnits == perSubject.reduce(0, +))
        #expect(day20.amountAtStake[.cny].description == "CNY 183.99")
        #expect(result.summary.contains("at stake  CNY 183.99"))
    }
}

@Suite("Money is summed exactly or the run stops before it saves")
struct MoneyOverflowTests {
    @Test("an amount out of range in the store is bad input named by row and column, before anything is committed")
    func storeAmount() async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(
            "UPDATE orders SET amount_minor = -9223372036854775808 WHERE out_trade_no = 'D19-002'", in: workspace.store)
        let directory = TemporaryDirectory("order-recon-metrics")
        var outputs = OutputSettings()
        outputs.metricsTextfile = directory.file("order_recon.prom")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let outcome = await JobRunner(run: ReconciliationRun(config: workspace.config, logger: logger, clock: ManualClock()), outputs: outputs)
            .execute(days: [CivilDate("2026-11-19")!])
        #expect(outcome.status == .badInput)
        #expect(outcome.error?.message.contains(
            "orders.amount_minor of 'D19-002' is '-9223372036854775808', which is not an INTEGER count of minor units from 0 to") == true)
        #expect(try OrderStore(path: workspace.store).savedRuns().isEmpty)
        #expect(workspace.reportFiles.isEmpty)
        #expect(try String(contentsOfFile: directory.file("order_recon.prom"), encoding: .utf8).contains("order_recon_last_run_exit_code 3.0"))
    }

    @Test("a sum of amounts at stake that does not fit stops the run's totals instead of leaving an item out")
    func stakeSum() {
        let discrepancies = (0..<10_000).map { index in
            Discrepancy(
                kind: .missingLocally, day: Sample.day, merchant: Sample.wechat, outTradeNo: "O\(index)",
                amountAtStake: Money(minorUnits: Money.maximumMinorUnits, currency: .cny), explanation: "x")
        }
        let report = DayReport(
            day: Sample.day, zones: [:], graceSeconds: 600,
            store: DayReport.StoreInput(path: "s", ordersRead: 0, refundsRead: 0, rowsSHA256: ""), bills: [],
            statistics: DayStatistics(), discrepancies: discrepancies, unreconciled: [],
            run: DayReport.RunInfo(runID: "r", startedAt: Sample.time("2026-11-21 10:30:00"), finishedAt: Sample.time("2026-11-21 10:31:00"), version: "0"),
            codes: Providers.directory.book)
        let result = RunResult(reports: [report])
        #expect(result.overflows.contains("2026-11-20: the money at stake in CNY"))
        #expect(result.overflows.contains("2026-11-20: the money at stake of the missing_locally discrepancies in CNY"))
        #expect(result.overflows.contains("the money at stake of the run in CNY"))
    }
}

@Suite("Messages say what is wrong")
struct MessageTests {
    @Test("a store path that is a folder says so, not that the store is locked")
    func storeFolder() async throws {
        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.storePath = workspace.bills
        let error = try await workspace.failure([CivilDate("2026-11-19")!], config: config)
        #expect(error.status == .badInput)
        #expect(error.message == "The order store \(workspace.bills) is a folder, not an SQLite file. "
            + "Point --store (or store.path) at the database file inside it.")
    }

    @Test("a read-only store is called read-only", arguments: [(8, "read-only"), (5, "holds a lock"), (26, "not an SQLite database")])
    func sqliteAdvice(code: Int32, says: String) {
        let text = "\(StoreError.sqlite(SQLiteError(code: code, message: "m", path: "s.sqlite")))"
        #expect(text.contains(says), "\(text)")
        if code != 5 { #expect(!text.contains("lock")) }
    }
}

@Suite("Key files with --no-queries")
struct ExposedKeyTests {
    @Test("a key file others may read is warned about even when no query reads it")
    func warned() async throws {
        let workspace = try DemoWorkspace()
        let result = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in
            // A copy: the simulator's keys are shared by the tests that run alongside.
            let secret = workspace.directory.file("gateway_800100200.secret")
            try FileManager.default.copyItem(atPath: sim.keys.gatewaySecret("800100200"), toPath: secret)
            chmod(secret, 0o644)
            var config = workspace.config
            config.providers = ThreeWayRunTests.settings(sim, gatewaySecretFile: secret)
            config.providers.queriesEnabled = false
            return try await workspace.run([CivilDate("2026-11-18")!], config: config)
        }
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("gateway_800100200.secret: the key file is readable by group or others (mode 644)") == true)
        #expect(result.warnings.first?.hasSuffix("Run: chmod 600 " + (result.warnings.first?.split(separator: ":").first.map(String.init) ?? "")) == true)
    }
}

@Suite("store init")
struct StoreInitTests {
    @Test("makes updated_at optional, as the README says")
    func updatedAtOptional() throws {
        let directory = TemporaryDirectory("order-recon-init")
        let path = directory.file("store.sqlite")
        try OrderStore.create(path: path)
        try DemoStore.execute(
            """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at)
            VALUES ('A', 'wechatpay', '1900000109', 100, 'CNY', 'PAID', '2026-11-20T10:00:00+08:00', '2026-11-20T10:00:01+08:00')
            """, in: path)
        let orders = try OrderStore(path: path).lookup(LookupRequest(outTradeNos: ["A"])).orders
        #expect(orders["A"]?.updatedAt == nil)
    }
}
