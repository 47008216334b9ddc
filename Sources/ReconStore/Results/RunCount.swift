import ReconCore

/// What one merchant's kept run of one day found, as the report charts count it.
public struct RunCount: Hashable, Sendable {
    /// The merchant.
    public var merchant: MerchantRef
    /// The day reconciled.
    public var day: CivilDate
    /// Discrepancies that need attention.
    public var alarms: Int
    /// The other discrepancies (timing differences, expected to clear with the next bill).
    public var carried: Int

    /// Creates a count.
    public init(merchant: MerchantRef, day: CivilDate, alarms: Int, carried: Int) {
        self.merchant = merchant
        self.day = day
        self.alarms = alarms
        self.carried = carried
    }

    /// The count a record keeps once saved.
    public init(_ record: RunRecord) {
        let alarms = record.discrepancies.filter(\.kind.isAlarm).count
        self.init(merchant: record.merchant, day: record.day, alarms: alarms, carried: record.discrepancies.count - alarms)
    }

    /// The counts the store holds once `records` are saved over `before`: each record replaces the
    /// kept run of its merchant and day, as the save does.
    public static func merging(_ before: [RunCount], with records: [RunRecord]) -> [RunCount] {
        let replaced = Set(records.map { BillCoverage.Key(merchant: $0.merchant, day: $0.day) })
        return before.filter { !replaced.contains(BillCoverage.Key(merchant: $0.merchant, day: $0.day)) } + records.map(RunCount.init)
    }
}
