/// What one side (the store or the bill) says about the order or refund of a discrepancy.
public struct Observation: Hashable, Sendable, Codable {
    /// The amount that side records.
    public var amount: Money?
    /// The state that side records (`PAID`, `SUCCESS`, `REFUND/PROCESSING`, …).
    public var status: String?
    /// When that side says it happened.
    public var time: Timestamp?
    /// The provider's transaction id.
    public var transactionID: String?
    /// The provider code the store recorded for the last call, if any.
    public var lastErrorCode: String?
    /// The merchant account that side names.
    public var merchant: MerchantRef?
    /// The bill rows involved (file and line), in order.
    public var locations: [SourceLocation]

    /// Creates an observation.
    public init(
        amount: Money? = nil, status: String? = nil, time: Timestamp? = nil, transactionID: String? = nil,
        lastErrorCode: String? = nil, merchant: MerchantRef? = nil, locations: [SourceLocation] = []
    ) {
        self.amount = amount
        self.status = status
        self.time = time
        self.transactionID = transactionID
        self.lastErrorCode = lastErrorCode
        self.merchant = merchant
        self.locations = locations
    }

    /// The store's view of an order.
    public init(_ order: Order) {
        self.init(
            amount: order.amount, status: order.status.rawValue, time: order.effectiveTime,
            transactionID: order.providerTransactionID, lastErrorCode: order.lastErrorCode, merchant: order.merchant)
    }

    /// The store's view of a refund.
    public init(_ refund: Refund) {
        self.init(
            amount: refund.amount, status: refund.status.rawValue, time: refund.createdAt,
            lastErrorCode: refund.lastErrorCode, merchant: refund.merchant)
    }

    /// The bill's view of one or more rows; the first row gives the values.
    public init(_ entries: [BillEntry]) {
        let first = entries[0]
        self.init(
            amount: first.amount, status: first.providerStatus, time: first.time, transactionID: first.transactionID,
            merchant: first.merchant, locations: entries.map(\.location))
    }
}
