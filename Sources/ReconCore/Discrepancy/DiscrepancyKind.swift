/// The kinds of disagreement between the local store and a provider's bill.
///
/// The raw values are the names reports and the store use. ``isAlarm`` separates the kinds that
/// need someone's attention from the ones expected to clear by themselves.
public enum DiscrepancyKind: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
    /// Local PAID in the day, no payment row in the bill.
    case missingInBill = "missing_in_bill"
    /// The bill has a successful payment for an order the store does not know: money taken for an unknown order.
    case missingLocally = "missing_locally"
    /// Both sides have the payment; the amounts differ.
    case amountMismatch = "amount_mismatch"
    /// Both sides have the payment or refund; the currencies differ.
    case currencyMismatch = "currency_mismatch"
    /// The bill and the store disagree on whether the money moved.
    case statusMismatch = "status_mismatch"
    /// The same order paid (or the same refund made) more than once in the bills.
    case duplicateInBill = "duplicate_in_bill"
    /// Local successful refund in the day, no refund row in the bill.
    case refundMissingInBill = "refund_missing_in_bill"
    /// The bill has a refund the store does not know.
    case refundMissingLocally = "refund_missing_locally"
    /// Both sides have the refund; the amounts differ.
    case refundAmountMismatch = "refund_amount_mismatch"
    /// The sub-orders of one combine payment disagree with each other.
    case combineInconsistent = "combine_inconsistent"
    /// Explained by the day boundary; expected to clear with the neighbouring day's bill.
    case timingDifference = "timing_difference"
    /// Both sides have the payment or refund, on days further apart than the boundary grace.
    case dateMismatch = "date_mismatch"
    /// The bill of one merchant account holds an order the store assigns to another.
    case merchantMismatch = "merchant_mismatch"
    /// A pending or uncertain item whose query gave a final state that differs from the store's:
    /// the suggested fix.
    case pendingResolved = "pending_resolved"
    /// A pending or uncertain item still unknown after the query budget, or still pending at the
    /// provider past its expiry.
    case pendingUnresolved = "pending_unresolved"
    /// The order query and the bill disagree.
    case providerConflict = "provider_conflict"

    /// `false` for kinds that are carried and expected to clear, rather than alarmed.
    public var isAlarm: Bool { self != .timingDifference }

    /// One line saying what the kind means, for help texts and report legends.
    public var meaning: String {
        switch self {
        case .missingInBill: "local PAID in the day, no payment row in the bill"
        case .missingLocally: "the bill has a successful payment the store does not know"
        case .amountMismatch: "both sides have the payment, the amounts differ"
        case .currencyMismatch: "both sides have the payment or refund, the currencies differ"
        case .statusMismatch: "the bill and the store disagree on whether the money moved"
        case .duplicateInBill: "the same payment or refund appears more than once in the bills"
        case .refundMissingInBill: "local successful refund in the day, no refund row in the bill"
        case .refundMissingLocally: "the bill has a refund the store does not know"
        case .refundAmountMismatch: "both sides have the refund, the amounts differ"
        case .combineInconsistent: "the sub-orders of one combine payment disagree"
        case .timingDifference: "explained by the day boundary; expected to clear with the next bill"
        case .dateMismatch: "both sides have it, on days further apart than the boundary grace"
        case .merchantMismatch: "one merchant's bill holds an order the store assigns to another merchant"
        case .pendingResolved: "a pending or uncertain item has a final state at the provider that differs from the store's"
        case .pendingUnresolved: "a pending or uncertain item is still unknown after the queries, or pending past its expiry"
        case .providerConflict: "the order query and the bill disagree"
        }
    }

    public static func < (lhs: DiscrepancyKind, rhs: DiscrepancyKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
