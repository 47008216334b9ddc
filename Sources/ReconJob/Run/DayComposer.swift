import Foundation
import Logging
import ReconClock
import ReconCore
import ReconReports
import ReconStore

/// `order-recon report`: the day-wide report of a day that shards reconciled, composed from what
/// each shard saved in the shared PostgreSQL results database once every shard has saved it.
///
/// It reads no bill and asks no provider: the shards did. The day's own JSON, CSV and HTML go to
/// the archive's day folder (the shards wrote their merchants' folders and their own share's
/// files); nothing is written unless every shard of the split saved the day.
public struct DayComposer {
    /// The configuration: `results.url`, the report folder and, to name the merchants of a
    /// missing shard, the order store.
    public let config: ReconConfig
    /// Where progress is logged.
    public let logger: Logger
    /// The time, for the steps it logs.
    public let clock: any RunClock

    /// Creates a composer.
    public init(config: ReconConfig, logger: Logger, clock: any RunClock) {
        self.config = config
        self.logger = logger
        self.clock = clock
    }

    /// Composes `day` from the shards of `count` (by default the one split the day was saved with).
    /// - Throws: ``ReconError`` with ``ExitStatus/incomplete`` naming the shards that have not saved
    ///   the day, and the merchants of each that the order store holds.
    public func compose(_ day: CivilDate, shards count: Int? = nil) throws -> RunResult {
        guard config.resultsInPostgres, let store = try JobAssembly.openResults(config) as? PostgresResultsStore else {
            throw ReconError.usage(
                "order-recon report composes a day from what the shards saved in a PostgreSQL results database: set "
                    + "results.url (or --results) to the postgres:// URL the shards were given.")
        }
        let count = try shardCount(of: day, in: store, given: count)
        let runs = try store.shardRuns(on: day, count: count, reports: true)
        let missing = (0..<count).filter { runs[$0] == nil }
        guard missing.isEmpty else { throw incomplete(day, missing: missing, of: count, done: runs.count) }

        let ordered = runs.keys.sorted().map { runs[$0]! }
        let parts = try ordered.map { run in
            let text = run.reports[day] ?? ""
            do {
                return try DayReport.decode(Data(text.utf8), codes: JobAssembly.providers.book)
            } catch {
                throw StoreError.badValue(
                    path: store.location, table: "recon_shard_runs", key: "\(day) shard \(run.shard)", column: "report",
                    value: String(text.prefix(60)), expected: "the day's report as order-recon \(OrderRecon.version) writes it (\(error))")
            }
        }
        // Each shard's report must hold its own merchants only, of the shapes their providers give them.
        for (run, part) in zip(ordered, parts) {
            let merchants = Set(part.bills.map(\.merchant) + part.discrepancies.map(\.merchant) + part.unreconciled.map(\.merchant))
            let foreign = merchants.filter {
                !run.shard.owns($0, in: config.merchantGroups)
                    || !JobAssembly.providers.merchantIDRule(for: $0.provider).accepts($0.merchantID)
            }
            guard foreign.isEmpty else {
                throw StoreError.badValue(
                    path: store.location, table: "recon_shard_runs", key: "\(day) shard \(run.shard)", column: "report",
                    value: foreign.sorted().prefix(5).map(\.description).joined(separator: ", "),
                    expected: "merchants of shard \(run.shard) only; run that shard again with this configuration (its service providers decide the split)")
            }
        }
        let input = DayReport.StoreInput(
            path: parts[0].store.path, ordersRead: parts.map(\.store.ordersRead).reduce(0, +),
            refundsRead: parts.map(\.store.refundsRead).reduce(0, +), rowsSHA256: StoreDigest.combine(parts.map(\.store.rowsSHA256)))
        let info = DayReport.RunInfo(
            runID: ordered.map(\.runID).joined(separator: ","), startedAt: ordered.map(\.startedAt).min { $0.epochSeconds < $1.epochSeconds }!,
            finishedAt: ordered.map(\.finishedAt).max { $0.epochSeconds < $1.epochSeconds }!, version: OrderRecon.version)
        let report = DayReport.composed(of: parts, store: input, run: info)
        guard report.overflows.isEmpty else {
            throw ReconError(.badInput, "The day's sums do not fit in 64 bits: \(report.overflows.joined(separator: "; ")). Nothing was written.")
        }

        let archive = ReportArchive(root: config.reportsFolder)
        let start = HTMLReportRenderer.chartStart(for: day, runStart: day)
        let history = RunCount.daily(try store.runCounts(from: start, through: day), from: start, through: day, of: nil)
        let staged = StagedFiles(inside: config.reportsFolder)
        let rendered = try archive.renderDay(report, history: history, chartStart: start, staging: staged)
        try staged.commit()
        logger.info("day composed", metadata: ["day": "\(day)", "shards": "\(count)", "run_id": "\(info.runID)"])
        return RunResult(reports: [report], archive: [rendered])
    }

    /// The split the day is composed from: `given`, else the only one the day was saved with.
    private func shardCount(of day: CivilDate, in store: PostgresResultsStore, given: Int?) throws -> Int {
        if let given { return given }
        let counts = try store.shardCounts(on: day)
        guard counts.count <= 1 else {
            throw ReconError.usage(
                "\(day) was saved by splits of \(counts.map(String.init).joined(separator: " and ")) shards in \(store.location): "
                    + "give --shards N for the split whose runs are current.")
        }
        guard let count = counts.first else {
            throw ReconError(
                .incomplete,
                "No shard has saved \(day) in \(store.location) yet. Run each shard first (order-recon run --shard I/N --date \(day)), "
                    + "then report again.")
        }
        return count
    }

    /// The error that names the shards not done and, from the order store, the merchants of each.
    private func incomplete(_ day: CivilDate, missing: [Int], of count: Int, done: Int) -> ReconError {
        var lines = ["\(done) of \(count) shards have saved \(day); these have not:"]
        var merchants: [MerchantRef]?
        if config.storePath.isEmpty {
            lines.append("(give --store, or store.url, to name their merchants)")
        } else {
            do {
                merchants = try JobAssembly.openOrders(config).merchants()
            } catch {
                lines.append("(the order store could not be read to name their merchants: \(ReconError.wrapping(error)))")
            }
        }
        for index in missing {
            let shard = Shard(index: index, count: count)!
            let own = merchants.map { $0.filter { shard.owns($0, in: config.merchantGroups) } }
            let names = own.map { $0.isEmpty ? "no merchant in the order store" : $0.prefix(10).map(\.description).joined(separator: ", ")
                + ($0.count > 10 ? " and \($0.count - 10) more" : "") }
            lines.append("  shard \(shard)" + (names.map { ": \($0)" } ?? ""))
        }
        lines.append(
            "Run them (order-recon run --shard I/\(count) --date \(day)); a Kubernetes Indexed Job reruns failed indexes up to its "
                + "backoffLimitPerIndex. Then report again; nothing was written.")
        return ReconError(.incomplete, lines.joined(separator: "\n"))
    }
}
