import Foundation
import ReconCore

/// The merchant's orders and refunds in PostgreSQL, read through libpq on a read-only connection.
///
/// It reads the tables (or views) of the store contract with the same checks as ``OrderStore``:
/// a value it cannot read names its table, row and column. Times are `timestamp with time zone`,
/// or `timestamp without time zone` read in `store.time_zone`. A day is read with range
/// conditions on `coalesce(paid_at, created_at)` and `created_at`, which the indexes the README
/// gives serve. Nothing is ever written here: the job's results live in a store of their own.
public final class PostgresOrderStore: OrderSource {
    /// Where the orders are.
    public let address: PostgresAddress
    /// The zone wall-clock times (`timestamp without time zone`) are read in; `nil` refuses them.
    public let naiveTimeZone: ZoneRules?
    /// The providers whose merchant-id rules the rows' merchants are checked against.
    public let providers: ProviderDirectory
    /// The zone whose offsets times are written with in reports (the instants do not depend on it).
    public let displayZone: ZoneRules
    private let environment: [String: String]
    private let connection: PostgresConnection
    private let orders: PostgresTable
    private let refunds: PostgresTable

    public var location: String { address.url }

    /// Connects to `address` and checks that its `orders` and `refunds` have the columns the job
    /// reads, with types it can read.
    /// - Parameters:
    ///   - environment: The `PG*` variables that fill in what the URL leaves out.
    ///   - displayZone: The zone whose offsets times are given with: the providers' (as a store file
    ///     written in Beijing time reads), since a `timestamp with time zone` keeps no offset of its own.
    public init(
        address: PostgresAddress, environment: [String: String], naiveTimeZone: ZoneRules? = nil,
        providers: ProviderDirectory = .none, displayZone: ZoneRules = ZoneRules(fixedOffsetSeconds: 0)
    ) throws {
        self.address = address
        self.displayZone = displayZone
        self.environment = environment
        self.naiveTimeZone = naiveTimeZone
        self.providers = providers
        do {
            connection = try PostgresConnection(address, environment: environment, timeZone: displayZone)
            orders = try PostgresTable.read(
                "orders", expected: StoreSchema.orderColumns, times: ["created_at", "paid_at", "updated_at"], connection: connection)
            refunds = try PostgresTable.read(
                "refunds", expected: StoreSchema.refundColumns, times: ["created_at", "succeeded_at"], connection: connection)
        } catch let error as PostgresError {
            throw StoreError.postgres(error)
        }
        if orders.timeKind("paid_at") != orders.timeKind("created_at") {
            throw StoreError.columnType(
                path: location, table: "orders", column: "paid_at", type: orders.types["paid_at"] ?? "",
                expected: "the same type as created_at (\(orders.types["created_at"] ?? ""))")
        }
    }

    public func reopened() throws -> any OrderSource {
        try PostgresOrderStore(
            address: address, environment: environment, naiveTimeZone: naiveTimeZone, providers: providers, displayZone: displayZone)
    }

    // MARK: - Reading

    /// The merchants that have orders, in one pass: an index-only scan with the day index, one scan
    /// of the table under a view (whose constant columns defeat index probes).
    public func merchants() throws -> [MerchantRef] {
        try wrap {
            let rows = try connection.query("SELECT DISTINCT provider, merchant_id FROM orders")
            return try rows.rows.map { try checkedMerchant($0.text(0), $0.text(1)) }.sorted()
        }
    }

    private func checkedMerchant(_ provider: String?, _ merchantID: String?) throws -> MerchantRef {
        try OrderStore.checkedMerchant(provider, merchantID, providers: providers, path: location) {
            try connection.query(
                "SELECT out_trade_no FROM orders WHERE provider IS NOT DISTINCT FROM $1 AND merchant_id IS NOT DISTINCT FROM $2 LIMIT 1",
                [provider, merchantID]
            ).rows.first?.text(0) ?? ""
        }
    }

    /// The condition that an order's time lies in the range `$3..<$4`.
    private var orderDay: String {
        let kind = orders.timeKind("created_at")!
        let placed = "coalesce(paid_at, created_at)"
        return "\(placed) >= \(PostgresTable.instant("$3", kind)) AND \(placed) < \(PostgresTable.instant("$4", kind))"
    }

    /// The condition that a refund's time lies in the range `$3..<$4`.
    private var refundDay: String {
        let kind = refunds.timeKind("created_at")!
        return "r.created_at >= \(PostgresTable.instant("$3", kind)) AND r.created_at < \(PostgresTable.instant("$4", kind))"
    }

