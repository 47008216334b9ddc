/// What one side (the store or the bill) says about the order or refund of a discrepancy.
public struct Observation: Hashable, Sendable, Codable {
    /// The amount that side records.
    public var amount: Money? {
        get { shared.value.amount }
        set { shared.value.amount = newValue }
    }
    /// The state that side records (`PAID`, `SUCCESS`, `REFUND/PROCESSING`, …).
    public var status: String? {
        get { shared.value.status }
        set { shared.value.status = newValue }
    }
    /// When that side says it happened.
    public var time: Timestamp? {
        get { shared.value.time }
        set { shared.value.time = newValue }
    }
    /// The provider's transaction id.
    public var transactionID: String? {
        get { shared.value.transactionID }
        set { shared.value.transactionID = newValue }
    }
    /// The provider code the store recorded for the last call, if any.
    public var lastErrorCode: String? {
        get { shared.value.lastErrorCode }
        set { shared.value.lastErrorCode = newValue }
    }
    /// The merchant account that side names.
    public var merchant: MerchantRef? {
        get { shared.value.merchant }
        set { shared.value.merchant = newValue }
    }
    /// The bill rows involved (file and line), in order.
    public var locations: [SourceLocation] {
        get { shared.value.locations }
        set { shared.value.locations = newValue }
    }

    /// The values, shared by copies until one of them changes: a discrepancy holds up to three
    /// observations.
    private var shared: SharedValue<Fields>

    /// Creates an observation.
    public init(
        amount: Money? = nil, status: String? = nil, time: Timestamp? = nil, transactionID: String? = nil,
        lastErrorCode: String? = nil, merchant: MerchantRef? = nil, locations: [SourceLocation] = []
    ) {
        shared = SharedValue(
            Fields(
                amount: amount, status: status, time: time, transactionID: transactionID, lastErrorCode: lastErrorCode,
                merchant: merchant, locations: locations))
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

extension Observation {
    /// The values themselves; their names are the observation's `Codable` keys.
    private struct Fields: Hashable, Codable, Sendable {
        var amount: Money?
        var status: String?
        var time: Timestamp?
        var transactionID: String?
        var lastErrorCode: String?
        var merchant: MerchantRef?
        var locations: [SourceLocation]
    }

    public init(from decoder: any Decoder) throws {
        shared = try SharedValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try shared.encode(to: encoder)
    }
}
