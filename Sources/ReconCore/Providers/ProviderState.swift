/// What a provider's order or refund query says, in the job's words.
///
/// Each provider's own words map to one of these (WeChat Pay's `NOTPAY` and `USERPAYING` are
/// ``pending``, `REVOKED` is ``closed``, …). A word the job does not know maps to none: such an
/// answer is unknown, and an unknown answer never overwrites a known state.
public enum ProviderState: String, CaseIterable, Hashable, Sendable, Codable {
    /// The money was taken (also when refunds followed).
    case paid = "PAID"
    /// Not final yet: waiting for the payer or the bank.
    case pending = "PENDING"
    /// Closed or revoked without payment.
    case closed = "CLOSED"
    /// The payment failed.
    case failed = "FAILED"
    /// The provider does not know the order or refund.
    case notFound = "NOT_FOUND"
    /// The refund reached the payer.
    case refundSucceeded = "REFUND_SUCCESS"
    /// The refund is under way.
    case refundProcessing = "REFUND_PROCESSING"
    /// The refund was closed or failed; the money stayed with the merchant.
    case refundFailed = "REFUND_FAILED"

    /// Whether the state can still change.
    public var isFinal: Bool {
        switch self {
        case .pending, .refundProcessing: false
        case .paid, .closed, .failed, .notFound, .refundSucceeded, .refundFailed: true
        }
    }

    /// Whether the state says money moved (taken, or given back).
    public var movedMoney: Bool { self == .paid || self == .refundSucceeded }

    /// The local order status this state suggests, for a final state of an order.
    public var suggestedOrderStatus: OrderStatus? {
        switch self {
        case .paid: .paid
        case .closed, .notFound: .closed
        case .failed: .failed
        case .pending, .refundSucceeded, .refundProcessing, .refundFailed: nil
        }
    }

    /// The local refund status this state suggests, for a final state of a refund.
    public var suggestedRefundStatus: RefundStatus? {
        switch self {
        case .refundSucceeded: .success
        case .refundFailed, .notFound: .failed
        case .paid, .pending, .closed, .failed, .refundProcessing: nil
        }
    }
}
