import BenchData
import Foundation
import Logging
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing

/// Workers that split a night's merchants with `--shard I/N` and share one PostgreSQL results database.
@Suite("Shards sharing one PostgreSQL results database", .postgresServer)
struct ShardedRunTests {
    static func config(_ day: GeneratedDay, results: String, shard: Shard = .all, reports: String) -> ReconConfig {
        var config = ReconConfig(storePath: day.store, billPaths: [day.bills], reportsFolder: reports, merchants: [])
        config.providers.queriesEnabled = false
        config.resultsPath = results
        config.shard = shard
        return config
    }

    static func run(_ config: ReconConfig, clock: ManualClock = ManualClock()) async throws -> RunResult {
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        return try await ReconciliationRun(config: config, logger: quiet, clock: clock).run(days: [BenchDay.day])
    }

    static func results(_ url: String) throws -> PostgresResultsStore {
        try PostgresResultsStore(address: PostgresAddress(url, setting: "test"), environment: [:], providers: JobAssembly.providers)
    }

    /// What a results database holds for the day, as lines that do not depend on which run wrote them.
    static func contents(_ url: String, day: CivilDate) throws -> [String] {
        let store = try results(url)
        let discrepancies = try store.savedDiscrepancies(on: day).map {
            "discrepancy \($0.id) \($0.merchant) \($0.kind) \($0.subject) \($0.differenceMinor.map(String.init) ?? "-")"
        }
        let counts = try store.runCounts(from: day, through: day).map { "count \($0.merchant) \($0.alarms) \($0.carried)" }
        let items = try store.openItems(in: [.open, .resolved, .acknowledged]).map {
            "item \($0.id) \($0.state) \($0.merchant) \($0.kind.rawValue) \($0.day) \($0.amountAtStake?.description ?? "-") \($0.explanation)"
        }
        return discrepancies + counts + items.sorted()
    }