    private func parameters(_ merchant: MerchantRef, _ range: Range<Int64>) -> [String?] {
        [merchant.provider.rawValue, merchant.merchantID] + parameters(range)
    }

    /// The bounds of the search for `range`, as epoch seconds.
    private func parameters(_ range: Range<Int64>) -> [String?] {
        let search = NaiveTimeSearch.searchRange(range, zone: naiveTimeZone)
        return [String(search.lowerBound), String(search.upperBound)]
    }

    public func orders(of merchant: MerchantRef, in range: Range<Int64>, digest: StoreDigest) throws -> OrderTable {
        try wrap {
            var table = OrderTable()
            try forEachRow(
                """
                SELECT out_trade_no, amount_minor, currency, status, \(orders.time("created_at")), \(orders.time("paid_at")),
                       NULL, \(orders.optional("combine_out_trade_no")), NULL, NULL
                FROM orders WHERE provider = $1 AND merchant_id = $2 AND \(orderDay)
                """, parameters(merchant, range), digest: digest, placedIn: range, by: [5, 4]
            ) { try $0.order($1, merchant: merchant, into: &table) }
            return table
        }
    }

    public func refundRows(in range: Range<Int64>) throws -> RefundRows {
        try wrap {
            let kind = refunds.timeKind("created_at")!
            var reader = RefundRows.Reader(path: location, naiveTimeZone: naiveTimeZone, providers: providers)
            try forEachRow(
                """
                SELECT r.out_refund_no, r.out_trade_no, r.amount_minor, NULL, r.status, \(refunds.time("created_at", as: "r")),
                       \(refunds.time("succeeded_at", as: "r")), \(refunds.optional("last_error_code", as: "r"))
                FROM refunds r
                WHERE r.created_at >= \(PostgresTable.instant("$1", kind)) AND r.created_at < \(PostgresTable.instant("$2", kind))
                """, parameters(range), placedIn: range, by: [5]
            ) { _, row in try reader.add(row) }
            return reader.finish()
        }
    }

    /// Looks the orders up a thousand numbers to a query.
    public func orderOwners(_ keys: [[UInt8]]) throws -> [OrderOwner?] {
        try wrap {
            var owners: [[UInt8]: OrderOwner] = [:]
            for start in stride(from: 0, to: keys.count, by: 1_000) {
                let batch = keys[start..<min(start + 1_000, keys.count)].map { String(decoding: $0, as: UTF8.self) }
                let rows = try connection.query(
                    "SELECT out_trade_no, provider, merchant_id, currency FROM orders WHERE out_trade_no = ANY($1::text[])",
                    [Self.arrayLiteral(batch)])
                for row in rows.rows {
                    let key = Array((row.text(0) ?? "").utf8)
                    guard owners[key] == nil else {
                        try checkUnique(outTradeNos: [row.text(0) ?? ""], outRefundNos: [])
                        continue
                    }
                    owners[key] = OrderOwner(
                        merchant: MerchantRef(provider: ProviderID(rawValue: row.text(1) ?? ""), merchantID: row.text(2) ?? ""),
                        currency: row.text(3))
                }
            }
            return keys.map { owners[$0] }
        }
    }

    /// Reads a query's rows through a cursor, decoding each that lies in `range` (see
    /// ``NaiveTimeSearch``; it is placed by the first non-NULL of the `columns` that hold its time).
    private func forEachRow(
        _ sql: String, _ parameters: [String?], digest: StoreDigest? = nil, placedIn range: Range<Int64>, by columns: [Int32],
        _ body: (inout RowDecoder, PostgresRow) throws -> Void
    ) throws {
        var decoder = RowDecoder(path: location, digest: digest, naiveTimeZone: naiveTimeZone, providers: providers)
        try connection.forEachRow(sql, parameters) { row in
            if naiveTimeZone != nil,
                !NaiveTimeSearch.keeps(columns.lazy.compactMap(row.bytes).first, in: range, zone: naiveTimeZone)
            {
                return
            }
            try body(&decoder, row)
        }
    }

