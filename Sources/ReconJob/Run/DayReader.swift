import Crypto
import Foundation
import Logging
import ProviderPlugins
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import ReconReports
import ReconStore
import Synchronization

/// What a day's reports quote about its inputs, beside the matching's outcome.
struct DayInputs: Sendable {
    var store: DayReport.StoreInput
    var bills: [DayReport.BillInput]
    var unreconciled: [DayReport.Unreconciled]
    var queries: QueryRun?
}

/// The run's first stage for one day: gathers the day's inputs (its store rows, its bills fed
/// through ``DayMatching``, its pending items queried at the same time) into the day's outcome
/// and the facts its reports quote.
struct DayReader {
    let config: ReconConfig
    let clock: any RunClock
    let logger: Logger
    let progress: (@Sendable (ProgressEvent) -> Void)?
    let store: any OrderSource
    /// The connections the day's store reads run on.
    let readers: StoreReaders
    /// Every merchant the store holds orders of.
    let storeMerchants: [MerchantRef]
    let reader: BillReader
    /// The machine's cores, for reading large bills in parts (``BillRead``).
    let cores: Int
    let engine: QueryEngine?

    /// Reads, matches and queries a day; items in `alreadyQueried` (``queryKey(_:)``) are not asked
    /// about again. `billsRead` is called once the day's bills are read, before its matching is finished.
    func read(
        _ plan: DayPlan, alreadyQueried: Set<String>, billsRead: (@Sendable () -> Void)? = nil
    ) async throws -> (outcome: DayOutcome, inputs: DayInputs) {
        let (day, merchants) = (plan.day, plan.merchants)
        // The day's queries run while its store is read and its bills are matched.
        let items = engine == nil ? [] : try pendingItems(plan, alreadyQueried: alreadyQueried)
        let queryStarted = clock.uptime()
        let (engine, progress) = (self.engine, self.progress)
        async let queried = Self.query(engine, items, day: day, progress: progress)
        // The day's bills are read while its orders are: rows that come before the matching
        // exists wait in the gate, which holds a bounded number of them.
        let readStarted = clock.uptime()
        let gate = MatchingGate(cores: cores)
        let bills = BillRead(reader: reader, logger: logger, progress: progress, clock: clock, cores: cores)
        async let billInputs = bills.read(plan, into: gate)
        let read: DayStoreRead
        do {
            read = try await DayStoreRead.read(plan, on: readers, config: config, readsRunning: gate.storeReads(running:))
        } catch {
            gate.abandon()
            _ = try? await billInputs
            throw error
        }
        logger.info(
            "store read",
            metadata: [
                "day": "\(day)", "orders": "\(read.input.ordersRead)", "refunds": "\(read.input.refundsRead)",
                "seconds": "\(clock.secondsText(since: readStarted))",
            ])
        let storeInput = read.input
        // Checked on a connection the store read is done with, while the matching is built and
        // then while the bills are matched: the bills' parts wait in the full gate while the
        // matching is built on one core, and the check keeps the other busy. A repeated key
        // fails the day all the same, and nothing of a failed day is kept. The check's copy of
        // the read goes when this block ends, so that the read is freed in the background below.
        let readers = self.readers
        let box: DayMatching
        let matchStarted: Double
        do {
            async let uniqueKeys: Void = BlockingWork.run { [read] in try readers.checkUniqueKeys(of: read) }
            box = DayMatching(
                day: day, zones: config.zones, policy: config.policy, coverage: plan.coverage, orders: read.orders,
                refunds: read.refunds, watching: items)
            gate.open(box)
            matchStarted = clock.uptime()
            try await uniqueKeys
        } catch {
            gate.abandon()
            _ = try? await billInputs
            throw error
        }
        let billsInput = try await billInputs
        billsRead?()
        gate.close()
        // The store read has ended: its connections look up what the matching still needs.
        let (matched, watch) = try box.finish(lookup: readers.lookup)
        // Nothing else holds the day's orders, refunds and index now: they are freed beside the rest of the day.
        BackgroundRelease.release((consume box, consume read))
        var outcome = try enrich(consume matched, from: readers)
        logger.info("day matched", metadata: ["day": "\(day)", "seconds": "\(clock.secondsText(since: matchStarted))"])
        let queryRun = await queried
        if let queryRun {
            let judge = PendingJudge(
                day: day, zones: config.zones, billedMerchants: Set(merchants),
                expirySeconds: config.providers.pendingExpirySeconds, now: clock.epochSeconds(), book: Providers.directory.book)
            let known = Set(outcome.discrepancies.map(\.id))
            for var discrepancy in judge.judge(queryRun.outcomes, bill: watch) where !known.contains(discrepancy.id) {
                discrepancy.quoteLastCall(book: Providers.directory.book)
                outcome.discrepancies.append(discrepancy)
            }
            logger.info(
                "day queried",
                metadata: [
                    "day": "\(day)", "items": "\(items.count)", "attempts": "\(queryRun.attempts.count)",
                    "stopped": "\(queryRun.stopped.count)", "seconds": "\(clock.secondsText(since: queryStarted))",
                ])
            for message in queryRun.stopped.values.sorted() { logger.error("\(message)") }
        }
        var unreconciled: [DayReport.Unreconciled] = []
        for merchant in storeMerchants where !merchants.contains(merchant) {
            let window = plan.window(for: merchant.provider)
            let count = try store.orderCount(of: merchant, in: window.start..<window.end)
            if count > 0 { unreconciled.append(DayReport.Unreconciled(merchant: merchant, orders: count)) }
        }
        return (outcome, DayInputs(store: storeInput, bills: billsInput, unreconciled: unreconciled, queries: queryRun))
    }

