import ReconCore

/// Turns result rows into orders and refunds, rejecting values it cannot understand with an error
/// that names the row. Each column is fetched from the store once; when a digest is kept, the same
/// bytes feed it. Repeated values (currencies) are decoded once and reused.
struct RowDecoder {
    let path: String
    /// Receives the bytes of every row decoded, when given.
    private let digest: StoreDigest?
    /// Keeps the bytes of every row decoded, when given, for a digest known only later.
    private let recorder: RowRecorder?
    /// The zone times without an offset are read in; `nil` refuses them.
    private let naiveTimeZone: ZoneRules?
    /// The providers' merchant-id rules.
    private let providers: ProviderDirectory
    private var currencies = CurrencyCodes()
    private var dates = DateCache()

    init(
        path: String, digest: StoreDigest? = nil, recorder: RowRecorder? = nil, naiveTimeZone: ZoneRules?,
        providers: ProviderDirectory
    ) {
        self.path = path
        self.providers = providers
        self.digest = digest
        self.recorder = recorder
        self.naiveTimeZone = naiveTimeZone
    }

    /// An order row's values, checked; the order number and the columns most rows leave NULL as
    /// the row's bytes, valid until the next step. Holding no strings, a row is freed with nothing
    /// to release: each column becomes a `String` only where it is kept.
    private struct OrderRow {
        var key: UnsafeBufferPointer<UInt8>
        var amount: Money
        var status: OrderStatus
        var createdAt: Timestamp
        var paidAt: Timestamp?
        var updatedAt: Timestamp?
        var combineOutTradeNo: UnsafeBufferPointer<UInt8>?
        var lastErrorCode: UnsafeBufferPointer<UInt8>?
        var providerTransactionID: UnsafeBufferPointer<UInt8>?

        /// The order number as text (checked to be UTF-8, so the text is its bytes).
        var keyText: String { String(decoding: key, as: UTF8.self) }
    }

    /// Decodes an order row selected with the order column list; the merchant is known.
    mutating func order(_ row: some StoreRow, merchant: MerchantRef) throws -> Order {
        let values = try orderRow(row)
        return Order(
            outTradeNo: values.keyText, combineOutTradeNo: string(values.combineOutTradeNo), merchant: merchant,
            amount: values.amount, status: values.status, lastErrorCode: string(values.lastErrorCode),
            providerTransactionID: string(values.providerTransactionID), createdAt: values.createdAt, paidAt: values.paidAt,
            updatedAt: values.updatedAt)
    }

    /// Decodes an order row selected with the order column list onto the end of `table`; the
    /// merchant is known. The order number's bytes go from SQLite to the table without a `String`
    /// in between.
    mutating func order(_ row: some StoreRow, merchant: MerchantRef, into table: inout OrderTable) throws {
        let values = try orderRow(row)
        table.append(
            key: values.key, merchant: merchant, amount: values.amount, status: values.status, createdAt: values.createdAt,
            paidAt: values.paidAt, combineOutTradeNo: string(values.combineOutTradeNo),
            lastErrorCode: string(values.lastErrorCode), providerTransactionID: string(values.providerTransactionID),
            updatedAt: values.updatedAt)
    }

    /// Checks the bytes of a number (an order's, a refund's or a transaction's) in `column` of
    /// `table`'s row `key`: at most ``NumberRule/maximumBytes`` long, and UTF-8. Numbers are
    /// compared and reported as text, so two numbers that differed only in bytes that are not UTF-8
    /// would read as one; the row is refused instead, naming its bytes. NULL, which most optional
    /// numbers of most rows are (and every transaction id of the day's read), costs no call.
    @inline(__always)
    private func number(
        _ bytes: UnsafeBufferPointer<UInt8>?, table: String, key: @autoclosure () -> String, column: String
    ) throws -> UnsafeBufferPointer<UInt8>? {
        guard let bytes else { return nil }
        return try checked(number: bytes, table: table, key: key(), column: column)
    }

    /// ``number(_:table:key:column:)`` for a number that is there.
    private func checked(
        number bytes: UnsafeBufferPointer<UInt8>, table: String, key: @autoclosure () -> String, column: String
    ) throws -> UnsafeBufferPointer<UInt8> {
        guard bytes.count <= NumberRule.maximumBytes else {
            let name = key()
            throw bad(
                table, name.count > 40 ? name.prefix(40) + "…" : name, column, "\(bytes.count) bytes long", NumberRule.shape)
        }
        guard bytes.isASCII || String(validating: bytes, as: UTF8.self) != nil else {
            throw bad(
                table, key(), column,
                "bytes " + bytes.map { [$0].hexString.uppercased() }.joined(separator: " "),
                "UTF-8 text: a number that is not UTF-8 matches no bill's, and cannot be told apart from another that "
                    + "differs only in its bytes that are not UTF-8")
        }
        return bytes
    }

