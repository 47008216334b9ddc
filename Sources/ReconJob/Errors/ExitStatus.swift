/// The exit codes of `order-recon`, for cron, CI and monitoring.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The run finished and found nothing that needs attention.
    case clean = 0
    /// The run finished and found discrepancies that need attention.
    case discrepancies = 1
    /// The command line or the configuration is wrong.
    case usage = 2
    /// An input (store, bill) is missing, unreadable or invalid.
    case badInput = 3
    /// Something else failed, such as writing the reports.
    case failure = 4
    /// A bill was still not ready (WeChat Pay `STATEMENT_CREATING`, gateway `C12`) when the wait
    /// for it ran out; run again later.
    case billsNotReady = 5
    /// Another order-recon held the store's lock for longer than the lock wait (the cron wrapper
    /// exits with the same code when another run holds its own lock).
    case locked = 6
    /// The run finished and saved its results, but some merchant's provider could not be reached
    /// (every call failed to connect): its pending items were not queried.
    case providerUnreachable = 7
    /// `order-recon report`: a shard has not saved the day yet; run it, then report again.
    case incomplete = 8
}
