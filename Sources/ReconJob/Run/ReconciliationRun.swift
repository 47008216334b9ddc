import AsyncHTTPClient
import Foundation
import Logging
import ProviderPlugins
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import ReconReports
import ReconStore

/// One reconciliation run over one or more days: the store × the bills, with reports and the
/// store's result tables written only when everything succeeded.
public struct ReconciliationRun {
    /// The configuration.
    public let config: ReconConfig
    /// Where progress is logged.
    public let logger: Logger
    /// The time: the run's stamps, the queries' pacing, the step durations it logs.
    public let clock: any RunClock
    /// The provider clients; when `nil`, the run opens a ``ProviderConnection`` from the configuration's key files.
    public var providers: [any PaymentProvider]?
    /// Whether resolved states are written back, only listed, or neither.
    public var mode: ApplyMode = .report
    /// Called as long steps advance (reading a bill, querying): for a progress line on a terminal.
    public var progress: (@Sendable (ProgressEvent) -> Void)?
    /// Who the audit names for changes written with `--apply`.
    public var actor = "order-recon"
    /// The machine's cores (``JobAssembly`` sets them); a large bill is read by as many workers at once.
    public var cores = 2
    /// The machine's name, as a shared results database records which machine ran a shard.
    public var host = "localhost"

    /// What a run does with the final states its queries learn.
    public enum ApplyMode: String, Sendable {
        /// Only report them.
        case report
        /// Report them and list the changes `--apply` would make.
        case dryRun = "dry-run"
        /// Write them to the store, with an audit row each.
        case apply
    }

    /// Creates a run.
    public init(config: ReconConfig, logger: Logger, clock: any RunClock) {
        self.config = config
        self.logger = logger
        self.clock = clock
    }

    /// Reconciles each of `days` separately and writes their reports.
    /// - Throws: ``ReconError`` (or an adapter's error, which ``ReconError/wrapping(_:)`` maps);
    ///   when it throws, no report is left behind and the store is unchanged.
    public func run(days: [CivilDate]) async throws -> RunResult {
        guard config.providers.queries else {
            // The key files are not read, but one that others may read is worth knowing about
            // before the next run that queries refuses it.
            var result = try await run(days: days, engine: nil)
            result.warnings = config.providers.secretFiles.compactMap { KeyFile.exposure(at: $0) }
            return result
        }
        if let providers {
            return try await run(days: days, engine: engine(providers))
        }
        return try await ProviderConnection.open(config.providers, concurrency: config.providers.query.concurrency, clock: clock)
            .using { try await run(days: days, engine: engine($0.clients)) }
    }

    private func engine(_ clients: [any PaymentProvider]) -> QueryEngine {
        QueryEngine(providers: clients, settings: config.providers.query, book: Providers.directory.book, clock: clock, zone: config.zones.defaultZone)
    }

    private func run(days: [CivilDate], engine: QueryEngine?) async throws -> RunResult {
        let (result, leftovers) = try await reconcile(days: days, engine: engine)
        // The run's own values (each day's outcome, inputs and results, the open items carried
        // over, the reports as they were before settling) are freed beside what follows, rather
        // than one by one before the run returns: by now `leftovers` holds the last reference to
        // what the result does not share.
        BackgroundRelease.release(leftovers)
        return result
    }

    /// What a run worked with and no longer needs once it returns.
    private struct Leftovers: @unchecked Sendable {
        /// Held only to be dropped.
        let values: [Any]
    }