    /// Checks and decodes the columns of an order row, feeding the digest.
    private mutating func orderRow(_ row: some StoreRow) throws -> OrderRow {
        var isBlob = false
        let rawKey = take(row.bytes(0, isBlob: &isBlob))
        // Built only for a message: most rows never need it.
        var key: String { String(decoding: rawKey ?? UnsafeBufferPointer(start: nil, count: 0), as: UTF8.self) }
        if isBlob { throw blobNumber("orders", key, "out_trade_no", rawKey) }
        let keyBytes =
            try number(rawKey, table: "orders", key: key, column: "out_trade_no") ?? UnsafeBufferPointer(start: nil, count: 0)
        let amount = try amount(row, 1, table: "orders", key: key)
        let currency = try currency(row, 2, table: "orders", key: key)
        let statusBytes = take(row.bytes(3))
        guard let statusBytes, let status = Self.orderStatus(statusBytes) else {
            throw bad("orders", key, "status", string(statusBytes), "one of PENDING, PAID, CLOSED, FAILED, REFUNDED, PARTIALLY_REFUNDED")
        }
        let createdAt = try time(take(row.bytes(4)), table: "orders", key: key, column: "created_at")
        let paidAt = try take(row.bytes(5)).map { try time($0, table: "orders", key: key, column: "paid_at") }
        let updatedAt = try take(row.bytes(6)).map { try time($0, table: "orders", key: key, column: "updated_at") }
        let combineOutTradeNo = try number(take(row.bytes(7)), table: "orders", key: key, column: "combine_out_trade_no")
        let lastErrorCode = take(row.bytes(8))
        let transaction = take(row.bytes(9))
        let values = OrderRow(
            key: keyBytes, amount: Money(minorUnits: amount, currency: currency), status: status, createdAt: createdAt,
            paidAt: paidAt, updatedAt: updatedAt,
            combineOutTradeNo: combineOutTradeNo, lastErrorCode: lastErrorCode,
            providerTransactionID: try number(transaction, table: "orders", key: key, column: "provider_txn_id"))
        endRow()
        return values
    }

    /// Decodes an order row whose provider and merchant follow the order columns.
    mutating func orderWithMerchant(_ row: some StoreRow) throws -> Order {
        try order(row, merchant: merchant(row, from: 10, table: "orders", key: row.text(0) ?? ""))
    }

    /// Decodes a refund row selected with the refund column list; the merchant is known.
    mutating func refund(_ row: some StoreRow, merchant: MerchantRef) throws -> Refund {
        try refund(row, merchant: merchant, currency: nil)
    }

    /// Decodes a refund row read without its order, whose column 3 (the order's currency) is not
    /// read: the refund's merchant and currency are left as ``RefundRows/unknownMerchant`` and
    /// ``RefundRows/unknownCurrency``, and the recorder's row has a gap where the currency goes.
    mutating func refundWithoutOrder(_ row: some StoreRow) throws -> Refund {
        try refund(row, merchant: RefundRows.unknownMerchant, currency: RefundRows.unknownCurrency)
    }

    /// Decodes a refund row; its currency is `known`, else read from column 3.
    private mutating func refund(_ row: some StoreRow, merchant: MerchantRef, currency known: Currency?) throws -> Refund {
        var isBlob = false
        let keyBytes = take(row.bytes(0, isBlob: &isBlob))
        let key = string(keyBytes) ?? ""
        if isBlob { throw blobNumber("refunds", key, "out_refund_no", keyBytes) }
        _ = try number(keyBytes, table: "refunds", key: key, column: "out_refund_no")
        let outTradeNo = string(try number(take(row.bytes(1)), table: "refunds", key: key, column: "out_trade_no")) ?? ""
        let amount = try amount(row, 2, table: "refunds", key: key)
        let currency: Currency
        if let known {
            recorder?.markGap()
            currency = known
        } else {
            currency = try self.currency(row, 3, table: "orders", key: outTradeNo)
        }
        let statusBytes = take(row.bytes(4))
        guard let statusBytes, let status = Self.refundStatus(statusBytes) else {
            throw bad("refunds", key, "status", string(statusBytes), "one of PENDING, SUCCESS, FAILED")
        }
        let createdAt = try time(take(row.bytes(5)), table: "refunds", key: key, column: "created_at")
        let succeededAt = try take(row.bytes(6)).map { try time($0, table: "refunds", key: key, column: "succeeded_at") }
        let refund = Refund(
            outRefundNo: key, outTradeNo: outTradeNo, merchant: merchant,
            amount: Money(minorUnits: amount, currency: currency), status: status,
            lastErrorCode: string(take(row.bytes(7))), createdAt: createdAt, succeededAt: succeededAt)
        endRow()
        return refund
    }

