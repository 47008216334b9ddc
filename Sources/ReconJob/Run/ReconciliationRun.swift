import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import ReconReports
import ReconStore
import Synchronization

/// The result of a run: one report per day, the files written, and the exit status.
public struct RunResult: Sendable {
    /// The day reports, in day order.
    public var reports: [DayReport]
    /// The files written for each day, in the same order.
    public var files: [[String]]
    /// The day folders `--keep-days` removed from the archive after the run, oldest first.
    public var pruned: [String] = []
    /// Things found wrong that did not stop the run (a key file others may read), each a message.
    public var warnings: [String] = []

    /// Creates a result.
    public init(reports: [DayReport], files: [[String]]) {
        self.reports = reports
        self.files = files
    }

    /// `usage` when a merchant's queries stopped on a configuration or authentication answer;
    /// else `providerUnreachable` when a merchant's provider could not be reached; otherwise
    /// `clean` when no day has a discrepancy that needs attention, `discrepancies` if one does.
    public var status: ExitStatus {
        if !Set(stopped).subtracting(unreachable).isEmpty { return .usage }
        if !unreachable.isEmpty { return .providerUnreachable }
        return reports.contains(where: \.needsAttention) ? .discrepancies : .clean
    }

    /// The money at stake over every day, each day's orders and refunds once.
    public var amountAtStake: CurrencyTotals {
        var totals = CurrencyTotals()
        for report in reports { totals.add(report.amountAtStake) }
        return totals
    }

    /// The money at stake per kind of discrepancy over every day.
    public var amountAtStakeByKind: [DiscrepancyKind: CurrencyTotals] {
        var totals: [DiscrepancyKind: CurrencyTotals] = [:]
        for report in reports {
            for (kind, amounts) in report.amountAtStakeByKind { totals[kind, default: CurrencyTotals()].add(amounts) }
        }
        return totals
    }

    /// Every sum of the run that does not fit in 64 bits, each saying which.
    public var overflows: [String] {
        reports.flatMap(\.overflows) + amountAtStake.overflowed.sorted().map { "the money at stake of the run in \($0)" }
            + amountAtStakeByKind.sorted { $0.key < $1.key }.flatMap { kind, totals in
                totals.overflowed.sorted().map { "the money at stake of the run's \(kind.rawValue) discrepancies in \($0)" }
            }
    }

    /// The messages of merchants whose provider could not be reached, once each.
    public var unreachable: [String] {
        Array(Set(reports.flatMap { $0.queries?.unreachable ?? [] })).sorted()
    }

    /// The messages of merchants whose queries stopped, once each.
    public var stopped: [String] {
        Array(Set(reports.flatMap { $0.queries?.stopped ?? [] })).sorted()
    }

    /// The people-readable summary of every day, then the archive folders removed.
    public var summary: String {
        zip(reports, files).map { SummaryRenderer.render($0, reportPaths: $1) }.joined()
            + SummaryRenderer.renderPruned(pruned)
    }
}