    private func reconcile(days: [CivilDate], engine: QueryEngine?) async throws -> (RunResult, Leftovers) {
        if mode == .apply, config.ordersInPostgres {
            throw ReconError.usage(
                "--apply writes resolved states into the orders, and order-recon only reads orders in PostgreSQL: run "
                    + "without --apply and update the orders from the report's pending_resolved rows (or --dry-run to list them).")
        }
        let runStarted = clock.uptime()
        let startedAt = config.timestamp(clock)
        let runID = UUID().uuidString.lowercased()
        let bills = JobAssembly.billReader(zones: config.zones)
        let inventory = try BillInventory(
            paths: config.billPaths, days: days, merchants: config.merchants.filter(config.owns), reader: bills,
            groups: config.merchantGroups, shard: config.shard)
        let orders = try JobAssembly.openOrders(config)
        let store = try JobAssembly.openResults(config)
        let storeMerchants = try orders.merchants().filter(config.owns)
        let billed = inventory.bills.flatMap(inventory.covered(by:))
        // A results database many workers share: the merchants whose results and open items this
        // run writes are its own until it ends (a results file is locked whole by the job instead).
        let shared = store as? PostgresResultsStore
        if let shared {
            let owned = try shared.openItems(in: [.open, .acknowledged]).map(\.merchant).filter(config.owns)
            try shared.claim(billed + storeMerchants + config.queriedMerchants([]) + owned)
        }
        try checkTimes(in: orders, days: days, merchants: billed + storeMerchants)
        let shard = config.shard
        let groups = config.merchantGroups
        let owns: (@Sendable (MerchantRef) -> Bool)? = shard == .all ? nil : { @Sendable in shard.owns($0, in: groups) }
        // The open items the run may touch are read once the last day's bills are, while that day
        // is finished on one core.
        let openItemsAhead = store.readOpenItemsAhead(days: days, owns: owns)
        logger.info(
            "run started",
            metadata: [
                "run_id": "\(runID)", "days": "\(days.count)", "bills": "\(inventory.bills.count)",
                "elapsed": "\(clock.secondsText(since: runStarted))",
            ])

        // Gather and match each day; a range asks about each pending item once.
        let coverage = inventory.coverage
        let readers = try StoreReaders(like: orders)
        let reader = DayReader(
            config: config, clock: clock, logger: logger, progress: progress, store: orders,
            readers: readers, storeMerchants: storeMerchants, reader: bills, cores: cores, engine: engine)
        var outcomes: [DayOutcome] = []
        var inputs: [CivilDate: DayInputs] = [:]
        var queried: Set<String> = []
        for day in days {
            let plan = DayPlan(day: day, inventory: inventory, coverage: coverage, config: config)
            let startAhead: (@Sendable () -> Void)? = day == days.last ? { @Sendable in openItemsAhead?.start() } : nil
            let (outcome, dayInputs) = try await reader.read(plan, alreadyQueried: queried, billsRead: startAhead)
            outcomes.append(outcome)
            inputs[day] = dayInputs
            for outcome in dayInputs.queries?.outcomes ?? [] { queried.insert(DayReader.queryKey(outcome.item)) }
        }
        // The store's reading connections are done with: they are closed (their page caches
        // freed, which takes a few milliseconds) on a thread of their own while the reports are
        // made, rather than on this one once the run has finished.
        _ = consume reader
        let readersClosed = BackgroundRelease.release(consume readers)
        let results = BoundaryResolver.resolve(outcomes, coverage: coverage)
        logger.info("days resolved", metadata: ["elapsed": "\(clock.secondsText(since: runStarted))"])

        // Turn the results into reports, changes and records. Meanwhile the open items read ahead
        // are carried over on the other core.
        let finishedAt = config.timestamp(clock)
        let carry = RunCarryover(
            results: results, outcomes: outcomes, inputs: inputs, coverage: coverage, config: config, runID: runID, at: finishedAt)
        let carriedAhead = openItemsAhead.map(carry.advance(ahead:))
        let info = DayReport.RunInfo(runID: runID, startedAt: startedAt, finishedAt: finishedAt, version: OrderRecon.version)
        var outputs = try RunOutputs(results: results, inputs: inputs, coverage: coverage, config: config, run: info, mode: mode)
        let chartFrom = outputs.reports.map(outputs.chartStart(for:)).min() ?? days.min() ?? startedAt.wallClock.date
        let countsBefore = try store.runCounts(from: chartFrom, through: days.max() ?? chartFrom)

        // One transaction writes the results, the attempts, the open items and (with --apply)
        // the changes. The reports, rendered once in memory with what it settled, are staged
        // before it commits and moved into place after, so a failure leaves neither behind.
        let archive = ReportArchive(root: config.reportsFolder, shard: config.shard)
        let staged = StagedFiles(inside: config.reportsFolder)
        var carryover: Carryover?
        let openItems = OpenItemsUpdate(days: days, owns: owns, ahead: openItemsAhead) { previous, readAhead in
            // The items read ahead were carried over already.
            let advanced = try (readAhead ? carriedAhead?.take() : nil) ?? carry.advance(previous)
            carryover = advanced
            return advanced.changed
        }
        let attempts = inputs.values.flatMap { $0.queries?.attempts ?? [] }
        // With the results kept apart, --apply writes the orders first, in a transaction of their own
        // with its audit; the results then record what it did.
        let appliedApart = mode == .apply && config.resultsPath != nil
            ? try OrderStore(path: config.storePath, naiveTimeZone: config.storeTimeZone, providers: JobAssembly.providers)
                .applyAudited(outputs.changes, runID: runID, actor: actor, at: finishedAt)
            : nil
        // The reports are rendered on a thread of their own while the transaction runs: what does
        // not depend on it first, the rest once the transaction has settled the open items and
        // changes. A transaction that fails before then stops the rendering with its error.
        let unsettled = outputs
        let settled = Handoff<[DayReport]>()
        let renderedDays = Handoff<[RenderedDay]>()
        let beforeCommit: ([AppliedChange]) throws -> Void = { given in
            let applied = appliedApart ?? given
            logger.info("open items carried over", metadata: ["elapsed": "\(clock.secondsText(since: runStarted))"])
            outputs.settle(openItems: carryover, applied: applied, mode: mode)
            settled.put(.success(outputs.reports))
            // Every report is staged before the transaction commits.
            _ = try renderedDays.take()
            logger.info("reports written", metadata: ["elapsed": "\(clock.secondsText(since: runStarted))"])
        }
        try concurrently({
            renderedDays.put(
                Result { try unsettled.render(into: archive, staging: staged, before: countsBefore, settled: settled.take) })
        }, with: {
            defer {
                settled.put(
                    .failure(
                        ReconError(
                            .failure, "The results were saved without their open items settled, so no report was written: run again.")))
            }
            if let shared {
                // A shared results database also keeps which shard saved each day, with the day's report
                // of its merchants as settled, for `order-recon report` to compose the day from.
                let merchants = Set(outputs.records.map(\.merchant)).count
                try shared.save(
                    outputs.records, runID: runID, attempts: attempts, openItems: openItems,
                    shardRun: {
                        let reports = try outputs.reports.map { ($0.day, String(decoding: try $0.encoded(), as: UTF8.self)) }
                        return ShardRun(
                            shard: shard, runID: runID, host: host, startedAt: startedAt, finishedAt: finishedAt, merchants: merchants,
                            reports: Dictionary(reports) { first, _ in first })
                    }, beforeCommit: beforeCommit)
            } else {
                try store.save(
                    outputs.records, runID: runID, attempts: attempts,
                    changes: mode == .apply && appliedApart == nil ? outputs.changes : [], actor: actor, at: finishedAt,
                    openItems: openItems, beforeCommit: beforeCommit)
            }
        })
        // A transaction that never settled the reports fails here rather than leave the run without them.
        let rendered = try renderedDays.take()
        try staged.commit()
        // Closed long before: waited for all the same, so that the store's last connection to
        // close, which checkpoints it, is never one of them closing as the process ends.
        readersClosed.wait()
        var result = RunResult(reports: outputs.reports, archive: rendered)
        result.pruned = prune(archive, keeping: days)
        logger.info("run finished", metadata: ["run_id": "\(runID)", "elapsed": "\(clock.secondsText(since: runStarted))"])
        return (
            result,
            Leftovers(values: [outcomes, inputs, results, outputs, unsettled, carryover as Any, openItems, settled, renderedDays, attempts])
        )
    }