    public func orderCount(of merchant: MerchantRef, in range: Range<Int64>) throws -> Int {
        try wrap {
            guard naiveTimeZone != nil else {
                let sql = "SELECT count(*) FROM orders WHERE provider = $1 AND merchant_id = $2 AND \(orderDay)"
                return Int(try connection.query(sql, parameters(merchant, range)).rows.first?.int64(0) ?? 0)
            }
            var count = 0
            try forEachRow(
                "SELECT \(orders.time("paid_at")), \(orders.time("created_at")) FROM orders WHERE provider = $1 AND merchant_id = $2 AND \(orderDay)",
                parameters(merchant, range), placedIn: range, by: [0, 1]
            ) { _, _ in count += 1 }
            return count
        }
    }

    public func keepsNumbersUnique() throws -> (orders: Bool, refunds: Bool) {
        try wrap { (try keepsUnique("out_trade_no", in: orders.name), try keepsUnique("out_refund_no", in: refunds.name)) }
    }

    /// Whether `table` is a table with a valid unique index (its primary key, say) on `column`
    /// alone and on all of its rows, as PostgreSQL's catalog says; a view, or an index on more
    /// columns, on an expression or with a `WHERE` clause, keeps no such promise.
    private func keepsUnique(_ column: String, in table: String) throws -> Bool {
        try connection.query(
            """
            SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND c.relkind = 'r' AND i.indisunique AND i.indisvalid
              AND i.indpred IS NULL AND i.indnkeyatts = 1 AND a.attname = $2
            """, [table, column]
        ).count > 0
    }

    public func checkUnique(outTradeNos: some Sequence<String>, outRefundNos: some Sequence<String>) throws {
        try wrap {
            try checkUnique(
                Set(outTradeNos), table: "orders", column: "out_trade_no",
                select: "provider || '/' || merchant_id, status, amount_minor, currency, 'at', \(orders.time("paid_at")), \(orders.time("created_at"))")
            try checkUnique(
                Set(outRefundNos), table: "refunds", column: "out_refund_no",
                select: "'of order', out_trade_no, status, amount_minor, 'at', \(refunds.time("created_at"))")
        }
    }

