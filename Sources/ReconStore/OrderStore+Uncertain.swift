import ReconCore

extension OrderStore {
    /// The keys that appear more than once in `keys`, which come sorted.
    static func repeated(_ keys: [String]) -> [String] {
        zip(keys, keys.dropFirst()).compactMap { $0 == $1 ? $0 : nil }
    }

    /// The orders and refunds of a merchant in a time range that may need a query: those whose
    /// status is PENDING or whose `last_error_code` is set. ``PendingSelector`` makes the final
    /// choice from the codes' categories.
    ///
    /// Orders are placed by the time that places them in a day (paid, else created), refunds by
    /// their creation time. Both come in key order.
    /// - Parameter range: Epoch seconds, as ``PendingSelector/range(for:)`` gives.
    public func uncertain(of merchant: MerchantRef, in range: Range<Int64>) throws -> (orders: [Order], refunds: [Refund]) {
        try wrap {
            let orderCode = optional("last_error_code", in: orderColumns)
            let orders = try database.prepare(
                """
                SELECT \(orderSelectList) FROM orders
                WHERE provider = ?1 AND merchant_id = ?2
                  AND unixepoch(coalesce(paid_at, created_at)) >= ?3 AND unixepoch(coalesce(paid_at, created_at)) < ?4
                  AND \(StoreSchema.uncertain(status: "status", lastErrorCode: orderCode))
                ORDER BY out_trade_no
                """)
            let search = searchRange(range)
            let bindings: [SQLiteValue] = [
                .text(merchant.provider.rawValue), .text(merchant.merchantID), .integer(search.lowerBound),
                .integer(search.upperBound),
            ]
            try orders.bind(bindings)
            let foundOrders = try decodeRows(orders, placedIn: range, by: [5, 4]) {
                try $0.orderWithMerchant($1)
            }

            let refundCode = optional("r.last_error_code", in: refundColumns)
            let refunds = try database.prepare(
                """
                SELECT \(refundSelectList) FROM refunds r JOIN orders o ON o.out_trade_no = r.out_trade_no
                WHERE o.provider = ?1 AND o.merchant_id = ?2
                  AND unixepoch(r.created_at) >= ?3 AND unixepoch(r.created_at) < ?4
                  AND \(StoreSchema.uncertain(status: "r.status", lastErrorCode: refundCode))
                ORDER BY r.out_refund_no
                """)
            try refunds.bind(bindings)
            let foundRefunds = try decodeRows(refunds, placedIn: range, by: [5]) {
                try $0.refundWithMerchant($1)
            }
            try checkUnique(
                outTradeNos: Self.repeated(foundOrders.map(\.outTradeNo)), outRefundNos: Self.repeated(foundRefunds.map(\.outRefundNo)))
            return (foundOrders, foundRefunds)
        }
    }
}
