/// An order or refund the job asks the provider about, with the reason.
public struct PendingItem: Hashable, Sendable {
    /// What is asked about.
    public enum Subject: Hashable, Sendable {
        /// An order (for a combine payment, one sub-order).
        case order(Order)
        /// A refund.
        case refund(Refund)
    }

    /// The order or refund.
    public var subject: Subject
    /// Why it is asked about.
    public var reason: PendingReason

    /// Creates an item.
    public init(_ subject: Subject, reason: PendingReason) {
        self.subject = subject
        self.reason = reason
    }

    /// The merchant account it belongs to.
    public var merchant: MerchantRef {
        switch subject {
        case .order(let order): order.merchant
        case .refund(let refund): refund.merchant
        }
    }

    /// The key it is asked about by: the refund's `out_refund_no`, else the order's `out_trade_no`.
    public var key: String {
        switch subject {
        case .order(let order): order.outTradeNo
        case .refund(let refund): refund.outRefundNo
        }
    }

    /// Whether it is a refund.
    public var isRefund: Bool {
        if case .refund = subject { return true }
        return false
    }

    /// The store's state, as text.
    public var localStatus: String {
        switch subject {
        case .order(let order): order.status.rawValue
        case .refund(let refund): refund.status.rawValue
        }
    }

    /// The order the query is about: the order itself, or the refund's order.
    public var outTradeNo: String {
        switch subject {
        case .order(let order): order.outTradeNo
        case .refund(let refund): refund.outTradeNo
        }
    }

    /// The order in which items are listed and queried: by merchant, orders before refunds, then key.
    public static func listOrder(_ lhs: PendingItem, _ rhs: PendingItem) -> Bool {
        if lhs.merchant != rhs.merchant { return lhs.merchant < rhs.merchant }
        if lhs.isRefund != rhs.isRefund { return !lhs.isRefund }
        return lhs.key < rhs.key
    }
}
