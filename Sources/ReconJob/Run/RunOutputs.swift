import Foundation
import ProviderPlugins
import ReconCore
import ReconProviders
import ReconReports
import ReconStore

/// The run's pure last stage: from the days' results and inputs to what goes to the sinks — the
/// day reports, the status changes the answers justify, the records the store keeps, and (once
/// the store has said what it applied and carried over) the rendered archive. What the open
/// items make of the same results is ``RunCarryover``'s.
struct RunOutputs {
    /// The day reports, in day order.
    var reports: [DayReport]
    /// The changes the answers justify, per day; written to the store under `--apply`.
    var changesByDay: [CivilDate: [StatusChange]]
    /// One record per merchant and day, for the store.
    var records: [RunRecord]

    /// Every change, in day order.
    var changes: [StatusChange] {
        reports.flatMap { changesByDay[$0.day] ?? [] }
    }

    /// Builds the outputs.
    /// - Throws: ``ReconError`` (bad input) when a sum of money does not fit in 64 bits: nothing
    ///   is saved or reported rather than an amount left out of a total.
    init(
        results: [DayResult], inputs: [CivilDate: DayInputs], coverage: BillCoverage, config: ReconConfig,
        run: DayReport.RunInfo, mode: ReconciliationRun.ApplyMode
    ) throws {
        reports = results.map { result in
            let day = inputs[result.day]!
            return DayReport(
                day: result.day,
                zones: Dictionary(
                    uniqueKeysWithValues: Set(day.bills.map(\.merchant.provider)).map { ($0, config.zones.zone(for: $0).identifier) }),
                graceSeconds: config.policy.boundaryGrace, store: day.store, bills: day.bills,
                statistics: result.statistics, discrepancies: result.discrepancies, unreconciled: day.unreconciled, run: run,
                queries: day.queries.map { queries in
                    QueriesSection.summarize(
                        queries.outcomes, attempts: queries.attempts.count, stopped: Array(queries.stopped.values),
                        unreachable: queries.unreachable.compactMap { queries.stopped[$0] }, slowDowns: queries.slowDowns)
                }, codes: Providers.directory.book)
        }
        let overflows = RunResult(reports: reports).overflows
        guard overflows.isEmpty else {
            throw ReconError.badInput(
                "Amounts too large to add up exactly, so nothing was saved or reported:\n"
                    + overflows.map { "  " + $0 }.joined(separator: "\n")
                    + "\nEach amount is at most 10^15 minor units; find the corrupt amounts in the bills or the store (the "
                    + "reports of the same days from an earlier run, or 'order-recon bill check', help) and run again.")
        }
        changesByDay = [:]
        if mode != .report {
            for report in reports {
                guard let queries = inputs[report.day]?.queries else { continue }
                var requestIDs: [String: String] = [:]
                for attempt in queries.attempts where attempt.state != nil { requestIDs[attempt.key] = attempt.requestID }
                changesByDay[report.day] = StatusChange.changes(
                    for: report.discrepancies, outcomes: queries.outcomes, requestIDs: requestIDs)
            }
        }
        records = Self.records(for: reports, coverage: coverage, run: run)
    }

    /// Puts what the store's transaction settled into the reports: each day's open items and,
    /// unless only reporting, what became of each change (`applied` under `--apply`; under
    /// `--dry-run` every change as it would be made).
    mutating func settle(openItems carryover: Carryover?, applied: [AppliedChange], mode: ReconciliationRun.ApplyMode) {
        if let carryover {
            for index in reports.indices { reports[index].openItems = carryover.section(for: reports[index].day) }
        }
        guard mode != .report else { return }
        let results = mode == .apply ? applied : changes.map { AppliedChange(change: $0, skipped: nil) }
        let byKey = Dictionary(results.map { ("\($0.change.table)|\($0.change.key)", $0) }, uniquingKeysWith: { first, _ in first })
        for index in reports.indices {
            let day = reports[index].day
            reports[index].queries?.mode = mode.rawValue
            reports[index].queries?.changes = (changesByDay[day] ?? []).compactMap { byKey["\($0.table)|\($0.key)"] }
        }
    }