    /// Stops the run before it reads a day when the store holds times without an offset near what
    /// it reads and no `store.time_zone` says how to read them.
    private func checkTimes(in store: any OrderSource, days: [CivilDate], merchants: [MerchantRef]) throws {
        let selector = PendingSelector(maxAgeSeconds: config.providers.pendingMaxAgeSeconds, book: Providers.directory.book)
        for merchant in Set(merchants + config.queriedMerchants([])).sorted() {
            let windows = days.map { config.zones.window($0, for: merchant.provider) }
            try store.checkTimes(
                of: merchant, reads: windows.map(config.policy.loadRange),
                pendingFrom: windows.map { selector.range(for: $0).lowerBound }.min() ?? 0)
        }
    }

    /// Applies `--keep-days` after the commit: a folder that cannot be removed is worth a warning,
    /// not the loss of a run whose results and reports are already in place. The days this run
    /// wrote are kept however old they are, so a backfill never removes its own reports.
    private func prune(_ archive: ReportArchive, keeping days: [CivilDate]) -> [String] {
        guard let keepDays = config.keepDays else { return [] }
        do {
            let pruned = try archive.prune(keepDays: keepDays, today: config.today(clock), keeping: Set(days))
            for folder in pruned { logger.info("archive pruned", metadata: ["folder": "\(folder)", "keep_days": "\(keepDays)"]) }
            return pruned
        } catch {
            logger.warning("archive not pruned: \(error)", metadata: ["keep_days": "\(keepDays)"])
            return []
        }
    }
}
