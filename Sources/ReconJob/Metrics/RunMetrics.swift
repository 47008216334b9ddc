import ReconCore
import ReconReports

/// What one run tells monitoring: when it ended and how, what it found and what it asked.
public struct RunMetrics: Sendable, Hashable {
    /// When the run ended.
    public var finished: Timestamp
    /// When the last run that saved its results ended (this one, if it did); `nil` before the first.
    public var lastSuccess: Timestamp?
    /// The run's exit code.
    public var exitCode: Int32
    /// The run's wall time in seconds.
    public var durationSeconds: Double
    /// The days reconciled.
    public var days: Int
    /// Discrepancies by kind, over the run's days; empty when the run failed.
    public var discrepancies: [DiscrepancyKind: Int]
    /// Money at stake by kind and currency, in minor units.
    public var atStake: [DiscrepancyKind: [Currency: Int64]]
    /// Pending or uncertain items the run asked the providers about.
    public var pendingQueried: Int
    /// Of those, the ones the providers gave a final state for.
    public var pendingResolved: Int
    /// Items open after the run; `nil` when the run failed.
    public var openItems: Int?

    /// The metrics of a failed run.
    public init(failedAt finished: Timestamp, lastSuccess: Timestamp?, exitCode: Int32, durationSeconds: Double, days: Int) {
        self.finished = finished
        self.lastSuccess = lastSuccess
        self.exitCode = exitCode
        self.durationSeconds = durationSeconds
        self.days = days
        self.discrepancies = [:]
        self.atStake = [:]
        self.pendingQueried = 0
        self.pendingResolved = 0
        self.openItems = nil
    }

    /// The metrics of a run that saved its results.
    public init(_ result: RunResult, finished: Timestamp, durationSeconds: Double, openItems: Int) {
        self.init(
            failedAt: finished, lastSuccess: finished, exitCode: result.status.rawValue, durationSeconds: durationSeconds,
            days: result.reports.count)
        for report in result.reports {
            for discrepancy in report.discrepancies { discrepancies[discrepancy.kind, default: 0] += 1 }
            pendingQueried += report.queries?.total ?? 0
            pendingResolved += report.queries?.settled ?? 0
        }
        // The run has checked that these sums fit before it saved anything (RunResult.overflows).
        for (kind, totals) in result.amountAtStakeByKind { atStake[kind] = totals.byCurrency }
        self.openItems = openItems
    }
}