    /// Fills in what the day's lean read of orders leaves out (transaction id, last error code,
    /// update time) for the orders the day's discrepancies show, from their full store rows, and
    /// quotes each last error code in the explanation.
    ///
    /// The outcome is taken, not copied, and its findings are changed where they lie: nothing else
    /// holds them by now, so none is copied to be changed.
    private func enrich(_ outcome: consuming DayOutcome, from store: StoreReaders) throws -> DayOutcome {
        func needsRow(_ discrepancy: Discrepancy) -> String? {
            guard discrepancy.outRefundNo == nil, discrepancy.local != nil else { return nil }
            return discrepancy.outTradeNo
        }
        let keys = Set(
            outcome.discrepancies.compactMap(needsRow)
                + outcome.boundaryCandidates.flatMap { [$0.ifMissing, $0.ifNeighbourAbsent] }.compactMap(needsRow))
        let rows = keys.isEmpty ? [:] : try store.lookup(LookupRequest(outTradeNos: keys.sorted())).orders
        func enrich(_ discrepancy: inout Discrepancy) {
            if let key = needsRow(discrepancy), let order = rows[key] { discrepancy.local = Observation(order) }
            discrepancy.quoteLastCall(book: Providers.directory.book)
        }
        var result = consume outcome
        for index in result.discrepancies.indices { enrich(&result.discrepancies[index]) }
        for index in result.boundaryCandidates.indices {
            enrich(&result.boundaryCandidates[index].ifMissing)
            enrich(&result.boundaryCandidates[index].ifNeighbourAbsent)
        }
        return result
    }

    /// How an item is known across the days of one run, so a range queries it once.
    static func queryKey(_ item: PendingItem) -> String {
        "\(item.merchant)|\(item.isRefund ? "refund" : "order")|\(item.key)"
    }