    /// Decodes a refund row whose order's provider and merchant follow the refund columns.
    mutating func refundWithMerchant(_ row: some StoreRow) throws -> Refund {
        try refund(row, merchant: merchant(row, from: 8, table: "orders", key: row.text(1) ?? ""))
    }

    /// The merchant in the `provider` and `merchant_id` columns starting at `column`, of the
    /// order `key`.
    private func merchant(_ row: some StoreRow, from column: Int32, table: String, key: String) throws -> MerchantRef {
        let (provider, id) = (row.text(column), row.text(column + 1))
        if let problem = OrderStore.merchantProblem(provider, id, providers: providers) {
            throw bad(table, key, problem.column, problem.value, problem.expected)
        }
        return MerchantRef(provider: ProviderID(rawValue: provider!), merchantID: id!)
    }

    /// Passes a column's bytes through the digest.
    private func take(_ bytes: UnsafeBufferPointer<UInt8>?) -> UnsafeBufferPointer<UInt8>? {
        digest?.add(bytes)
        recorder?.add(bytes)
        return bytes
    }

    private func endRow() {
        digest?.endRow()
        recorder?.endRow()
    }

    private func string(_ bytes: UnsafeBufferPointer<UInt8>?) -> String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func amount(_ row: some StoreRow, _ column: Int32, table: String, key: @autoclosure () -> String) throws -> Int64 {
        guard row.isInteger(column), let value = row.int64(column), Money.isValidAmount(value) else {
            throw bad(
                table, key(), "amount_minor", row.text(column),
                "an INTEGER \(Money.validAmountText) (1234 for 12.34; refunds are positive too)")
        }
        digest?.add(integer: value)
        recorder?.add(integer: value)
        return value
    }

    private mutating func currency(_ row: some StoreRow, _ column: Int32, table: String, key: @autoclosure () -> String) throws -> Currency {
        let bytes = take(row.bytes(column))
        guard let bytes, let currency = currencies.currency(utf8: bytes) else {
            throw bad(table, key(), "currency", string(bytes), CurrencyCodes.expectation)
        }
        return currency
    }

    private mutating func time(
        _ bytes: UnsafeBufferPointer<UInt8>?, table: String, key: @autoclosure () -> String, column name: String
    ) throws -> Timestamp {
        guard let bytes, let stamp = Timestamp.parseRFC3339(bytes, assumingOffset: naiveTimeZone, dates: &dates) else {
            throw bad(table, key(), name, string(bytes), naiveTimeZone == nil ? OrderStore.timeExpectation : OrderStore.naiveTimeExpectation)
        }
        return stamp
    }

    /// A row whose number is held as a BLOB: the store's unique index holds it apart from the
    /// same bytes held as text, so the two rows could be one number twice. The message shows the
    /// first 40 characters and 64 bytes of it, however long it is.
    private func blobNumber(_ table: String, _ key: String, _ column: String, _ bytes: UnsafeBufferPointer<UInt8>?) -> StoreError {
        let bytes = bytes ?? UnsafeBufferPointer(start: nil, count: 0)
        let hex = bytes.prefix(64).map { [$0].hexString.uppercased() }.joined(separator: " ")
            + (bytes.count > 64 ? " … (\(bytes.count) bytes)" : "")
        return bad(
            table, key.count > 40 ? key.prefix(40) + "…" : key, column, "a BLOB of bytes " + hex,
            "text: a number held as a BLOB is another value than the same bytes held as text to the store's unique index and "
                + "lookups, so two rows could be one order or refund twice; store it as text (CAST(\(column) AS TEXT))")
    }

    private func bad(_ table: String, _ key: String, _ column: String, _ value: String?, _ expected: String) -> StoreError {
        .badValue(path: path, table: table, key: key, column: column, value: value ?? "NULL", expected: expected)
    }

    private static func refundStatus(_ bytes: UnsafeBufferPointer<UInt8>) -> RefundStatus? {
        switch bytes.count {
        case 7 where bytes.equals("SUCCESS"): .success
        case 7 where bytes.equals("PENDING"): .pending
        case 6 where bytes.equals("FAILED"): .failed
        default: RefundStatus(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }

    private static func orderStatus(_ bytes: UnsafeBufferPointer<UInt8>) -> OrderStatus? {
        switch bytes.count {
        case 4 where bytes.equals("PAID"): .paid
        case 6 where bytes.equals("CLOSED"): .closed
        case 6 where bytes.equals("FAILED"): .failed
        case 7 where bytes.equals("PENDING"): .pending
        case 8 where bytes.equals("REFUNDED"): .refunded
        case 18 where bytes.equals("PARTIALLY_REFUNDED"): .partiallyRefunded
        default: OrderStatus(rawValue: String(decoding: bytes, as: UTF8.self))
        }
    }
}
