/// A refund as the merchant's store records it: one row of the `refunds` table.
///
/// A partial refund is one of several refunds of the same order, each with its own `outRefundNo`.
public struct Refund: Hashable, Sendable {
    /// The merchant's refund number.
    public var outRefundNo: String
    /// The order being refunded.
    public var outTradeNo: String
    /// The merchant of the refunded order.
    public var merchant: MerchantRef
    /// The refund amount, in the order's currency.
    public var amount: Money
    /// The local state.
    public var status: RefundStatus
    /// The provider's answer to the refund call when it was not a success.
    public var lastErrorCode: String?
    /// When the refund was requested.
    public var createdAt: Timestamp
    /// When the refund succeeded, if it did.
    public var succeededAt: Timestamp?

    /// Creates a refund.
    public init(
        outRefundNo: String, outTradeNo: String, merchant: MerchantRef, amount: Money, status: RefundStatus,
        lastErrorCode: String? = nil, createdAt: Timestamp, succeededAt: Timestamp? = nil
    ) {
        self.outRefundNo = outRefundNo
        self.outTradeNo = outTradeNo
        self.merchant = merchant
        self.amount = amount
        self.status = status
        self.lastErrorCode = lastErrorCode
        self.createdAt = createdAt
        self.succeededAt = succeededAt
    }
}
