import Foundation
import Logging
import ProviderTestSupport
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing

/// The three-way demo with the orders in PostgreSQL, and the results in an SQLite file of their own or in PostgreSQL.
@Suite("A run over orders in PostgreSQL", .postgresServer)
struct PostgresRunTests {
    /// Each discrepancy as a line: what it is, and the instants and amounts on each side.
    static func lines(_ result: RunResult) -> [String] {
        result.reports.flatMap { report in
            report.discrepancies.map { found in
                let sides = [found.local, found.bill, found.query].map { side in
                    side.map { "\($0.amount?.description ?? "-") \($0.status ?? "-") \($0.time?.epochSeconds ?? 0)" } ?? "none"
                }
                return "\(report.day) \(found.kind.rawValue) \(found.subject) \(sides.joined(separator: " | ")) "
                    + "\(found.suggestedStatus ?? "-") \(found.amountAtStake?.description ?? "-")"
            }
        }
    }

    static func run(_ config: ReconConfig, _ sim: SimulatorHarness, mode: ReconciliationRun.ApplyMode = .report) async throws -> RunResult {
        var config = config
        config.providers = ThreeWayRunTests.settings(sim)
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        var run = ReconciliationRun(config: config, logger: quiet, clock: sim.clock)
        run.mode = mode
        return try await run.run(days: days18to20)
    }

    @Test("finds the same discrepancies as with the orders in SQLite, and keeps its results apart")
    func sameAsSQLite() async throws {
        let sqlite = try DemoWorkspace()
        let expected = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(sqlite.config, sim) }