    private func checkUnique(_ keys: Set<String>, table: String, column: String, select: String) throws {
        guard !keys.isEmpty else { return }
        let rows = try connection.query(
            "SELECT \(column), concat_ws(' ', \(select)) FROM \(table) WHERE \(column) = ANY($1::text[]) ORDER BY 1",
            [Self.arrayLiteral(keys.sorted())])
        var byKey: [String: [String]] = [:]
        for row in rows.rows { byKey[row.text(0) ?? "", default: []].append(row.text(1) ?? "NULL") }
        if let (key, found) = byKey.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw StoreError.duplicateKey(path: location, table: table, column: column, key: key, rows: found)
        }
    }

    /// The columns of a full order row, as `RowDecoder.orderWithMerchant` reads them.
    private var orderSelectList: String {
        """
        out_trade_no, amount_minor, currency, status, \(orders.time("created_at")), \(orders.time("paid_at")),
        \(orders.time("updated_at")), \(orders.optional("combine_out_trade_no")), \(orders.optional("last_error_code")),
        \(orders.optional("provider_txn_id")), provider, merchant_id
        """
    }

    /// The columns of a full refund row joined with its order, as `RowDecoder.refundWithMerchant`
    /// reads them.
    private var refundSelectList: String {
        """
        r.out_refund_no, r.out_trade_no, r.amount_minor, o.currency, r.status, \(refunds.time("created_at", as: "r")),
        \(refunds.time("succeeded_at", as: "r")), \(refunds.optional("last_error_code", as: "r")), o.provider, o.merchant_id
        """
    }

    public func lookup(_ request: LookupRequest) throws -> LookupResult {
        try wrap {
            var decoder = RowDecoder(path: location, naiveTimeZone: naiveTimeZone, providers: providers)
            var found: [Order] = []
            var seen: Set<String> = []
            if !request.outTradeNos.isEmpty {
                let rows = try connection.query(
                    "SELECT \(orderSelectList) FROM orders WHERE out_trade_no = ANY($1::text[])",
                    [Self.arrayLiteral(request.outTradeNos)])
                for row in rows.rows {
                    let key = row.text(0) ?? ""
                    if !seen.insert(key).inserted { try checkUnique(outTradeNos: [key], outRefundNos: []) }
                    found.append(try decoder.orderWithMerchant(row))
                }
            }
            var foundRefunds: [Refund] = []
            if !request.outRefundNos.isEmpty {
                let rows = try connection.query(
                    """
                    SELECT \(refundSelectList) FROM refunds r LEFT JOIN orders o ON o.out_trade_no = r.out_trade_no
                    WHERE r.out_refund_no = ANY($1::text[])
                    """, [Self.arrayLiteral(request.outRefundNos)])
                seen = []
                for row in rows.rows {
                    let key = row.text(0) ?? ""
                    guard !row.isNull(8) else {
                        throw StoreError.orphanRefund(path: location, outRefundNo: key, outTradeNo: row.text(1) ?? "")
                    }
                    if !seen.insert(key).inserted { try checkUnique(outTradeNos: [row.text(1) ?? ""], outRefundNos: [key]) }
                    foundRefunds.append(try decoder.refundWithMerchant(row))
                }
            }
            var members: [Order] = []
            if !request.combineOutTradeNos.isEmpty, orders.has("combine_out_trade_no") {
                let rows = try connection.query(
                    "SELECT \(orderSelectList) FROM orders WHERE combine_out_trade_no = ANY($1::text[])",
                    [Self.arrayLiteral(request.combineOutTradeNos)])
                for row in rows.rows { members.append(try decoder.orderWithMerchant(row)) }
            }
            return LookupResult(orders: found, refunds: foundRefunds, combineMembers: members)
        }
    }

    public func uncertain(of merchant: MerchantRef, in range: Range<Int64>) throws -> (orders: [Order], refunds: [Refund]) {
        try wrap {
            let values = parameters(merchant, range)
            var foundOrders: [Order] = []
            try forEachRow(
                """
                SELECT \(orderSelectList) FROM orders
                WHERE provider = $1 AND merchant_id = $2 AND \(orderDay)
                  AND \(StoreSchema.uncertain(status: "status", lastErrorCode: orders.optional("last_error_code")))
                ORDER BY out_trade_no
                """, values, placedIn: range, by: [5, 4]
            ) { foundOrders.append(try $0.orderWithMerchant($1)) }
            var foundRefunds: [Refund] = []
            try forEachRow(
                """
                SELECT \(refundSelectList) FROM refunds r JOIN orders o ON o.out_trade_no = r.out_trade_no
                WHERE o.provider = $1 AND o.merchant_id = $2 AND \(refundDay)
                  AND \(StoreSchema.uncertain(status: "r.status", lastErrorCode: refunds.optional("last_error_code", as: "r")))
                ORDER BY r.out_refund_no
                """, values, placedIn: range, by: [5]
            ) { foundRefunds.append(try $0.refundWithMerchant($1)) }
            try checkUnique(
                outTradeNos: OrderStore.repeated(foundOrders.map(\.outTradeNo)),
                outRefundNos: OrderStore.repeated(foundRefunds.map(\.outRefundNo)))
            return (foundOrders, foundRefunds)
        }
    }

    /// Fails when a time column holds wall-clock times and no `store.time_zone` says where they were
    /// written, or when an order or refund of the merchant has no time to place it by.
    public func checkTimes(of merchant: MerchantRef, reads: [Range<Int64>], pendingFrom: Int64) throws {
        if naiveTimeZone == nil {
            for (table, columns) in [(orders, ["created_at", "paid_at", "updated_at"]), (refunds, ["created_at", "succeeded_at"])] {
                for column in columns where table.timeKind(column) == .naive {
                    throw StoreError.columnType(
                        path: location, table: table.name, column: column, type: table.types[column]!,
                        expected: "a time with its zone: set store.time_zone to the zone its times are written in")
                }
            }
        }
        try wrap {
            let order = try connection.query(
                """
                SELECT out_trade_no FROM orders
                WHERE provider = $1 AND merchant_id = $2 AND coalesce(paid_at, created_at) IS NULL LIMIT 1
                """, [merchant.provider.rawValue, merchant.merchantID])
            if let row = order.rows.first {
                throw StoreError.badValue(
                    path: location, table: "orders", key: row.text(0) ?? "", column: "created_at", value: "NULL",
                    expected: "the time the order was created")
            }
            let refund = try connection.query("SELECT out_refund_no FROM refunds WHERE created_at IS NULL LIMIT 1")
            if let row = refund.rows.first {
                throw StoreError.badValue(
                    path: location, table: "refunds", key: row.text(0) ?? "", column: "created_at", value: "NULL",
                    expected: "the time the refund was requested")
            }
        }
    }

    /// `values` as a PostgreSQL array literal of text, every element quoted.
    static func arrayLiteral(_ values: some Sequence<String>) -> String {
        let quoted = values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw StoreError.postgres(error)
        }
    }
}
