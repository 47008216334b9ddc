/// What one side (the store or the bill) says about the order or refund of a discrepancy.
public struct Observation: Hashable, Sendable, Codable {
    /// The amount that side records.
    public var amount: Money? {
        get { storage.amount }
        set { mutable.amount = newValue }
    }
    /// The state that side records (`PAID`, `SUCCESS`, `REFUND/PROCESSING`, …).
    public var status: String? {
        get { storage.status }
        set { mutable.status = newValue }
    }
    /// When that side says it happened.
    public var time: Timestamp? {
        get { storage.time }
        set { mutable.time = newValue }
    }
    /// The provider's transaction id.
    public var transactionID: String? {
        get { storage.transactionID }
        set { mutable.transactionID = newValue }
    }
    /// The provider code the store recorded for the last call, if any.
    public var lastErrorCode: String? {
        get { storage.lastErrorCode }
        set { mutable.lastErrorCode = newValue }
    }
    /// The merchant account that side names.
    public var merchant: MerchantRef? {
        get { storage.merchant }
        set { mutable.merchant = newValue }
    }
    /// The bill rows involved (file and line), in order.
    public var locations: [SourceLocation] {
        get { storage.locations }
        set { mutable.locations = newValue }
    }

    /// The values, shared by copies until one of them changes: a discrepancy holds up to three
    /// observations and is copied as a day's findings are merged, sorted and reported, so each
    /// copy moves one reference instead of every field.
    private var storage: Storage

    /// The storage, copied first when another observation shares it.
    private var mutable: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    /// Creates an observation.
    public init(
        amount: Money? = nil, status: String? = nil, time: Timestamp? = nil, transactionID: String? = nil,
        lastErrorCode: String? = nil, merchant: MerchantRef? = nil, locations: [SourceLocation] = []
    ) {
        storage = Storage(
            amount: amount, status: status, time: time, transactionID: transactionID, lastErrorCode: lastErrorCode,
            merchant: merchant, locations: locations)
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
    /// The fields of an observation. Changed only through an observation that holds the sole reference.
    fileprivate final class Storage: @unchecked Sendable {
        var amount: Money?
        var status: String?
        var time: Timestamp?
        var transactionID: String?
        var lastErrorCode: String?
        var merchant: MerchantRef?
        var locations: [SourceLocation]

        init(
            amount: Money?, status: String?, time: Timestamp?, transactionID: String?, lastErrorCode: String?,
            merchant: MerchantRef?, locations: [SourceLocation]
        ) {
            self.amount = amount
            self.status = status
            self.time = time
            self.transactionID = transactionID
            self.lastErrorCode = lastErrorCode
            self.merchant = merchant
            self.locations = locations
        }

        func copy() -> Storage {
            Storage(
                amount: amount, status: status, time: time, transactionID: transactionID, lastErrorCode: lastErrorCode,
                merchant: merchant, locations: locations)
        }
    }

    public static func == (lhs: Observation, rhs: Observation) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.amount == rhs.amount && lhs.status == rhs.status && lhs.time == rhs.time
            && lhs.transactionID == rhs.transactionID && lhs.lastErrorCode == rhs.lastErrorCode && lhs.merchant == rhs.merchant
            && lhs.locations == rhs.locations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(amount)
        hasher.combine(status)
        hasher.combine(time)
        hasher.combine(transactionID)
        hasher.combine(lastErrorCode)
        hasher.combine(merchant)
        hasher.combine(locations)
    }

    /// The keys are the fields' names, as they were when the fields were stored in the value itself.
    private enum CodingKeys: String, CodingKey {
        case amount, status, time, transactionID, lastErrorCode, merchant, locations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            amount: try container.decodeIfPresent(Money.self, forKey: .amount),
            status: try container.decodeIfPresent(String.self, forKey: .status),
            time: try container.decodeIfPresent(Timestamp.self, forKey: .time),
            transactionID: try container.decodeIfPresent(String.self, forKey: .transactionID),
            lastErrorCode: try container.decodeIfPresent(String.self, forKey: .lastErrorCode),
            merchant: try container.decodeIfPresent(MerchantRef.self, forKey: .merchant),
            locations: try container.decode([SourceLocation].self, forKey: .locations))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(amount, forKey: .amount)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(time, forKey: .time)
        try container.encodeIfPresent(transactionID, forKey: .transactionID)
        try container.encodeIfPresent(lastErrorCode, forKey: .lastErrorCode)
        try container.encodeIfPresent(merchant, forKey: .merchant)
        try container.encode(locations, forKey: .locations)
    }
}
