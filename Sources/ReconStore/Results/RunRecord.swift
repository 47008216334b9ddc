import ReconCore

/// The job's result for one merchant on one day, as kept in the store.
public struct RunRecord: Sendable {
    /// The merchant reconciled.
    public var merchant: MerchantRef
    /// The day reconciled.
    public var day: CivilDate
    /// The run that produced it.
    public var runID: String
    /// When the run started.
    public var startedAt: Timestamp
    /// When the run finished.
    public var finishedAt: Timestamp
    /// The bill files read, as JSON (`[{"path": …, "sha256": …}]`).
    public var billsJSON: String
    /// Counts and totals, as JSON.
    public var summaryJSON: String
    /// The merchant's discrepancies for the day.
    public var discrepancies: [Discrepancy]

    /// Creates a record.
    public init(
        merchant: MerchantRef, day: CivilDate, runID: String, startedAt: Timestamp, finishedAt: Timestamp,
        billsJSON: String, summaryJSON: String, discrepancies: [Discrepancy]
    ) {
        self.merchant = merchant
        self.day = day
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.billsJSON = billsJSON
        self.summaryJSON = summaryJSON
        self.discrepancies = discrepancies
    }
}

/// A discrepancy as read back from the store.
public struct StoredDiscrepancy: Hashable, Sendable {
    /// The stable id.
    public var id: String
    /// The merchant.
    public var merchant: MerchantRef
    /// The day.
    public var day: CivilDate
    /// The kind.
    public var kind: String
    /// The refund, order or combine order number.
    public var subject: String
    /// Bill minus store, in minor units.
    public var differenceMinor: Int64?
}

/// One row of the audit of changes `--apply` made.
public struct AuditRow: Hashable, Sendable {
    public var runID: String
    public var at: String
    public var actor: String
    public var table: String
    public var key: String
    public var oldStatus: String?
    public var newStatus: String
    /// The columns changed, before, as JSON.
    public var oldValues: String
    /// The columns changed, after, as JSON.
    public var newValues: String
    public var evidence: String
}
