/// What one side (the store or the bill) says about the order or refund of a discrepancy.
public struct Observation: Hashable, Sendable, Codable {
    /// The amount that side records.
    public var amount: Money? {
        get { box.fields.amount }
        set { unique().fields.amount = newValue }
    }
    /// The state that side records (`PAID`, `SUCCESS`, `REFUND/PROCESSING`, …).
    public var status: String? {
        get { box.fields.status }
        set { unique().fields.status = newValue }
    }
    /// When that side says it happened.
    public var time: Timestamp? {
        get { box.fields.time }
        set { unique().fields.time = newValue }
    }
    /// The provider's transaction id.
    public var transactionID: String? {
        get { box.fields.transactionID }
        set { unique().fields.transactionID = newValue }
    }
    /// The provider code the store recorded for the last call, if any.
    public var lastErrorCode: String? {
        get { box.fields.lastErrorCode }
        set { unique().fields.lastErrorCode = newValue }
    }
    /// The merchant account that side names.
    public var merchant: MerchantRef? {
        get { box.fields.merchant }
        set { unique().fields.merchant = newValue }
    }
    /// The bill rows involved (file and line), in order.
    public var locations: [SourceLocation] {
        get { box.fields.locations }
        set { unique().fields.locations = newValue }
    }

    /// The values, shared by copies until one of them changes: a discrepancy holds up to three
    /// observations and is copied as a day's findings are merged, sorted and reported, so each
    /// copy moves one reference instead of every field.
    private var box: Box

    /// Creates an observation.
    public init(
        amount: Money? = nil, status: String? = nil, time: Timestamp? = nil, transactionID: String? = nil,
        lastErrorCode: String? = nil, merchant: MerchantRef? = nil, locations: [SourceLocation] = []
    ) {
        box = Box(
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
    private struct Fields: Hashable, Codable {
        var amount: Money?
        var status: String?
        var time: Timestamp?
        var transactionID: String?
        var lastErrorCode: String?
        var merchant: MerchantRef?
        var locations: [SourceLocation]
    }

    /// The shared storage. Changed only through an observation that holds the sole reference.
    private final class Box: @unchecked Sendable {
        var fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    /// The storage, copied first when another observation shares it.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    public static func == (lhs: Observation, rhs: Observation) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }

    public init(from decoder: any Decoder) throws {
        box = Box(try Fields(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try box.fields.encode(to: encoder)
    }
}