    /// The day's pending and uncertain items of ``ReconConfig/queriedMerchants(_:)``, without those an
    /// earlier day of the run already asked about.
    private func pendingItems(_ plan: DayPlan, alreadyQueried: Set<String>) throws -> [PendingItem] {
        let selector = PendingSelector(maxAgeSeconds: config.providers.pendingMaxAgeSeconds, book: Providers.directory.book)
        var items: [PendingItem] = []
        for merchant in config.queriedMerchants(plan.merchants) {
            let window = plan.window(for: merchant.provider)
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

    /// A day the provider has no bill for: no rows, the marker as the evidence.
    fileprivate static func emptyDay(_ bill: PlannedBill, code: String, merchant: MerchantRef) -> DayReport.BillInput {
        let data = FileManager.default.contents(atPath: bill.path) ?? Data()
        return DayReport.BillInput(
            path: bill.path, sha256: SHA256.hash(data: data).hexString, bytes: data.count, compressed: false,
            format: "no bill (\(code))", merchant: merchant, day: bill.name.day, paymentRows: 0, refundRows: 0,
            totals: [], summaryChecks: 0, billOf: bill.name.merchant == merchant ? nil : bill.name.merchant)
    }

    /// The bill as `merchant`'s input: its rows of `merchant` (all of them, unless it is a service provider's bill).
    fileprivate static func input(_ bill: PlannedBill, _ facts: BillFacts, merchant: MerchantRef) -> DayReport.BillInput {
        let share = facts.share(of: merchant)
        return DayReport.BillInput(
            path: bill.path, sha256: facts.sha256, bytes: facts.storedBytes, compressed: facts.wasCompressed,
            format: facts.format.label, merchant: merchant, day: bill.name.day,
            paymentRows: share.paymentRows, refundRows: share.refundRows,
            totals: share.totals.keys.sorted().map { currency in
                let totals = share.totals[currency]!
                return DayReport.BillInput.Totals(
                    currency: currency, payments: totals.paymentCount, paidMinor: totals.paid,
                    refunds: totals.refundCount, refundedMinor: totals.refunded, fees: totals.fees)
            },
            summaryChecks: facts.summaryChecks.count, billOf: bill.name.merchant == merchant ? nil : bill.name.merchant)
    }
}

extension ReconConfig {
    /// The merchants whose pending items a day's queries select: those the day covers, has keys
    /// for, or must reconcile, of this worker's shard.
    func queriedMerchants(_ merchants: [MerchantRef]) -> [MerchantRef] {
        Set(merchants + self.merchants.flatMap(merchantGroups.covered(by:)) + providers.merchants).filter(owns).sorted()
    }
}

/// The day's bills, read one after the other into the day's ``MatchingGate``.
private struct BillRead: Sendable {
    let reader: BillReader
    let logger: Logger
    let progress: (@Sendable (ProgressEvent) -> Void)?
    let clock: any RunClock
    /// The machine's cores: a large bill is read by as many workers, each on a thread of its own.
    let cores: Int

    /// Reads the plan's bills; returns what the reports quote of each, per merchant it covers.
    func read(_ plan: DayPlan, into gate: MatchingGate) async throws -> [DayReport.BillInput] {
        var bills: [DayReport.BillInput] = []
        for bill in plan.bills {
            let covered = plan.inventory.covered(by: bill)
            if let code = bill.noBillCode {
                bills += covered.map { DayReader.emptyDay(bill, code: code, merchant: $0) }
                logger.info("no bill", metadata: ["file": "\(bill.path)", "code": "\(code)"])
                continue
            }
            let started = clock.uptime()
            let rows = Atomic<Int>(0)
            let step = "reading \((bill.path as NSString).lastPathComponent)"
            let progress = self.progress
            let facts = try await reader.readConcurrently(
                bill.path, expecting: BillExpectation(merchant: bill.name.merchant, day: plan.day, covered: Set(covered)),
                workers: cores
            ) { batch in
                // Counted before it is delivered: the matching empties it.
                let done = rows.add(batch.count, ordering: .relaxed).newValue
                gate.deliver(batch)
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
                    "file": "\(bill.path)", "rows": "\(facts.detailRows)", "seconds": "\(clock.secondsText(since: started))",
                ])
            bills += covered.map { DayReader.input(bill, facts, merchant: $0) }
        }
        return bills
    }
}