        let workspace = try DemoWorkspace()
        let rows = try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8)
        var config = workspace.config
        config.storePath = try TestPostgres.shared.storeDatabase(rows: rows)
        config.resultsPath = workspace.directory.file("results.sqlite")
        let result = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(config, sim) }

        #expect(Self.lines(result) == Self.lines(expected))
        #expect(Self.lines(result).count > 20)
        #expect(result.status == expected.status)
        #expect(result.reports.map { $0.store.path } == Array(repeating: config.storePath, count: 3))
        // The results, open items and history are in the results file.
        let results = try OrderStore.results(at: config.resultsPath!)
        #expect(try results.openItems(in: [.open]).count == OrderStore(path: sqlite.store).openItems(in: [.open]).count)
        #expect(try results.lastRunFinished() != nil)
    }

    @Test("with the results in PostgreSQL too: the same discrepancies, open items and history as in SQLite, and a rerun adds nothing")
    func resultsInPostgres() async throws {
        let sqlite = try DemoWorkspace()
        let expected = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(sqlite.config, sim) }
        let kept = try OrderStore(path: sqlite.store)

        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.storePath = try TestPostgres.shared.storeDatabase(
            rows: try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8))
        config.resultsPath = try TestPostgres.shared.database("SELECT 1")
        let result = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(config, sim) }
        #expect(Self.lines(result) == Self.lines(expected))
        #expect(result.status == expected.status)

        let results = try PostgresResultsStore(
            address: PostgresAddress(config.resultsPath!, setting: "results.url"), environment: [:], providers: JobAssembly.providers)
        func items(_ store: any ResultsStore) throws -> [String] {
            try store.openItems(in: [.open, .resolved, .acknowledged]).map {
                "\($0.id) \($0.state) \($0.merchant) \($0.day) \($0.foundOn) \($0.firstSeen.rfc3339) \($0.expectedIn?.description ?? "-") "
                    + "\($0.amountAtStake?.description ?? "-") \($0.explanation)"
            }
        }
        #expect(try items(results) == items(kept))
        #expect(try items(results).count > 5)
        let range = (CivilDate("2026-11-01")!, CivilDate("2026-11-30")!)
        #expect(try results.runCounts(from: range.0, through: range.1) == kept.runCounts(from: range.0, through: range.1))
        for day in days18to20 {
            #expect(try results.savedDiscrepancies(on: day) == kept.savedDiscrepancies(on: day))
        }
        #expect(try results.lastRunFinished() == kept.lastRunFinished())
        let attempts = try results.savedRuns().map(\.runID)
        #expect(try results.queryAttempts(runID: attempts[0]).count == kept.queryAttempts(runID: try kept.savedRuns()[0].runID).count)

        // A second run replaces the days' results instead of adding to them; an acknowledgement is kept.
        let item = try #require(results.openItems(in: [.open]).first)
        try results.acknowledge(id: item.id, OpenItem.Acknowledgement(by: "ops", at: Timestamp(rfc3339: "2026-11-21T09:00:00+08:00")!, note: "refunded by hand"))
        _ = try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(config, sim) }
        for day in days18to20 {
            #expect(try results.savedDiscrepancies(on: day) == kept.savedDiscrepancies(on: day))
        }
        #expect(try results.openItems(in: [.acknowledged]).map(\.id) == [item.id])
        #expect(throws: StoreError.self) { try results.acknowledge(id: "no-such-item", OpenItem.Acknowledgement(by: "ops", at: item.firstSeen, note: "x")) }
    }

    @Test("--apply with the results in PostgreSQL writes the SQLite order store in its own audited transaction")
    func applyApart() async throws {
        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.resultsPath = try TestPostgres.shared.database("SELECT 1")
        try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in
            let result = try await Self.run(config, sim, mode: .apply)
            let changes = result.reports.flatMap { $0.queries?.changes ?? [] }
            #expect(changes.map { "\($0.change.key) \($0.skipped ?? "written")" } == [
                "D18-004 written", "D20-001 written", "D19-002-R1 written",
            ])
            let store = try OrderStore(path: workspace.store)
            #expect(try store.lookup(LookupRequest(outTradeNos: ["D20-001"])).orders["D20-001"]?.status == .paid)
            let audit = try store.auditRows()
            #expect(audit.map(\.key) == ["D18-004", "D20-001", "D19-002-R1"])
            #expect(audit.allSatisfy { $0.runID == result.reports[0].run.runID })
            // The results went to PostgreSQL, not to the order store's file.
            #expect(try store.savedRuns().isEmpty)
            let results = try PostgresResultsStore(
                address: PostgresAddress(config.resultsPath!, setting: "results.url"), environment: [:], providers: JobAssembly.providers)
            #expect(try results.savedRuns().map(\.runID).allSatisfy { $0 == result.reports[0].run.runID })
            #expect(try !results.savedRuns().isEmpty)
            // The next run finds the applied states settled.
            let again = try await Self.run(config, sim)
            #expect(ThreeWayRunTests.found(again, kinds: [.pendingResolved]) == ["2026-11-20 pending_resolved GW20-002 → PAID"])
        }
    }

    @Test("--apply is refused while the orders are in PostgreSQL, which order-recon only reads")
    func applyRefused() async throws {
        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.storePath = try TestPostgres.shared.storeDatabase(
            rows: try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8))
        config.resultsPath = workspace.directory.file("results.sqlite")
        let error = await #expect(throws: ReconError.self) {
            try await SimulatorHarness.with(ThreeWayRunTests.scenario) { sim in try await Self.run(config, sim, mode: .apply) }
        }
        #expect(error?.description.contains("--apply") == true)
    }

    @Test("a PostgreSQL store needs results.url, and a URL with a password is refused before anything is read")
    func configuration() async throws {
        let workspace = try DemoWorkspace()
        let url = try TestPostgres.shared.storeDatabase()
        let missing = await #expect(throws: ReconError.self) {
            try await ConfigLoader.load(
                file: nil, overrides: ConfigOverrides(storePath: url, billPaths: [workspace.bills], reportsFolder: workspace.reports),
                environment: [:])
        }
        #expect(missing?.description.contains("results.url") == true)
        var overrides = ConfigOverrides(
            storePath: "postgres://app:hunter2@db.internal/shop", billPaths: [workspace.bills], reportsFolder: workspace.reports)
        overrides.resultsPath = workspace.directory.file("results.sqlite")
        let secret = await #expect(throws: ReconError.self) {
            try await ConfigLoader.load(file: nil, overrides: overrides, environment: [:])
        }
        #expect(secret?.description.contains("password file") == true)
        #expect(secret?.description.contains("hunter2") == false)
        overrides.storePath = url
        let config = try await ConfigLoader.load(file: nil, overrides: overrides, environment: ["PGCONNECT_TIMEOUT": "5", "HOME": "/x"])
        #expect(config.ordersInPostgres && config.resultsFile == overrides.resultsPath)
        #expect(config.postgresEnvironment == ["PGCONNECT_TIMEOUT": "5"])
        let folder = #expect(throws: StoreError.self) { try OrderStore.results(at: workspace.directory.path) }
        #expect(folder?.description.contains("Point --results (or results.url) at an SQLite file") == true)
    }
}
