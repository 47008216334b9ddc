/// The state of a refund in the merchant's store.
public enum RefundStatus: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
    /// Requested; the outcome is not known yet.
    case pending = "PENDING"
    /// The money went back to the customer.
    case success = "SUCCESS"
    /// The refund failed.
    case failed = "FAILED"

    public static func < (lhs: RefundStatus, rhs: RefundStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
