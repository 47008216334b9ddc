/// The store rows the matcher needs after reading the bills: orders and refunds the bills name
/// that were not in the day's window, and every sub-order of the day's combine payments.
public struct LookupRequest: Hashable, Sendable {
    /// Orders to fetch by `out_trade_no`.
    public var outTradeNos: [String]
    /// Refunds to fetch by `out_refund_no`.
    public var outRefundNos: [String]
    /// Combine orders whose sub-orders to fetch by `combine_out_trade_no`.
    public var combineOutTradeNos: [String]

    /// Creates a request.
    public init(outTradeNos: [String] = [], outRefundNos: [String] = [], combineOutTradeNos: [String] = []) {
        self.outTradeNos = outTradeNos
        self.outRefundNos = outRefundNos
        self.combineOutTradeNos = combineOutTradeNos
    }

    /// `true` when nothing needs fetching.
    public var isEmpty: Bool { outTradeNos.isEmpty && outRefundNos.isEmpty && combineOutTradeNos.isEmpty }
}

/// The store's answer to a ``LookupRequest``. Keys the store does not have are simply absent.
public struct LookupResult: Sendable {
    /// Orders found, by `out_trade_no`.
    public var orders: [String: Order]
    /// Refunds found, by `out_refund_no`.
    public var refunds: [String: Refund]
    /// Sub-orders found, by `combine_out_trade_no`.
    public var combineMembers: [String: [Order]]

    /// Creates a result from the rows found.
    public init(orders: [Order] = [], refunds: [Refund] = [], combineMembers: [Order] = []) {
        self.orders = Dictionary(orders.map { ($0.outTradeNo, $0) }, uniquingKeysWith: { first, _ in first })
        self.refunds = Dictionary(refunds.map { ($0.outRefundNo, $0) }, uniquingKeysWith: { first, _ in first })
        self.combineMembers = Dictionary(grouping: combineMembers.filter { $0.combineOutTradeNo != nil }) {
            $0.combineOutTradeNo!
        }
    }

    /// Adds what a lookup of other keys found; a key found by both keeps this result's rows.
    public mutating func merge(_ other: LookupResult) {
        // Sized for both at once: the halves of a day's lookup hold tens of thousands of rows each.
        orders.reserveCapacity(orders.count + other.orders.count)
        refunds.reserveCapacity(refunds.count + other.refunds.count)
        orders.merge(other.orders) { mine, _ in mine }
        refunds.merge(other.refunds) { mine, _ in mine }
        combineMembers.merge(other.combineMembers) { mine, _ in mine }
    }
}
