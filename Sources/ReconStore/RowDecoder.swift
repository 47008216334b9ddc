import ReconCore

/// Turns result rows into orders and refunds, rejecting values it cannot understand with an error
/// that names the row. Repeated values (currencies, statuses) are decoded once and reused.
struct RowDecoder {
    let path: String
    private var lastCurrencyBytes: (UInt8, UInt8, UInt8) = (0, 0, 0)
    private var lastCurrency: Currency?

    init(path: String) {
        self.path = path
    }

    /// Decodes an order row selected with the order column list; the merchant is known.
    mutating func order(_ row: SQLiteStatement, merchant: MerchantRef) throws -> Order {
        let key = row.text(0) ?? ""
        let currency = try currency(row, 2, table: "orders", key: key)
        let status = try row.withBytes(3) { bytes in
            guard let status = Self.orderStatus(bytes) else {
                throw bad("orders", key, "status", row.text(3), "one of PENDING, PAID, CLOSED, FAILED, REFUNDED, PARTIALLY_REFUNDED")
            }
            return status
        }
        let createdAt = try time(row, 4, table: "orders", key: key, column: "created_at")
        return Order(
            outTradeNo: key, combineOutTradeNo: row.text(7), merchant: merchant,
            amount: Money(minorUnits: try amount(row, 1, table: "orders", key: key), currency: currency), status: status,
            lastErrorCode: row.text(8), providerTransactionID: row.text(9), createdAt: createdAt,
            paidAt: row.isNull(5) ? nil : try time(row, 5, table: "orders", key: key, column: "paid_at"),
            updatedAt: row.isNull(6) ? nil : try time(row, 6, table: "orders", key: key, column: "updated_at"))
    }

    /// Decodes an order row whose provider and merchant follow the order columns.
    mutating func orderWithMerchant(_ row: SQLiteStatement) throws -> Order {
        try order(row, merchant: MerchantRef(provider: ProviderID(rawValue: row.text(10) ?? ""), merchantID: row.text(11) ?? ""))
    }

    /// Decodes a refund row selected with the refund column list; the merchant is known.
    mutating func refund(_ row: SQLiteStatement, merchant: MerchantRef) throws -> Refund {
        let key = row.text(0) ?? ""
        let currency = try currency(row, 3, table: "orders", key: row.text(1) ?? key)
        let status = try row.withBytes(4) { bytes in
            guard let status = RefundStatus(rawValue: String(decoding: bytes, as: UTF8.self)) else {
                throw bad("refunds", key, "status", row.text(4), "one of PENDING, SUCCESS, FAILED")
            }
            return status
        }
        return Refund(
            outRefundNo: key, outTradeNo: row.text(1) ?? "", merchant: merchant,
            amount: Money(minorUnits: try amount(row, 2, table: "refunds", key: key), currency: currency),
            status: status, lastErrorCode: row.text(7),
            createdAt: try time(row, 5, table: "refunds", key: key, column: "created_at"),
            succeededAt: row.isNull(6) ? nil : try time(row, 6, table: "refunds", key: key, column: "succeeded_at"))
    }

    /// Decodes a refund row whose order's provider and merchant follow the refund columns.
    mutating func refundWithMerchant(_ row: SQLiteStatement) throws -> Refund {
        try refund(row, merchant: MerchantRef(provider: ProviderID(rawValue: row.text(8) ?? ""), merchantID: row.text(9) ?? ""))
    }

    private func amount(_ row: SQLiteStatement, _ column: Int32, table: String, key: String) throws -> Int64 {
        guard row.isInteger(column), let value = row.int64(column) else {
            throw bad(table, key, "amount_minor", row.text(column), "an INTEGER count of minor units (1234 for 12.34)")
        }
        return value
    }

    private mutating func currency(_ row: SQLiteStatement, _ column: Int32, table: String, key: String) throws -> Currency {
        try row.withBytes(column) { bytes in
            if bytes.count == 3, let last = lastCurrency, (bytes[0], bytes[1], bytes[2]) == lastCurrencyBytes {
                return last
            }
            guard let currency = Currency(code: String(decoding: bytes, as: UTF8.self)) else {
                throw bad(table, key, "currency", row.text(column), "an ISO 4217 code such as CNY")
            }
            lastCurrency = currency
            lastCurrencyBytes = (bytes[0], bytes[1], bytes[2])
            return currency
        }
    }

    private func time(_ row: SQLiteStatement, _ column: Int32, table: String, key: String, column name: String) throws
        -> Timestamp
    {
        try row.withBytes(column) { bytes in
            guard let stamp = Timestamp.parseRFC3339(bytes) else {
                throw bad(table, key, name, row.text(column), OrderStore.timeExpectation)
            }
            return stamp
        }
    }

    private func bad(_ table: String, _ key: String, _ column: String, _ value: String?, _ expected: String) -> StoreError {
        .badValue(path: path, table: table, key: key, column: column, value: value ?? "NULL", expected: expected)
    }

    private static func orderStatus(_ bytes: UnsafeBufferPointer<UInt8>) -> OrderStatus? {
        switch bytes.count {
        case 4 where bytes.elementsEqual("PAID".utf8): .paid
        case 6 where bytes.elementsEqual("CLOSED".utf8): .closed
        case 6 where bytes.elementsEqual("FAILED".utf8): .failed
        case 7 where bytes.elementsEqual("PENDING".utf8): .pending
        case 8 where bytes.elementsEqual("REFUNDED".utf8): .refunded
        default: OrderStatus(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }
}
