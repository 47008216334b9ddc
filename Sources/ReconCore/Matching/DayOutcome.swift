/// What the matcher found for one day, before the boundary rule has looked at the neighbouring days.
public struct DayOutcome: Sendable {
    /// The day.
    public var day: CivilDate
    /// Discrepancies that do not depend on the neighbouring days.
    public var discrepancies: [Discrepancy]
    /// Rows missing from this day's bill for local items within the grace of midnight.
    public var boundaryCandidates: [BoundaryCandidate]
    /// Rows of this day's bill for local items whose time falls on a neighbouring day.
    public var marginMatches: [EdgeMatch]
    /// Rows of this day's bill for local items of this day within the grace of midnight.
    public var edgeMatches: [EdgeMatch]
    /// Counts and totals of both sides.
    public var statistics: DayStatistics
}

/// A bill row matched to a local item whose time lies near (or just across) midnight.
public struct EdgeMatch: Hashable, Sendable {
    /// Which midnight of the bill's day the local time is near.
    public var edge: DayEdge
    /// Payment or refund.
    public var kind: BillEntry.Kind
    /// The merchant.
    public var merchant: MerchantRef
    /// The order or refund number.
    public var key: String
    /// `true` when the row moved money (a duplicate only counts then).
    public var movesMoney: Bool
    /// The row's amount.
    public var amount: Money
    /// The row.
    public var location: SourceLocation
    /// The store's side of the item.
    public var local: Observation
}

/// A local item missing from its day's bill but close enough to midnight that the neighbouring
/// day's bill may hold it.
public struct BoundaryCandidate: Hashable, Sendable {
    /// Which midnight it is near.
    public var edge: DayEdge
    /// Payment or refund.
    public var kind: BillEntry.Kind
    /// The merchant.
    public var merchant: MerchantRef
    /// The order or refund number.
    public var key: String
    /// The discrepancy if the neighbouring bill is in the run and lacks it too.
    public var ifMissing: Discrepancy
    /// The discrepancy if the neighbouring bill is not in the run.
    public var ifNeighbourAbsent: Discrepancy
}

/// Counts and totals for one day, for reports.
public struct DayStatistics: Hashable, Sendable, Codable {
    /// Local orders of the day for merchants whose bills are in the run.
    public var localOrders = 0
    /// Those orders by status.
    public var localOrdersByStatus: [OrderStatus: Int] = [:]
    /// The amounts of the paid ones.
    public var localPaid = CurrencyTotals()
    /// Local refunds of the day for merchants whose bills are in the run.
    public var localRefunds = 0
    /// Those refunds by status.
    public var localRefundsByStatus: [RefundStatus: Int] = [:]
    /// The amounts of the successful ones.
    public var localRefunded = CurrencyTotals()
    /// Payment rows in the day's bills.
    public var billPayments = 0
    /// Refund rows in the day's bills.
    public var billRefunds = 0
    /// Amounts of payment rows that moved money.
    public var billPaid = CurrencyTotals()
    /// Amounts of refund rows that moved money (or are moving it).
    public var billRefunded = CurrencyTotals()
    /// Bill rows matched to a local order or refund.
    public var matchedRows = 0
    /// Local items missing from their own day's bill and found in the neighbouring day's.
    public var matchedAcrossBoundary = 0
    /// Sums the matcher could not take because they do not fit in 64 bits, each saying which.
    public var overflowedSums: [String] = []

    /// Creates empty statistics.
    public init() {}

    /// What would not fit: the matcher's own sums and every total kept per currency. Empty on
    /// any real day; a run refuses to report a day where it is not.
    public var overflows: [String] {
        let totals: [(String, CurrencyTotals)] = [
            ("the store's paid orders", localPaid), ("the store's successful refunds", localRefunded),
            ("the bills' payments", billPaid), ("the bills' refunds", billRefunded),
        ]
        return overflowedSums
            + totals.flatMap { name, totals in totals.overflowed.sorted().map { "\(name) in \($0)" } }
    }
}

/// The final result of one day: its discrepancies in report order, and its statistics.
public struct DayResult: Sendable {
    /// The day.
    public var day: CivilDate
    /// Every discrepancy, in ``ItemFinding/listOrder(_:_:)``.
    public var discrepancies: [Discrepancy]
    /// Counts and totals.
    public var statistics: DayStatistics

    /// Creates a result.
    public init(day: CivilDate, discrepancies: [Discrepancy], statistics: DayStatistics) {
        self.day = day
        self.discrepancies = discrepancies
        self.statistics = statistics
    }
}