/// One reconciliation run over one or more days: the store × the bills, with reports and the
/// store's result tables written only when everything succeeded.
public struct ReconciliationRun {
    /// The configuration.
    public let config: ReconConfig
    /// Where progress is logged.
    public let logger: Logger
    /// The time: the run's stamps, the queries' pacing, the step durations it logs.
    public let clock: any RunClock
    /// The provider clients; when `nil`, they are built from the configuration's key files.
    public var providers: [any PaymentProvider]?
    /// Whether resolved states are written back, only listed, or neither.
    public var mode: ApplyMode = .report
    /// Called as long steps advance (reading a bill, querying): for a progress line on a terminal.
    public var progress: (@Sendable (ProgressEvent) -> Void)?
    /// Who the audit names for changes written with `--apply`.
    public var actor = "order-recon"

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
        let credentials = try ProviderCredentials(config.providers)
        let http = ProviderHTTPClient.make(concurrency: config.providers.query.concurrency)
        do {
            let result = try await run(days: days, engine: engine(credentials.clients(config.providers, http: http, clock: clock)))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func engine(_ clients: [any PaymentProvider]) -> QueryEngine {
        QueryEngine(providers: clients, settings: config.providers.query, clock: clock, zone: config.zones.defaultZone)
    }

    private func run(days: [CivilDate], engine: QueryEngine?) async throws -> RunResult {
        let runStarted = clock.uptime()
        let startedAt = timestamp()
        let runID = UUID().uuidString.lowercased()
        let reader = BillReader(zones: config.zones)
        let inventory = try BillInventory(
            paths: config.billPaths, days: days, merchants: config.merchants, reader: reader)
        let coverage = inventory.coverage
        let store = try OrderStore(path: config.storePath, naiveTimeZone: config.storeTimeZone)
        let storeMerchants = try store.merchants()
        let selector = PendingSelector(maxAgeSeconds: config.providers.pendingMaxAgeSeconds)
        for merchant in Set(inventory.bills.map(\.name.merchant) + storeMerchants + queriedMerchants([])).sorted() {
            let windows = days.map { config.zones.window($0, for: merchant.provider) }
            try store.checkTimes(
                of: merchant, reads: windows.map(config.policy.loadRange),
                pendingFrom: windows.map { selector.range(for: $0).lowerBound }.min() ?? 0)
        }
        logger.info(
            "run started",
            metadata: [
                "run_id": "\(runID)", "days": "\(days.count)", "bills": "\(inventory.bills.count)",
                "elapsed": "\(seconds(since: runStarted))",
            ])

        var outcomes: [DayOutcome] = []
        var inputs: [CivilDate: DayInputs] = [:]
        var queried: Set<String> = []
        for day in days {
            let (outcome, dayInputs) = try await reconcile(
                day, inventory: inventory, coverage: coverage, store: store, storeMerchants: storeMerchants,
                reader: reader, engine: engine, alreadyQueried: queried)
            outcomes.append(outcome)
            inputs[day] = dayInputs
            for outcome in dayInputs.queries?.outcomes ?? [] { queried.insert(Self.queryKey(outcome.item)) }
        }
        let results = BoundaryResolver.resolve(outcomes, coverage: coverage)
        logger.info("days resolved", metadata: ["elapsed": "\(seconds(since: runStarted))"])
        let finishedAt = timestamp()
        let run = DayReport.RunInfo(runID: runID, startedAt: startedAt, finishedAt: finishedAt, version: OrderRecon.version)
        var reports = results.map { result in
            let dayInputs = inputs[result.day]!
            return DayReport(
                day: result.day,
                zones: Dictionary(
                    uniqueKeysWithValues: Set(dayInputs.bills.map(\.merchant.provider)).map {
                        ($0, config.zones.zone(for: $0).identifier)
                    }),
                graceSeconds: config.policy.boundaryGrace, store: dayInputs.store, bills: dayInputs.bills,
                statistics: result.statistics, discrepancies: result.discrepancies,
                unreconciled: dayInputs.unreconciled, run: run,
                queries: dayInputs.queries.map { queries in
                    QueriesSection.summarize(
                        queries.outcomes, attempts: queries.attempts.count, stopped: Array(queries.stopped.values),
                        unreachable: queries.unreachable.compactMap { queries.stopped[$0] },
                        slowDowns: queries.slowDowns)
                })
        }
        // Money is summed exactly or not at all: a sum that does not fit stops the run before
        // anything is saved, rather than leaving an amount out of a total.
        let overflows = RunResult(reports: reports, files: []).overflows
        guard overflows.isEmpty else {
            throw ReconError.badInput(
                "Amounts too large to add up exactly, so nothing was saved or reported:\n"
                    + overflows.map { "  " + $0 }.joined(separator: "\n")
                    + "\nEach amount is at most 10^15 minor units; find the corrupt amounts in the bills or the store (the "
                    + "reports of the same days from an earlier run, or 'order-recon bill check', help) and run again.")
        }
        // The changes the answers justify, per day; written with the results under --apply.
        var changes: [StatusChange] = []
        var changesByDay: [CivilDate: [StatusChange]] = [:]
        if mode != .report {
            for report in reports {
                guard let queries = inputs[report.day]?.queries else { continue }
                var requestIDs: [String: String] = [:]
                for attempt in queries.attempts where attempt.state != nil { requestIDs[attempt.key] = attempt.requestID }
                let day = StatusChange.changes(for: report.discrepancies, outcomes: queries.outcomes, requestIDs: requestIDs)
                changesByDay[report.day] = day
                changes += day
            }
        }
        // The store's transaction writes the results, the attempts and (with --apply) the changes;
        // the reports are staged inside it, with what became of each change, and appear only
        // once it has committed.
        let staged = StagedFiles(inside: config.reportsFolder)
        var files: [[String]] = []
        let records = records(for: reports, coverage: coverage, run: run)
        let reconciled = Set(records.map { BillCoverage.Key(merchant: $0.merchant, day: $0.day) })
        var reexamined = Reexamination(bills: coverage)
        for (day, dayInputs) in inputs {
            guard let queries = dayInputs.queries else { continue }
            for merchant in queriedMerchants(coverage.merchants(on: day)) where queries.stopped[merchant] == nil {
                reexamined.queried.insert(BillCoverage.Key(merchant: merchant, day: day))
            }
            for outcome in queries.outcomes {
                guard case .notQueried = outcome.result else { continue }
                reexamined.notQueried.insert(
                    Reexamination.Subject(merchant: outcome.item.merchant, isRefund: outcome.item.isRefund, key: outcome.item.key))
            }
        }
        var carryover: Carryover?
        let openItems = OpenItemsUpdate(days: days) { previous in
            let advanced = Carryover(
                previous: previous, results: results, outcomes: outcomes, reexamined: reexamined, reconciled: reconciled,
                zones: config.zones, runID: runID, at: finishedAt)
            carryover = advanced
            return advanced.changed
        }
        try store.save(
            records, runID: runID, attempts: inputs.values.flatMap { $0.queries?.attempts ?? [] },
            changes: mode == .apply ? changes : [], actor: actor, at: finishedAt, openItems: openItems
        ) { applied in
            if let carryover {
                for index in reports.indices { reports[index].openItems = carryover.section(for: reports[index].day) }
            }
            if mode != .report {
                let results = mode == .apply ? applied : changes.map { AppliedChange(change: $0, skipped: nil) }
                let byKey = Dictionary(
                    results.map { ("\($0.change.table)|\($0.change.key)", $0) }, uniquingKeysWith: { first, _ in first })
                for index in reports.indices {
                    let day = reports[index].day
                    reports[index].queries?.mode = mode.rawValue
                    reports[index].queries?.changes = (changesByDay[day] ?? []).compactMap { byKey["\($0.table)|\($0.key)"] }
                }
            }
            let archive = ReportArchive(root: config.reportsFolder)
            let runStart = days.min() ?? reports[0].day
            for report in reports {
                let chartStart = HTMLReportRenderer.chartStart(for: report.day, runStart: runStart)
                files.append(
                    try archive.stage(report, history: { merchant in
                        try store.dailyCounts(from: chartStart, through: report.day, merchant: merchant).map {
                            DailyCount(day: $0.day, alarms: $0.alarms, carried: $0.carried)
                        }
                    }, chartStart: chartStart, into: staged))
            }
        }
        try staged.commit()
        // Retention comes after the commit: a folder that cannot be removed is worth a warning,
        // not the loss of a run whose results and reports are already in place. The days this
        // run wrote are kept however old they are, so a backfill never removes its own reports.
        var pruned: [String] = []
        if let keepDays = config.keepDays {
            let today = config.today(clock)
            do {
                pruned = try ReportArchive(root: config.reportsFolder).prune(keepDays: keepDays, today: today, keeping: Set(days))
                for folder in pruned {
                    logger.info("archive pruned", metadata: ["folder": "\(folder)", "keep_days": "\(keepDays)"])
                }
            } catch {
                logger.warning("archive not pruned: \(error)", metadata: ["keep_days": "\(keepDays)"])
            }
        }
        logger.info("run finished", metadata: ["run_id": "\(runID)", "elapsed": "\(seconds(since: runStarted))"])
        var result = RunResult(reports: reports, files: files)
        result.pruned = pruned
        return result
    }

    private struct DayInputs {
        var store: DayReport.StoreInput
        var bills: [DayReport.BillInput]
        var unreconciled: [DayReport.Unreconciled]
        var queries: QueryRun?
    }

    /// How an item is known across the days of one run, so a range queries it once.
    private static func queryKey(_ item: PendingItem) -> String {
        "\(item.merchant)|\(item.isRefund ? "refund" : "order")|\(item.key)"
    }

    /// The merchants whose pending items a day's queries select: those the day covers, has keys
    /// for, or must reconcile.
    private func queriedMerchants(_ merchants: [MerchantRef]) -> [MerchantRef] {
        Set(merchants + config.merchants + config.providers.merchants).sorted()
    }

    /// The day's pending and uncertain items of ``queriedMerchants(_:)``, without those an
    /// earlier day of the run already asked about.
    private func pendingItems(
        _ day: CivilDate, merchants: [MerchantRef], store: OrderStore, alreadyQueried: Set<String>
    ) throws -> [PendingItem] {
        let selector = PendingSelector(maxAgeSeconds: config.providers.pendingMaxAgeSeconds)
        var items: [PendingItem] = []
        for merchant in queriedMerchants(merchants) {
            let window = config.zones.window(day, for: merchant.provider)
            let found = try store.uncertain(of: merchant, in: selector.range(for: window))
            items += selector.select(orders: found.orders, refunds: found.refunds)
        }
        return items.filter { !alreadyQueried.contains(Self.queryKey($0)) }
    }

    private static func query(
        _ engine: QueryEngine?, _ items: [PendingItem], day: CivilDate, progress: (@Sendable (ProgressEvent) -> Void)?
    ) async -> QueryRun? {
        guard let engine else { return nil }
        return await engine.run(items) { done, total in
            progress?(ProgressEvent(step: "querying \(day)", done: done, total: total, unit: "items"))
        }
    }

    private func reconcile(
        _ day: CivilDate, inventory: BillInventory, coverage: BillCoverage, store: OrderStore,
        storeMerchants: [MerchantRef], reader: BillReader, engine: QueryEngine?, alreadyQueried: Set<String>
    ) async throws -> (DayOutcome, DayInputs) {
        let merchants = coverage.merchants(on: day)
        // The day's queries run while its store is read and its bills are matched.
        let items = engine == nil ? [] : try pendingItems(day, merchants: merchants, store: store, alreadyQueried: alreadyQueried)
        let queryStarted = clock.uptime()
        let progress = self.progress
        async let queried = Self.query(engine, items, day: day, progress: progress)
        let readStarted = clock.uptime()
        let read = try await readStore(day: day, merchants: merchants)
        defer { Self.discard(read.orders) }
        try Self.checkUniqueKeys(read, in: store)
        logger.info(
            "store read",
            metadata: [
                "day": "\(day)", "orders": "\(read.input.ordersRead)", "refunds": "\(read.input.refundsRead)",
                "seconds": "\(seconds(since: readStarted))",
            ])
        let storeInput = read.input
        let matchStarted = clock.uptime()
        let box = DayMatching(
            day: day, zones: config.zones, policy: config.policy, coverage: coverage, orders: read.orders,
            refunds: read.refunds, watching: items)
        var bills: [DayReport.BillInput] = []
        for bill in inventory.bills(on: day) {
            if let code = bill.noBillCode {
                bills.append(Self.emptyDay(bill, code: code))
                logger.info("no bill", metadata: ["file": "\(bill.path)", "code": "\(code)"])
                continue
            }
            let started = clock.uptime()
            let rows = Atomic<Int>(0)
            let step = "reading \((bill.path as NSString).lastPathComponent)"
            let facts = try await reader.readConcurrently(
                bill.path, expecting: BillExpectation(merchant: bill.name.merchant, day: day)
            ) { batch in
                box.ingest(batch)
                let done = rows.add(batch.count, ordering: .relaxed).newValue
                progress?(ProgressEvent(step: step, done: done, unit: "rows"))
            }
            guard facts.isValid else { throw BillError.invalid(facts) }
            if let type = bill.name.type, facts.format.type != type {
                throw ReconError.badInput(
                    "\(bill.path) is named as the \(type) bill but holds the \(facts.format.type) bill. Rename it so the "
                        + "run knows which rows to expect.")
            }
            logger.info(
                "bill read",
                metadata: [
                    "file": "\(bill.path)", "rows": "\(facts.detailRows)",
                    "seconds": "\(seconds(since: started))",
                ])
            bills.append(Self.input(bill, facts))
        }
        let (matched, watch) = try box.finish(lookup: store.lookup)
        var outcome = try enrich(matched, from: store)
        logger.info("day matched", metadata: ["day": "\(day)", "seconds": "\(seconds(since: matchStarted))"])
        let queryRun = await queried
        if let queryRun {
            let judge = PendingJudge(
                day: day, zones: config.zones, billedMerchants: Set(merchants),
                expirySeconds: config.providers.pendingExpirySeconds, now: clock.epochSeconds())
            let known = Set(outcome.discrepancies.map(\.id))
            for var discrepancy in judge.judge(queryRun.outcomes, bill: watch) where !known.contains(discrepancy.id) {
                discrepancy.quoteLastCall()
                outcome.discrepancies.append(discrepancy)
            }
            logger.info(
                "day queried",
                metadata: [
                    "day": "\(day)", "items": "\(items.count)", "attempts": "\(queryRun.attempts.count)",
                    "stopped": "\(queryRun.stopped.count)", "seconds": "\(seconds(since: queryStarted))",
                ])
            for message in queryRun.stopped.values.sorted() { logger.error("\(message)") }
        }
        var unreconciled: [DayReport.Unreconciled] = []
        for merchant in storeMerchants where !merchants.contains(merchant) {
            let window = config.zones.window(day, for: merchant.provider)
            let count = try store.orderCount(of: merchant, in: window.start..<window.end)
            if count > 0 { unreconciled.append(DayReport.Unreconciled(merchant: merchant, orders: count)) }
        }
        return (outcome, DayInputs(store: storeInput, bills: bills, unreconciled: unreconciled, queries: queryRun))
    }

    /// Fills in what the day's lean read of orders leaves out (transaction id, last error code,
    /// update time) for the orders the day's discrepancies show, from their full store rows, and
    /// quotes each last error code in the explanation.
    private func enrich(_ outcome: DayOutcome, from store: OrderStore) throws -> DayOutcome {
        func needsRow(_ discrepancy: Discrepancy) -> String? {
            guard discrepancy.outRefundNo == nil, discrepancy.local != nil else { return nil }
            return discrepancy.outTradeNo
        }
        let keys = Set(
            outcome.discrepancies.compactMap(needsRow)
                + outcome.boundaryCandidates.flatMap { [$0.ifMissing, $0.ifNeighbourAbsent] }.compactMap(needsRow))
        let rows = keys.isEmpty ? [:] : try store.lookup(LookupRequest(outTradeNos: keys.sorted())).orders
        func enriched(_ discrepancy: Discrepancy) -> Discrepancy {
            var copy = discrepancy
            if let key = needsRow(discrepancy), let order = rows[key] { copy.local = Observation(order) }
            copy.quoteLastCall()
            return copy
        }
        var result = outcome
        result.discrepancies = outcome.discrepancies.map(enriched)
        result.boundaryCandidates = outcome.boundaryCandidates.map { candidate in
            var copy = candidate
            copy.ifMissing = enriched(candidate.ifMissing)
            copy.ifNeighbourAbsent = enriched(candidate.ifNeighbourAbsent)
            return copy
        }
        return result
    }

    /// Fails when the store repeats a key the day's reads saw twice: within one read, or in two
    /// reads (unless the order only moved from one to the other while they ran).
    private static func checkUniqueKeys(_ read: StoreRead, in store: OrderStore) throws {
        var orderKeys = read.orders.flatMap(\.repeatedKeys)
        for (index, chunk) in read.orders.enumerated() {
            for earlier in read.orders[..<index] { orderKeys += chunk.keys(sharedWith: earlier) }
        }
        var seen: [String: String] = [:]
        var refundKeys: [String] = []
        for refund in read.refunds where seen.updateValue(refund.outTradeNo, forKey: refund.outRefundNo) != nil {
            refundKeys.append(refund.outRefundNo)
            orderKeys.append(refund.outTradeNo)
        }
        guard !orderKeys.isEmpty || !refundKeys.isEmpty else { return }
        try store.checkUnique(outTradeNos: orderKeys, outRefundNos: refundKeys)
    }

    private struct StoreRead: Sendable {
        var orders: [OrderChunk]
        var refunds: [Refund]
        var input: DayReport.StoreInput
    }

    /// Reads the day's orders and refunds of `merchants`. Each merchant's window is read as two
    /// halves and its refunds at the same time, on three connections and threads, and each half is
    /// indexed and placed against the day where it was read; the digest is taken over the parts'
    /// digests in order.
    private func readStore(day: CivilDate, merchants: [MerchantRef]) async throws -> StoreRead {
        var chunks: [OrderChunk] = []
        var refunds: [Refund] = []
        var digests: [String] = []
        for merchant in merchants {
            let range = config.policy.loadRange(config.zones.window(day, for: merchant.provider))
            let middle = range.lowerBound + (range.upperBound - range.lowerBound) / 2
            let (path, zone) = (config.storePath, config.storeTimeZone)
            let (zones, policy) = (config.zones, config.policy)
            let place: @Sendable ([Order]) -> OrderChunk = { OrderChunk($0, day: day, zones: zones, policy: policy) }
            async let first = BlockingWork.run {
                try Self.readOrders(path: path, zone: zone, merchant: merchant, range: range.lowerBound..<middle, place: place)
            }
            async let second = BlockingWork.run {
                try Self.readOrders(path: path, zone: zone, merchant: merchant, range: middle..<range.upperBound, place: place)
            }
            async let refundRead = BlockingWork.run {
                let digest = StoreDigest()
                return (
                    try OrderStore(path: path, naiveTimeZone: zone).refunds(of: merchant, in: range, digest: digest),
                    digest.finalize()
                )
            }
            for part in try await [first, second] {
                chunks.append(part.orders)
                digests.append(part.digest)
            }
            let (merchantRefunds, refundDigest) = try await refundRead
            refunds += merchantRefunds
            digests.append(refundDigest)
        }
        let input = DayReport.StoreInput(
            path: config.storePath, ordersRead: chunks.map(\.orders.count).reduce(0, +), refundsRead: refunds.count,
            rowsSHA256: StoreDigest.combine(digests))
        return StoreRead(orders: chunks, refunds: refunds, input: input)
    }

    private static func readOrders(
        path: String, zone: ZoneRules?, merchant: MerchantRef, range: Range<Int64>, place: @Sendable ([Order]) -> OrderChunk
    ) throws -> (orders: OrderChunk, digest: String) {
        let digest = StoreDigest()
        let orders = try OrderStore(path: path, naiveTimeZone: zone).orders(of: merchant, in: range, digest: digest)
        return (place(orders), digest.finalize())
    }

    /// A day the provider has no bill for: no rows, the marker as the evidence.
    private static func emptyDay(_ bill: PlannedBill, code: String) -> DayReport.BillInput {
        let data = FileManager.default.contents(atPath: bill.path) ?? Data()
        return DayReport.BillInput(
            path: bill.path, sha256: SHA256.hash(data: data).hexString, bytes: data.count, compressed: false,
            format: "no bill (\(code))", merchant: bill.name.merchant, day: bill.name.day, paymentRows: 0, refundRows: 0,
            totals: [], summaryChecks: 0)
    }

    private static func input(_ bill: PlannedBill, _ facts: BillFacts) -> DayReport.BillInput {
        DayReport.BillInput(
            path: bill.path, sha256: facts.sha256, bytes: facts.storedBytes, compressed: facts.wasCompressed,
            format: facts.format.label, merchant: bill.name.merchant, day: bill.name.day,
            paymentRows: facts.paymentRows, refundRows: facts.refundRows,
            totals: facts.totals.keys.sorted().map { currency in
                let totals = facts.totals[currency]!
                return DayReport.BillInput.Totals(
                    currency: currency, payments: totals.paymentCount, paidMinor: totals.paid,
                    refunds: totals.refundCount, refundedMinor: totals.refunded, fees: totals.fees)
            },
            summaryChecks: facts.summaryChecks.count)
    }

    private func records(
        for reports: [DayReport], coverage: BillCoverage, run: DayReport.RunInfo
    ) -> [RunRecord] {
        reports.flatMap { report in
            Set(coverage.merchants(on: report.day) + report.discrepancies.map(\.merchant)).sorted().map { merchant in
                let discrepancies = report.discrepancies.filter { $0.merchant == merchant }
                let bills = report.bills.filter { $0.merchant == merchant }
                return RunRecord(
                    merchant: merchant, day: report.day, runID: run.runID, startedAt: run.startedAt,
                    finishedAt: run.finishedAt,
                    billsJSON: Self.json(bills.map { ["path": $0.path, "sha256": $0.sha256, "format": $0.format] }),
                    summaryJSON: Self.json([
                        "payment_rows": bills.map(\.paymentRows).reduce(0, +),
                        "refund_rows": bills.map(\.refundRows).reduce(0, +),
                        "discrepancies": discrepancies.count,
                        "alarms": discrepancies.filter(\.kind.isAlarm).count,
                    ]),
                    discrepancies: discrepancies)
            }
        }
    }

    /// Lets go of `value` on a background task: freeing a large day's orders takes a moment that
    /// neither the next day nor the reports need to wait for.
    private static func discard(_ value: some Sendable) {
        Task.detached(priority: .background) { withExtendedLifetime(value) {} }
    }

    private func seconds(since start: Double) -> String {
        String(format: "%.2f", clock.seconds(since: start))
    }

    private static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func timestamp() -> Timestamp {
        config.timestamp(clock)
    }
}

/// Facts about order-recon itself.
public enum OrderRecon {
    /// The version written into reports.
    public static let version = "0.1.0"
}
