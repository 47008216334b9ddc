import ReconCore

/// What one shard's run saved of each day, for `order-recon report` to check and compose.
public struct ShardRun: Sendable {
    /// The shard.
    public var shard: Shard
    /// The days it reconciled.
    public var days: [CivilDate]
    /// The machine it ran on.
    public var host: String
    /// When it started and finished.
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// How many merchants it reconciled.
    public var merchants: Int
    /// Each day's report of the shard's merchants, as ``DayReport`` encodes it.
    public var reports: [CivilDate: String]

    public init(
        shard: Shard, days: [CivilDate], host: String, startedAt: Timestamp, finishedAt: Timestamp, merchants: Int,
        reports: [CivilDate: String]
    ) {
        self.shard = shard
        self.days = days
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.merchants = merchants
        self.reports = reports
    }
}

/// A shard's run of one day as the results database keeps it.
public struct SavedShardRun: Sendable {
    /// The shard.
    public var shard: Shard
    /// The run.
    public var runID: String
    /// The machine it ran on.
    public var host: String
    /// When it started and finished.
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// How many merchants it reconciled.
    public var merchants: Int
    /// The day's report of its merchants, as ``DayReport`` encodes it.
    public var report: String
}
