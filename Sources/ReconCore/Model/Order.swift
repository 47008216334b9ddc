/// An order as the merchant's store records it: one row of the `orders` table.
public struct Order: Hashable, Sendable {
    /// The merchant's order number; for a combine payment, the sub-order's number.
    public var outTradeNo: String
    /// The parent combine order of a sub-order, `nil` for an ordinary order.
    public var combineOutTradeNo: String?
    /// The merchant account that took the payment.
    public var merchant: MerchantRef
    /// The order amount.
    public var amount: Money
    /// The local state.
    public var status: OrderStatus
    /// The provider's answer to the payment call when it was not a success (`E02`, `SYSTEM_ERROR`, …).
    public var lastErrorCode: String?
    /// The provider's transaction id, when known.
    public var providerTransactionID: String?
    /// When the order was created.
    public var createdAt: Timestamp
    /// When the payment succeeded, if it did.
    public var paidAt: Timestamp?
    /// When the row last changed, when it was read.
    public var updatedAt: Timestamp?

    /// Creates an order.
    public init(
        outTradeNo: String, combineOutTradeNo: String? = nil, merchant: MerchantRef, amount: Money,
        status: OrderStatus, lastErrorCode: String? = nil, providerTransactionID: String? = nil,
        createdAt: Timestamp, paidAt: Timestamp? = nil, updatedAt: Timestamp? = nil
    ) {
        self.outTradeNo = outTradeNo
        self.combineOutTradeNo = combineOutTradeNo
        self.merchant = merchant
        self.amount = amount
        self.status = status
        self.lastErrorCode = lastErrorCode
        self.providerTransactionID = providerTransactionID
        self.createdAt = createdAt
        self.paidAt = paidAt
        self.updatedAt = updatedAt
    }

    /// The time that places the order in a day: when it was paid, or else when it was created.
    public var effectiveTime: Timestamp { paidAt ?? createdAt }
}
