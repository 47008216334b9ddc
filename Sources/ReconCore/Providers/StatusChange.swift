/// A change `--apply` makes to one order or refund: its final state from a trusted query answer.
///
/// It carries the row as the job read it before querying, so the store can skip a row that
/// changed since, and the evidence the audit keeps.
public struct StatusChange: Hashable, Sendable, Codable {
    /// The merchant's table the row is in.
    public enum Table: String, Hashable, Sendable, Codable {
        case orders, refunds
    }

    /// The table.
    public var table: Table
    /// `out_trade_no` or `out_refund_no`.
    public var key: String
    /// The merchant.
    public var merchant: MerchantRef
    /// The status read before the query.
    public var expectedStatus: String
    /// The `last_error_code` read before the query.
    public var expectedLastErrorCode: String?
    /// The `updated_at` read before the query (orders), if the store keeps one.
    public var expectedUpdatedAt: Timestamp?
    /// The status to write.
    public var newStatus: String
    /// For an order that turned out paid: when, to fill an empty `paid_at`; for a refund that
    /// succeeded, to fill an empty `succeeded_at`.
    public var movedAt: Timestamp?
    /// The provider's transaction id, to fill an empty `provider_txn_id`.
    public var transactionID: String?
    /// What justifies the change, for the audit: the provider's answer and the request.
    public var evidence: String

    /// Creates a change.
    public init(
        table: Table, key: String, merchant: MerchantRef, expectedStatus: String, expectedLastErrorCode: String?,
        expectedUpdatedAt: Timestamp?, newStatus: String, movedAt: Timestamp?, transactionID: String?, evidence: String
    ) {
        self.table = table
        self.key = key
        self.merchant = merchant
        self.expectedStatus = expectedStatus
        self.expectedLastErrorCode = expectedLastErrorCode
        self.expectedUpdatedAt = expectedUpdatedAt
        self.newStatus = newStatus
        self.movedAt = movedAt
        self.transactionID = transactionID
        self.evidence = evidence
    }

    /// The changes the day's answers justify: each `pending_resolved` item whose answer the bill
    /// does not contradict (no `provider_conflict` for it).
    public static func changes(
        for discrepancies: [Discrepancy], outcomes: [QueryOutcome], requestIDs: [String: String] = [:]
    ) -> [StatusChange] {
        let conflicted = Set(discrepancies.filter { $0.kind == .providerConflict }.map(\.subject))
        let resolved = Dictionary(
            discrepancies.filter { $0.kind == .pendingResolved }.map { ($0.subject, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [StatusChange] = []
        for outcome in outcomes {
            let item = outcome.item
            guard let discrepancy = resolved[item.key], !conflicted.contains(item.key), let answer = outcome.answer,
                let newStatus = discrepancy.suggestedStatus
            else { continue }
            let request = requestIDs[item.key].map { ", request \($0)" } ?? ""
            let evidence = "\(item.merchant) answered \(answer.providerWord)"
                + (answer.amount.map { " \($0)" } ?? "") + (answer.transactionID.map { " transaction \($0)" } ?? "")
                + request + " (\(item.reason))"
            switch item.subject {
            case .order(let order):
                changes.append(
                    StatusChange(
                        table: .orders, key: order.outTradeNo, merchant: item.merchant, expectedStatus: order.status.rawValue,
                        expectedLastErrorCode: order.lastErrorCode, expectedUpdatedAt: order.updatedAt, newStatus: newStatus,
                        movedAt: answer.state == .paid ? answer.time : nil,
                        transactionID: answer.state == .paid ? answer.transactionID : nil, evidence: evidence))
            case .refund(let refund):
                changes.append(
                    StatusChange(
                        table: .refunds, key: refund.outRefundNo, merchant: item.merchant, expectedStatus: refund.status.rawValue,
                        expectedLastErrorCode: refund.lastErrorCode, expectedUpdatedAt: nil, newStatus: newStatus,
                        movedAt: answer.state == .refundSucceeded ? answer.time : nil, transactionID: nil, evidence: evidence))
            }
        }
        return changes.sorted { ($0.table.rawValue, $0.key) < ($1.table.rawValue, $1.key) }
    }
}

/// What became of one ``StatusChange``.
public struct AppliedChange: Hashable, Sendable, Codable {
    /// The change.
    public var change: StatusChange
    /// Why it was not written, or `nil` when it was.
    public var skipped: String?

    /// Creates a result.
    public init(change: StatusChange, skipped: String?) {
        self.change = change
        self.skipped = skipped
    }
}
