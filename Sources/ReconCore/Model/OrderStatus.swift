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

    public static func < (lhs: OrderStatus, rhs: OrderStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
