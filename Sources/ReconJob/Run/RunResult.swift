import ReconCore
import ReconReports

/// The result of a run: one report per day, the files rendered and archived for each, and the exit status.
public struct RunResult: Sendable {
    /// The day reports, in day order.
    public var reports: [DayReport]
    /// Each day's archive as rendered, in the same order: the bytes written and e-mailed.
    public var archive: [RenderedDay]
    /// The day folders `--keep-days` removed from the archive after the run, oldest first.
    public var pruned: [String] = []
    /// Things found wrong that did not stop the run (a key file others may read), each a message.
    public var warnings: [String] = []

    /// Creates a result.
    public init(reports: [DayReport], archive: [RenderedDay] = []) {
        self.reports = reports
        self.archive = archive
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
        zip(reports, archive).map { SummaryRenderer.render($0, reportPaths: $1.paths) }.joined()
            + SummaryRenderer.renderPruned(pruned)
    }
}

/// Facts about order-recon itself.
public enum OrderRecon {
    /// The version written into reports.
    public static let version = "0.1.0"
}