    /// The first day any report's chart shows.
    func chartStart(for report: DayReport) -> CivilDate {
        HTMLReportRenderer.chartStart(for: report.day, runStart: reports.map(\.day).min() ?? report.day)
    }

    /// Renders every day's archive in memory. The charts count the runs the store kept before
    /// this one (`before`, from the first chart day on), with this run's records in place of the
    /// runs they replace.
    ///
    /// With `settled`, rendering begins before ``settle(openItems:applied:mode:)``: what the
    /// reports show of their open items and query changes is taken from the reports `settled`
    /// gives, in the same order, once the run's transaction has settled them
    /// (``ReportArchive/render(_:history:chartStart:staging:settled:keepsCSV:)``). The JSON and
    /// CSV files are not kept in memory: the e-mail attaches each day's CSV from the archive.
    func render(
        into archive: ReportArchive, staging staged: StagedFiles, before: [RunCount],
        settled: (@Sendable () throws -> [DayReport])? = nil
    ) throws -> [RenderedDay] {
        let counts = RunCount.merging(before, with: records)
        return try reports.indices.map { index in
            let report = reports[index]
            let start = chartStart(for: report)
            return try archive.render(
                report, history: { RunCount.daily(counts, from: start, through: report.day, of: $0) }, chartStart: start,
                staging: staged, settled: settled.map { settled in { @Sendable in try settled()[index] } }, keepsCSV: false)
        }
    }

    private struct BillRecord: Encodable {
        var path: String
        var sha256: String
        var format: String
    }

    private struct SummaryRecord: Encodable {
        var paymentRows: Int
        var refundRows: Int
        var discrepancies: Int
        var alarms: Int

        enum CodingKeys: String, CodingKey {
            case paymentRows = "payment_rows", refundRows = "refund_rows", discrepancies, alarms
        }
    }

    /// The merchants a day's records are kept for: each whose bills the run read for the day,
    /// and each with a discrepancy on it.
    static func recordedMerchants(on day: CivilDate, of discrepancies: [Discrepancy], coverage: BillCoverage) -> [MerchantRef] {
        Set(coverage.merchants(on: day) + discrepancies.map(\.merchant)).sorted()
    }

    private static func records(for reports: [DayReport], coverage: BillCoverage, run: DayReport.RunInfo) -> [RunRecord] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) -> String {
            String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
        }
        return reports.flatMap { report in
            recordedMerchants(on: report.day, of: report.discrepancies, coverage: coverage).map { merchant in
                let discrepancies = report.discrepancies.filter { $0.merchant == merchant }
                let bills = report.bills.filter { $0.merchant == merchant }
                return RunRecord(
                    merchant: merchant, day: report.day, runID: run.runID, startedAt: run.startedAt, finishedAt: run.finishedAt,
                    billsJSON: json(bills.map { BillRecord(path: $0.path, sha256: $0.sha256, format: $0.format) }),
                    summaryJSON: json(
                        SummaryRecord(
                            paymentRows: bills.map(\.paymentRows).reduce(0, +), refundRows: bills.map(\.refundRows).reduce(0, +),
                            discrepancies: discrepancies.count, alarms: discrepancies.filter(\.kind.isAlarm).count)),
                    discrepancies: discrepancies)
            }
        }
    }
}

extension RunCount {
    /// What a report's chart draws: the days from `start` through `end`, each with its merchants'
    /// alarms and other discrepancies added up (those of `merchant` alone, when given).
    static func daily(_ counts: [RunCount], from start: CivilDate, through end: CivilDate, of merchant: MerchantRef?) -> [DailyCount] {
        var byDay: [CivilDate: DailyCount] = [:]
        for count in counts where count.day >= start && count.day <= end && (merchant == nil || count.merchant == merchant) {
            byDay[count.day, default: DailyCount(day: count.day, alarms: 0, carried: 0)].alarms += count.alarms
            byDay[count.day]!.carried += count.carried
        }
        return byDay.values.sorted { $0.day < $1.day }
    }
}
