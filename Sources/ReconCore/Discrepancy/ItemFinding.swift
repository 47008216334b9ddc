/// A finding about one order, refund or combine order of a merchant's day: a discrepancy, or the
/// open item that carries it from run to run. Both name their subject and are listed the same way.
public protocol ItemFinding {
    /// The day the finding belongs to.
    var day: CivilDate { get }
    /// The merchant account.
    var merchant: MerchantRef { get }
    /// The kind of disagreement.
    var kind: DiscrepancyKind { get }
    /// The order concerned, if any.
    var outTradeNo: String? { get }
    /// The refund concerned, if any.
    var outRefundNo: String? { get }
    /// The combine order concerned, if any.
    var combineOutTradeNo: String? { get }
}

extension ItemFinding {
    /// The key the finding is about: the refund, else the order, else the combine order.
    public var subject: String { outRefundNo ?? outTradeNo ?? combineOutTradeNo ?? "" }

    /// The order findings are listed in: by day, merchant, subject, then kind.
    public static func listOrder(_ lhs: Self, _ rhs: Self) -> Bool {
        listedBefore(lhs, subject: lhs.subject, rhs, subject: rhs.subject)
    }

    /// ``listOrder(_:_:)`` with the subjects already at hand.
    @inline(__always)
    static func listedBefore(_ lhs: Self, subject lhsSubject: String, _ rhs: Self, subject rhsSubject: String) -> Bool {
        if lhs.day != rhs.day { return lhs.day < rhs.day }
        if lhs.merchant != rhs.merchant { return lhs.merchant < rhs.merchant }
        if lhsSubject != rhsSubject { return lhsSubject < rhsSubject }
        return lhs.kind < rhs.kind
    }
}
