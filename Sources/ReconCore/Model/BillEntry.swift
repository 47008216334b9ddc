/// One payment or refund row of a provider's trade bill, with its amounts already exact.
public struct BillEntry: Hashable, Sendable {
    /// Whether a row records a payment or a refund.
    public enum Kind: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
        /// A payment of an order.
        case payment
        /// A refund of an order; a partial refund is one of several refund rows.
        case refund

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs == .payment && rhs == .refund }
    }

    /// What the provider says happened to the transaction of a row.
    public enum Status: String, CaseIterable, Hashable, Sendable, Codable {
        /// The payment or refund succeeded.
        case success
        /// The refund was accepted and is still being processed.
        case processing
        /// The payment succeeded and was then revoked (WeChat Pay `REVOKED`).
        case revoked
        /// The payment or refund failed.
        case failed
        /// The payment was closed without money moving.
        case closed
        /// The refund could not reach the customer and needs handling (WeChat Pay `CHANGE`).
        case abnormal

        /// `true` when the row means the money moved (or, for a refund, is on its way).
        public func movesMoney(for kind: Kind) -> Bool {
            switch (kind, self) {
            case (.payment, .success), (.refund, .success), (.refund, .processing): true
            default: false
            }
        }
    }

    /// Payment or refund.
    public var kind: Kind
    /// The row's outcome.
    public var status: Status
    /// The status as the bill printed it, for reports (`SUCCESS`, `REFUND/PROCESSING`, …).
    public var providerStatus: String
    /// The merchant whose bill holds the row.
    public var merchant: MerchantRef
    /// The merchant's order number (for a refund, of the refunded order), kept in the row itself
    /// (see ``InlineText``).
    public var outTradeText: InlineText
    /// The merchant's refund number; set on refund rows only.
    public var outRefundText: InlineText?
    /// The provider's transaction id.
    public var transactionText: InlineText?
    /// The order amount of a payment, or the requested amount of a refund.
    public var amount: Money
    /// When the payment succeeded, or when the refund was initiated.
    public var time: Timestamp
    /// Where the row is.
    public var location: SourceLocation

    /// The merchant's order number (for a refund, of the refunded order).
    public var outTradeNo: String {
        get { outTradeText.string }
        set { outTradeText = InlineText(newValue) }
    }

    /// The merchant's refund number; set on refund rows only.
    public var outRefundNo: String? {
        get { outRefundText?.string }
        set { outRefundText = newValue.map(InlineText.init) }
    }

    /// The provider's transaction id.
    public var transactionID: String? {
        get { transactionText?.string }
        set { transactionText = newValue.map(InlineText.init) }
    }

    /// The key the row is matched on: the refund number for refunds, the order number otherwise.
    public var matchKey: String { matchText.string }

    /// ``matchKey`` as it is kept in the row.
    public var matchText: InlineText { kind == .refund ? (outRefundText ?? outTradeText) : outTradeText }
}

// The initializers live here, out of the type's body, so that the type keeps its memberwise
// initializer, which they build each entry with. An initializer that sets the fields one by one
// builds the entry aside, and the optimizer then copies it out, retaining each of its strings,
// and releases what it built: one more retain and release of each string for every bill row.
extension BillEntry {
    /// Creates a bill entry.
    public init(
        kind: Kind, status: Status, providerStatus: String? = nil, merchant: MerchantRef, outTradeNo: String,
        outRefundNo: String? = nil, transactionID: String? = nil, amount: Money, time: Timestamp,
        location: SourceLocation
    ) {
        self.init(
            kind: kind, status: status, providerStatus: providerStatus, merchant: merchant,
            outTradeText: InlineText(outTradeNo), outRefundText: outRefundNo.map(InlineText.init),
            transactionText: transactionID.map(InlineText.init), amount: amount, time: time, location: location)
    }

    /// Creates a bill entry whose numbers are already ``InlineText``.
    public init(
        kind: Kind, status: Status, providerStatus: String? = nil, merchant: MerchantRef, outTradeText: InlineText,
        outRefundText: InlineText? = nil, transactionText: InlineText?, amount: Money, time: Timestamp,
        location: SourceLocation
    ) {
        self = BillEntry(
            kind: kind, status: status, providerStatus: providerStatus ?? status.rawValue.uppercased(), merchant: merchant,
            outTradeText: outTradeText, outRefundText: outRefundText, transactionText: transactionText, amount: amount,
            time: time, location: location)
    }

    /// A stand-in for a row of which only the location is still known, with another row's values.
    init(placeholderAt location: SourceLocation, like other: BillEntry) {
        self = other
        self.location = location
    }
}
