/// Settles the items near midnight once every day of a run has been matched.
///
/// A local item paid (or refunded) within the grace of midnight and missing from its own day's
/// bill is:
/// - matched across the boundary when the neighbouring day's bill is in the run and holds it;
/// - `missing_in_bill` (or `refund_missing_in_bill`) when that bill is in the run and lacks it;
/// - a `timing_difference` when that bill is not in the run.
///
/// It also finds the same payment in two neighbouring days' bills, which a single day cannot see.
public enum BoundaryResolver {
    /// Resolves the outcomes of a run's days into their final results, in day order.
    /// - Parameters:
    ///   - outcomes: One outcome per reconciled day.
    ///   - coverage: The bills in the run.
    public static func resolve(_ outcomes: [DayOutcome], coverage: BillCoverage) -> [DayResult] {
        let byDay = Dictionary(outcomes.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        return outcomes.sorted { $0.day < $1.day }.map { outcome in
            var discrepancies = outcome.discrepancies
            var statistics = outcome.statistics
            for candidate in outcome.boundaryCandidates {
                let neighbour = candidate.edge.neighbour(of: outcome.day)
                guard coverage.covers(candidate.merchant, on: neighbour, candidate.kind),
                    let other = byDay[neighbour]
                else {
                    discrepancies.append(candidate.ifNeighbourAbsent)
                    continue
                }
                let found = other.marginMatches.contains {
                    $0.edge == candidate.edge.opposite && $0.kind == candidate.kind && $0.key == candidate.key
                        && $0.merchant == candidate.merchant
                }
                if found {
                    statistics.matchedAcrossBoundary += 1
                } else {
                    discrepancies.append(candidate.ifMissing)
                }
            }
            discrepancies += crossDayDuplicates(outcome, byDay: byDay)
            discrepancies = Discrepancy.inReportOrder(DayMatcher.merged(discrepancies))
            return DayResult(day: outcome.day, discrepancies: discrepancies, statistics: statistics)
        }
    }

    /// Rows in this day's bill for items of a neighbouring day that the neighbour's bill also paid.
    private static func crossDayDuplicates(_ outcome: DayOutcome, byDay: [CivilDate: DayOutcome]) -> [Discrepancy] {
        outcome.marginMatches.filter(\.movesMoney).compactMap { margin in
            let neighbour = margin.edge.neighbour(of: outcome.day)
            guard let other = byDay[neighbour],
                let earlier = other.edgeMatches.first(where: {
                    $0.movesMoney && $0.edge == margin.edge.opposite && $0.kind == margin.kind && $0.key == margin.key
                        && $0.merchant == margin.merchant
                })
            else { return nil }
            let isRefund = margin.kind == .refund
            let locations = [earlier.location, margin.location]
            return Discrepancy(
                kind: .duplicateInBill, day: outcome.day, merchant: margin.merchant,
                outTradeNo: isRefund ? nil : margin.key, outRefundNo: isRefund ? margin.key : nil, local: margin.local,
                bill: Observation(amount: margin.amount, locations: locations), difference: margin.amount,
                explanation: Explain.duplicate(
                    key: margin.key, isRefund: isRefund, locations: locations,
                    place: "in the bills of \(neighbour) and \(outcome.day)"))
        }
    }
}
