/// The state of an order in the merchant's store.
public enum OrderStatus: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
    /// Created; the outcome of the payment is not known yet.
    case pending = "PENDING"
    /// Paid.
    case paid = "PAID"
    /// Closed without payment.
    case closed = "CLOSED"
    /// The payment failed.
    case failed = "FAILED"
    /// Paid, then refunded in full.
    case refunded = "REFUNDED"
    /// Paid, then refunded in part.
    case partiallyRefunded = "PARTIALLY_REFUNDED"

    /// `true` when the customer's money was taken, whatever happened after.
    public var isPaid: Bool {
        switch self {
        case .paid, .refunded, .partiallyRefunded: true
        case .pending, .closed, .failed: false
        }
    }

    public static func < (lhs: OrderStatus, rhs: OrderStatus) -> Bool { lhs.index < rhs.index }

    /// The position in ``allCases``, for counting in arrays.
    var index: Int {
        switch self {
        case .pending: 0
        case .paid: 1
        case .closed: 2
        case .failed: 3
        case .refunded: 4
        case .partiallyRefunded: 5
        }
    }
}
