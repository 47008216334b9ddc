import ProviderPlugins
import ReconCore
import ReconReports
import ReconTestSupport

extension DayReport {
    /// A report of `Sample.day` with no store rows, bills or discrepancies, and `queries` if given.
    static func bare(queries: QueriesSection? = nil) -> DayReport {
        DayReport(
            day: Sample.day, zones: [:], graceSeconds: 600,
            store: .init(path: "s", ordersRead: 0, refundsRead: 0, rowsSHA256: ""), bills: [], statistics: DayStatistics(),
            discrepancies: [], unreconciled: [],
            run: .init(runID: "r", startedAt: Timestamp(epochSeconds: 0), finishedAt: Timestamp(epochSeconds: 0), version: "t"),
            queries: queries, codes: Providers.directory.book)
    }
}
