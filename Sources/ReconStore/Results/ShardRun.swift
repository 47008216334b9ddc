import ReconCore

/// What one shard's run saved of each day, for `order-recon report` to check and compose.
public struct ShardRun: Sendable {
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
    /// Each day's report of the shard's merchants, as ``DayReport`` encodes it; read back, the one day asked for.
    public var reports: [CivilDate: String]

    public init(
        shard: Shard, runID: String, host: String, startedAt: Timestamp, finishedAt: Timestamp, merchants: Int,
        reports: [CivilDate: String]
    ) {
        self.shard = shard
        self.runID = runID
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.merchants = merchants
        self.reports = reports
    }
}
