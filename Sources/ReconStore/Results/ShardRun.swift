import ReconCore

/// What one shard's run covered, as `order-recon report` checks it.
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

    public init(shard: Shard, days: [CivilDate], host: String, startedAt: Timestamp, finishedAt: Timestamp, merchants: Int) {
        self.shard = shard
        self.days = days
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.merchants = merchants
    }
}
