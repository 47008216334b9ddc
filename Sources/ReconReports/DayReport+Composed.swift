import ReconCore

extension DayReport {
    /// One day-wide report from the reports of the shards that split the day's merchants between
    /// them: each shard's bills, discrepancies, merchants without a bill, queries and open items,
    /// in the order one run over every merchant lists them, and their counts and totals added up.
    ///
    /// Money is added with ``CurrencyTotals``, which says which sum overflowed rather than wrap.
    /// - Parameters:
    ///   - parts: One report of the day from each shard; at least one, all of the same day.
    ///   - store: The store as read by all of them (the shards' counts are added up by the caller,
    ///     whose digest stands for the shards' digests).
    ///   - run: The composed run: the shards' first start, last finish and run ids.
    public static func composed(of parts: [DayReport], store: StoreInput, run: RunInfo) -> DayReport {
        precondition(!parts.isEmpty && Set(parts.map(\.day)).count == 1, "the reports of one day")
        let first = parts[0]
        var statistics = DayStatistics()
        for part in parts.map(\.statistics) {
            statistics.localOrders += part.localOrders
            statistics.localOrdersByStatus.merge(part.localOrdersByStatus, uniquingKeysWith: +)
            statistics.localPaid.add(part.localPaid)
            statistics.localRefunds += part.localRefunds
            statistics.localRefundsByStatus.merge(part.localRefundsByStatus, uniquingKeysWith: +)
            statistics.localRefunded.add(part.localRefunded)
            statistics.billPayments += part.billPayments
            statistics.billRefunds += part.billRefunds
            statistics.billPaid.add(part.billPaid)
            statistics.billRefunded.add(part.billRefunded)
            statistics.matchedRows += part.matchedRows
            statistics.matchedAcrossBoundary += part.matchedAcrossBoundary
            statistics.overflowedSums += part.overflowedSums
        }
        var report = DayReport(
            day: first.day, zones: parts.reduce(into: [:]) { $0.merge($1.zones) { kept, _ in kept } },
            graceSeconds: first.graceSeconds, store: store,
            bills: parts.flatMap(\.bills).sorted { ($0.billOf ?? $0.merchant, $0.merchant, $0.path) < ($1.billOf ?? $1.merchant, $1.merchant, $1.path) },
            statistics: statistics, discrepancies: Discrepancy.inReportOrder(parts.flatMap(\.discrepancies)),
            unreconciled: parts.flatMap(\.unreconciled).sorted { $0.merchant < $1.merchant }, run: run,
            queries: QueriesSection.composed(of: parts.compactMap(\.queries)), codes: first.codes)
        let sections = parts.compactMap(\.openItems)
        if !sections.isEmpty {
            report.openItems = OpenItemsSection(
                new: sections.flatMap(\.new).sorted(by: OpenItem.listOrder),
                stillOpen: sections.flatMap(\.stillOpen).sorted(by: OpenItem.listOrder),
                resolved: sections.flatMap(\.resolved).sorted(by: OpenItem.listOrder))
        }
        return report
    }
}

extension QueriesSection {
    /// The shards' query sections as one; `nil` when no shard asked a provider.
    static func composed(of parts: [QueriesSection]) -> QueriesSection? {
        guard let first = parts.first else { return nil }
        var section = QueriesSection(
            selected: parts.reduce(into: [:]) { $0.merge($1.selected, uniquingKeysWith: +) },
            settled: parts.map(\.settled).reduce(0, +), stillPending: parts.map(\.stillPending).reduce(0, +),
            unresolved: parts.map(\.unresolved).reduce(0, +),
            notQueried: parts.flatMap(\.notQueried).sorted { ($0.merchant, $0.key) < ($1.merchant, $1.key) },
            attempts: parts.map(\.attempts).reduce(0, +), stopped: parts.flatMap(\.stopped).sorted(),
            slowDowns: parts.reduce(into: [:]) { $0.merge($1.slowDowns, uniquingKeysWith: +) },
            changes: parts.flatMap(\.changes), mode: first.mode)
        section.unreachable = parts.flatMap(\.unreachable).sorted()
        return section
    }
}