    @Test("the split is stable: each merchant in exactly one shard, a service provider's sub-merchants with it")
    func split() throws {
        let merchants = (0..<200).map(BenchDay.merchant)
        for count in [1, 2, 3, 7] {
            let shards = (0..<count).map { Shard(index: $0, count: count)! }
            for merchant in merchants { #expect(shards.filter { $0.owns(merchant) }.count == 1) }
        }
        // FNV-1a of "wechatpay/1900000109", worked out by hand, so the split cannot drift between builds.
        #expect(Shard.key(of: BenchDay.merchant(0)) % 3 == 0)
        #expect((0..<9).map { Shard.of(BenchDay.merchant($0), count: 3).index } == [0, 0, 1, 2, 0, 1, 2, 0, 1])
        let halves = merchants.filter { Shard(index: 0, count: 2)!.owns($0) }.count
        #expect(halves == 100)
        var groups = MerchantGroups()
        let parent = BenchDay.merchant(0)
        for m in 1..<9 { groups.add(BenchDay.merchant(m), to: parent) }
        let home = Shard.of(parent, count: 3)
        for m in 1..<9 { #expect(home.owns(BenchDay.merchant(m), in: groups)) }
        for text in ["3/3", "-1/3", "0/0", "a/3", "0/3/1", "", "0/10001", "１/3"] { #expect(Shard(text) == nil, "\(text)") }
        #expect(Shard("2/3") == Shard(index: 2, count: 3))
    }

    @Test("three shards at once save exactly what one run saves, each merchant written by one shard")
    func threeShardsAtOnce() async throws {
        let day = try GeneratedDay(orders: 1_100, merchants: 9)
        let whole = try TestPostgres.shared.database("SELECT 1")
        let single = try await Self.run(Self.config(day, results: whole, reports: day.directory.file("whole")))
        #expect(single.reports.flatMap(\.discrepancies).count == day.plan.expected.values.reduce(0, +))

        let shared = try TestPostgres.shared.database("SELECT 1")
        let reports = day.directory.file("shards")
        // Before any shard has saved the day, the report says so and writes nothing.
        let composer = DayComposer(config: Self.config(day, results: shared, reports: reports), logger: Logger(label: "test"), clock: ManualClock())
        let early = #expect(throws: ReconError.self) { try composer.compose(day.day) }
        #expect(early?.status == .incomplete)
        let parts = try await withThrowingTaskGroup(of: RunResult.self) { group in
            for index in 0..<3 {
                let config = Self.config(day, results: shared, shard: Shard(index: index, count: 3)!, reports: reports)
                group.addTask { try await Self.run(config) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let expected = try Self.contents(whole, day: day.day)
        #expect(try Self.contents(shared, day: day.day) == expected)
        #expect(expected.filter { $0.hasPrefix("discrepancy") }.count == day.plan.expected.values.reduce(0, +))
        #expect(expected.filter { $0.hasPrefix("count") }.count == 9)
        // Each shard reconciled its own merchants, and together all of them once.
        var seen: [MerchantRef] = []
        for part in parts {
            let merchants = Set(part.reports.flatMap(\.bills).map(\.merchant))
            let shard = Shard.of(try #require(merchants.first), count: 3)
            #expect(merchants.allSatisfy(shard.owns))
            seen += merchants
        }
        #expect(seen.sorted() == day.merchants)
        #expect(try Self.results(shared).shardRuns(on: day.day, count: 3).keys.sorted() == [0, 1, 2])
        #expect(try Self.results(shared).shardCounts(on: day.day) == [3])
        // Each shard's day-wide files are its own; the merchants' folders are side by side.
        let folder = reports + "/2026/11/20"
        for index in 0..<3 {
            #expect(FileManager.default.fileExists(atPath: folder + "/shard_\(index)_of_3/order-recon-2026-11-20.json"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/order-recon-2026-11-20.json"))
        let merchantFolders = try FileManager.default.contentsOfDirectory(atPath: folder + "/wechatpay").sorted()
        #expect(merchantFolders == day.merchants.map(\.merchantID))

        // The day composed from the three is the day one run reports.
        let composed = try composer.compose(day.day)
        let (mine, theirs) = (try #require(composed.reports.first), try #require(single.reports.first))
        #expect(mine.discrepancies == theirs.discrepancies)
        #expect(mine.statistics == theirs.statistics)
        #expect(mine.bills == theirs.bills)
        #expect(mine.unreconciled == theirs.unreconciled)
        #expect(mine.store.ordersRead == theirs.store.ordersRead && mine.store.refundsRead == theirs.store.refundsRead)
        #expect(mine.openItems?.new.map(\.id) == theirs.openItems?.new.map(\.id))
        #expect(mine.run.runID.split(separator: ",").count == 3)
        #expect(composed.status == single.status)
        let csv = try String(contentsOfFile: folder + "/order-recon-2026-11-20.csv", encoding: .utf8)
        let oneRun = try String(contentsOfFile: day.directory.file("whole") + "/2026/11/20/order-recon-2026-11-20.csv", encoding: .utf8)
        #expect(csv == oneRun)
        #expect(csv.utf8.filter { $0 == UInt8(ascii: "\n") }.count == day.plan.expected.values.reduce(0, +) + 1)
        #expect(FileManager.default.fileExists(atPath: folder + "/order-recon-2026-11-20.html"))
    }

    @Test("once the job's tables exist, a role that may only read and write them saves a run")
    func writerRole() async throws {
        let day = try GeneratedDay(orders: 1_010, merchants: 2)
        let owner = try TestPostgres.shared.database("SELECT 1")
        _ = try Self.results(owner)
        let name = String(try #require(URLComponents(string: owner)).path.dropFirst())
        try TestPostgres.shared.psql(
            """
            DO $$ BEGIN CREATE ROLE recon_writer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO recon_writer;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO recon_writer;
            """, database: name)
        let writer = try TestPostgres.shared.url(user: "recon_writer", database: name)
        _ = try await Self.run(Self.config(day, results: writer, reports: day.directory.file("reports")))
        #expect(try Self.contents(writer, day: day.day).filter { $0.hasPrefix("discrepancy") }.count == 18)
    }

    @Test("the report names the shard that has not saved the day and its merchants, and writes nothing")
    func missingShard() async throws {
        let day = try GeneratedDay(orders: 1_020, merchants: 9)
        let shared = try TestPostgres.shared.database("SELECT 1")
        let reports = day.directory.file("reports")
        for index in [0, 2] {
            _ = try await Self.run(Self.config(day, results: shared, shard: Shard(index: index, count: 3)!, reports: reports))
        }
        let composer = DayComposer(config: Self.config(day, results: shared, reports: reports), logger: Logger(label: "test"), clock: ManualClock())
        let error = #expect(throws: ReconError.self) { try composer.compose(day.day) }
        #expect(error?.status == .incomplete)
        let missing = day.merchants.filter { Shard(index: 1, count: 3)!.owns($0) }.map(\.description)
        #expect(missing.count == 3)
        #expect(error?.message.contains("2 of 3 shards have saved 2026-11-20") == true)
        #expect(error?.message.contains("shard 1/3: " + missing.joined(separator: ", ")) == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: reports + "/2026/11/20/order-recon-2026-11-20.json"))
        // With another split asked for, none of its shards has saved the day.
        let other = #expect(throws: ReconError.self) { try composer.compose(day.day, shards: 2) }
        #expect(other?.message.contains("0 of 2 shards") == true)
        // Once the last shard has run, the day composes.
        _ = try await Self.run(Self.config(day, results: shared, shard: Shard(index: 1, count: 3)!, reports: reports))
        let result = try composer.compose(day.day)
        #expect(result.reports[0].discrepancies.count == day.plan.expected.values.reduce(0, +))
        // Composed under a configuration that splits the merchants otherwise, a shard's report holds
        // merchants that are not its own: refused, naming the shard.
        var grouped = Self.config(day, results: shared, reports: reports)
        for m in 1..<9 { grouped.merchantGroups.add(BenchDay.merchant(m), to: BenchDay.merchant(0)) }
        let mixed = #expect(throws: StoreError.self) {
            try DayComposer(config: grouped, logger: Logger(label: "test"), clock: ManualClock()).compose(day.day)
        }
        #expect(mixed?.description.contains("recon_shard_runs") == true)
        #expect(mixed?.description.contains("2026-11-20 shard 1/3") == true, "\(mixed?.description ?? "")")
    }

    @Test("a shard whose merchant another run holds stops before reading anything, naming it; the rerun saves it once")
    func claimed() async throws {
        let day = try GeneratedDay(orders: 1_050, merchants: 3)
        let shared = try TestPostgres.shared.database("SELECT 1")
        let reports = day.directory.file("reports")
        let holder = try Self.results(shared)
        try holder.claim([BenchDay.merchant(0)])
        let config = Self.config(day, results: shared, shard: Shard(index: 0, count: 3)!, reports: reports)
        let error = await #expect(throws: StoreError.self) { try await Self.run(config) }
        #expect(ReconError.wrapping(try #require(error)).status == .locked)
        #expect(error?.description.contains("wechatpay/1900000109") == true)
        #expect(error?.description.contains("--shard") == true)
        #expect(!FileManager.default.fileExists(atPath: reports))
        // A second claim by the same session is no conflict; another session's is.
        try holder.claim([BenchDay.merchant(0)])
        #expect(throws: StoreError.self) { try Self.results(shared).claim([BenchDay.merchant(0), BenchDay.merchant(1)]) }

        // A run of other merchants goes ahead meanwhile; once the holder is gone, the shard runs, and
        // running it again replaces its results rather than adding to them.
        _ = try await Self.run(Self.config(day, results: shared, shard: Shard(index: 1, count: 3)!, reports: reports))
        _ = consume holder
        _ = try await Self.run(config)
        let once = try Self.contents(shared, day: day.day)
        _ = try await Self.run(config)
        #expect(try Self.contents(shared, day: day.day) == once)
        #expect(once.filter { $0.hasPrefix("discrepancy") }.count == day.plan.expected.values.reduce(0, +))
    }
}
