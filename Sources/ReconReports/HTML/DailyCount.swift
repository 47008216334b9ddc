import ReconCore

/// How many discrepancies one day's run kept, for the report's chart.
public struct DailyCount: Hashable, Sendable {
    /// The day.
    public var day: CivilDate
    /// Discrepancies that need attention.
    public var alarms: Int
    /// Timing differences, expected to clear with the next bill.
    public var carried: Int

    /// Creates a count.
    public init(day: CivilDate, alarms: Int, carried: Int) {
        self.day = day
        self.alarms = alarms
        self.carried = carried
    }
}
