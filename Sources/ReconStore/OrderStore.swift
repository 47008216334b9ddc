import Foundation
import ReconCore

/// The merchant's SQLite order store: reads orders and refunds, and keeps the job's results.
///
/// Reading never changes the store. ``save(_:)`` writes the job's own tables in one transaction,
/// so a run that fails leaves the store as it was.
public final class OrderStore {
    /// The database file.
    public let path: String
    /// The zone the merchant's times without an offset (`2026-11-20 17:00:00`) are read in
    /// (`store.time_zone`); `nil` refuses them wherever a read could need them.
    public let naiveTimeZone: ZoneRules?
    /// The providers whose merchant-id rules the rows' merchants are checked against; a provider
    /// not in it has the general rule.
    public let providers: ProviderDirectory
    let database: SQLiteDatabase
    let orderColumns: Set<String>
    let refundColumns: Set<String>
    private var orderByKey: SQLiteStatement?
    private var refundByKey: SQLiteStatement?

    /// Opens an existing store and checks that its tables have the columns the job reads.
    /// - Throws: ``StoreError`` when the file, a table or a column is missing.
    /// - Parameters:
    ///   - naiveTimeZone: The zone times without an offset are read in; `nil` refuses them.
    ///   - providers: The providers' merchant-id rules.
    public convenience init(path: String, naiveTimeZone: ZoneRules? = nil, providers: ProviderDirectory = .none) throws {
        try self.init(path: path, naiveTimeZone: naiveTimeZone, providers: providers, holdsOrders: true)
    }

    private init(path: String, naiveTimeZone: ZoneRules?, providers: ProviderDirectory, holdsOrders: Bool) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw StoreError.fileNotFound(path: path) }
        guard !isFolder.boolValue else { throw StoreError.isFolder(path: path) }
        self.path = path
        self.naiveTimeZone = naiveTimeZone
        self.providers = providers
        do {
            database = try SQLiteDatabase(path: path, mode: .readWrite)
            orderColumns = holdsOrders ? try Self.checkColumns(database, table: "orders", expected: StoreSchema.orderColumns) : []
            refundColumns = holdsOrders ? try Self.checkColumns(database, table: "refunds", expected: StoreSchema.refundColumns) : []
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error)
        }
    }

    /// Opens the SQLite file that keeps a run's results when its orders are elsewhere
    /// (`results.url`), creating it with the job's tables when it does not exist yet.
    public static func results(at path: String) throws -> OrderStore {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError.resultsIsFolder(path: path)
        }
        if !FileManager.default.fileExists(atPath: path) {
            do {
                let database = try SQLiteDatabase(path: path, mode: .create)
                try database.transaction(immediate: true) { try StoreMigrations.migrate(database) }
            } catch let error as SQLiteError {
                throw StoreError.sqlite(error)
            }
        }
        return try OrderStore(path: path, naiveTimeZone: nil, providers: .none, holdsOrders: false)
    }

    /// Creates a store with empty `orders` and `refunds` tables and the job's tables.
    @discardableResult
    public static func create(path: String) throws -> OrderStore {
        do {
            let database = try SQLiteDatabase(path: path, mode: .create)
            try database.transaction(immediate: true) {
                try database.execute(StoreSchema.createMerchantTables)
                try StoreMigrations.migrate(database)
            }
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error)
        }
        return try OrderStore(path: path)
    }

    /// Applies the job's pending schema migrations now, instead of with the next run's results.
    /// - Returns: The schema version before and after.
    @discardableResult
    public func migrate() throws -> (from: Int, to: Int) {
        try wrap {
            let before = try database.userVersion
            try database.transaction(immediate: true) { try StoreMigrations.migrate(database) }
            return (before, try database.userVersion)
        }
    }

    /// The schema version of the job's tables (0 before the first run).
    public var schemaVersion: Int {
        get throws { try wrap { try database.userVersion } }
    }

    private static func checkColumns(
        _ database: SQLiteDatabase, table: String, expected: [StoreSchema.Column]
    ) throws -> Set<String> {
        guard try database.objectType(named: table) != nil else {
            throw StoreError.missingTable(path: database.path, table: table)
        }
        let present = Set(try database.columns(of: table))
        let missing = expected.filter { $0.isRequired && !present.contains($0.name) }.map(\.name)
        guard missing.isEmpty else {
            throw StoreError.missingColumns(path: database.path, table: table, columns: missing)
        }
        return present
    }

    // MARK: - Reading

    /// The merchants that have orders, in order.
    ///
    /// With the job's day index in place, the index is walked one merchant at a time, so the
    /// cost grows with the number of merchants rather than the number of orders.
    public func merchants() throws -> [MerchantRef] {
        try wrap {
            let indexed = try database.prepare(
                "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'recon_orders_day' AND tbl_name = 'orders'")
            guard try indexed.step() else {
                let statement = try database.prepare("SELECT DISTINCT provider, merchant_id FROM orders")
                var merchants: [MerchantRef] = []
                while try statement.step() {
                    merchants.append(try checkedMerchant(statement.text(0), statement.text(1)))
                }
                return merchants.sorted()
            }
            let nextProvider = try database.prepare("SELECT min(provider) FROM orders WHERE provider > ?1")
            let nextMerchant = try database.prepare(
                "SELECT min(merchant_id) FROM orders WHERE provider = ?1 AND merchant_id > ?2")
            func next(_ statement: SQLiteStatement, _ values: [SQLiteValue]) throws -> String? {
                defer { statement.reset() }
                try statement.bind(values)
                return try statement.step() ? statement.text(0) : nil
            }
            var merchants: [MerchantRef] = []
            var provider = try next(nextProvider, [.text("")])
            while let current = provider {
                var merchantID = try next(nextMerchant, [.text(current), .text("")])
                while let id = merchantID {
                    merchants.append(try checkedMerchant(current, id))
                    merchantID = try next(nextMerchant, [.text(current), .text(id)])
                }
                provider = try next(nextProvider, [.text(current)])
            }
            return merchants.sorted()
        }
    }

    /// The merchant of the orders whose `provider` and `merchant_id` are these.
    /// - Throws: ``StoreError/badValue(path:table:key:column:value:expected:)`` naming an order
    ///   with the value, when either is not of its shape (``Identifier``).
    func checkedMerchant(_ provider: String?, _ merchantID: String?) throws -> MerchantRef {
        try Self.checkedMerchant(provider, merchantID, providers: providers, path: path) {
            let example = try database.prepare(
                "SELECT out_trade_no FROM orders WHERE provider IS ?1 AND merchant_id IS ?2 LIMIT 1")
            try example.bind([.optional(provider), .optional(merchantID)])
            return try example.step() ? example.text(0) ?? "" : ""
        }
    }

    /// The merchant of the orders whose `provider` and `merchant_id` are these, in the store at
    /// `path`; when either is not of its shape, the error names the order `example` finds.
    static func checkedMerchant(
        _ provider: String?, _ merchantID: String?, providers: ProviderDirectory, path: String, example: () throws -> String
    ) throws -> MerchantRef {
        guard let problem = merchantProblem(provider, merchantID, providers: providers) else {
            return MerchantRef(provider: ProviderID(rawValue: provider!), merchantID: merchantID!)
        }
        throw StoreError.badValue(
            path: path, table: "orders", key: try example(), column: problem.column, value: problem.value ?? "NULL",
            expected: problem.expected)
    }

    /// Which of an order's `provider` and `merchant_id` is not of its shape (``Identifier``), with
    /// its value and what it must be; `nil` when both are well formed.
    static func merchantProblem(
        _ provider: String?, _ merchantID: String?, providers: ProviderDirectory
    ) -> (column: String, value: String?, expected: String)? {
        guard let provider, Identifier.isProvider(provider) else { return ("provider", provider, Identifier.providerShape) }
        let rule = providers.merchantIDRule(for: ProviderID(rawValue: provider))
        guard let merchantID, rule.accepts(merchantID) else {
            return ("merchant_id", merchantID, rule.shape)
        }
        return nil
    }

    /// The orders of `merchant` whose payment time (or creation time, when unpaid) lies in `range`.
    ///
    /// Only the columns matching needs are read (no transaction id, last error code or update
    /// time); ``lookup(_:)`` reads whole rows, for the few orders a report shows.
    /// - Parameters:
    ///   - merchant: The merchant.
    ///   - range: Instants, in seconds since the epoch.
    ///   - digest: Receives the raw bytes of every row read, for the report's fingerprint of the store.
    public func orders(of merchant: MerchantRef, in range: Range<Int64>, digest: StoreDigest) throws -> OrderTable {
        try wrap {
            let statement = try database.prepare(
                """
                SELECT out_trade_no, amount_minor, currency, status, created_at, paid_at, NULL,
                       \(optional("combine_out_trade_no", in: orderColumns)), NULL, NULL
                FROM orders
                WHERE provider = ?1 AND merchant_id = ?2
                  AND unixepoch(coalesce(paid_at, created_at)) >= ?3 AND unixepoch(coalesce(paid_at, created_at)) < ?4
                """)
            let search = searchRange(range)
            try statement.bind([
                .text(merchant.provider.rawValue), .text(merchant.merchantID), .integer(search.lowerBound),
                .integer(search.upperBound),
            ])
            var orders = OrderTable()
            try forEachRow(statement, digest: digest, placedIn: range, by: [5, 4]) {
                try $0.order($1, merchant: merchant, into: &orders)
            }
            return orders
        }
    }

    /// The refunds requested within `range`, of every merchant, read without their orders.
    ///
    /// The rows are counted first, from the index of refund times alone, so that what is kept
    /// of them is sized once rather than grown, and copied, as they are read.
    public func refundRows(in range: Range<Int64>) throws -> RefundRows {
        try wrap {
            let search = searchRange(range)
            let bounds: [SQLiteValue] = [.integer(search.lowerBound), .integer(search.upperBound)]
            let window = "FROM refunds WHERE unixepoch(created_at) >= ?1 AND unixepoch(created_at) < ?2"
            let count = try database.prepare("SELECT count(*) \(window)")
            try count.bind(bounds)
            let expected = try count.step() ? Int(count.int64(0) ?? 0) : 0
            let statement = try database.prepare(
                """
                SELECT out_refund_no, out_trade_no, amount_minor, NULL, status, created_at,
                       \(optional("succeeded_at", in: refundColumns)), \(optional("last_error_code", in: refundColumns))
                \(window)
                """)
            try statement.bind(bounds)
            var reader = RefundRows.Reader(path: path, naiveTimeZone: naiveTimeZone, providers: providers, expectedRows: expected)
            try forEachRow(statement, placedIn: range, by: [5]) { _, row in try reader.add(row) }
            return reader.finish()
        }
    }

    /// The merchant and currency of the order numbered by each of `keys` (the bytes of
    /// `out_trade_no`), in their order; `nil` for a number without an order.
    /// - Throws: ``StoreError/duplicateKey(path:table:column:key:rows:)`` for a number two orders have.
    public func orderOwners(_ keys: [[UInt8]]) throws -> [OrderOwner?] {
        try wrap {
            try database.reading {
                let statement = try database.prepare("SELECT provider, merchant_id, currency FROM orders WHERE out_trade_no = ?1")
                var owners: [OrderOwner?] = []
                owners.reserveCapacity(keys.count)
                for key in keys {
                    defer { statement.reset() }
                    try key.withUnsafeBufferPointer { try statement.bind(1, text: $0) }
                    guard try statement.step() else {
                        owners.append(nil)
                        continue
                    }
                    owners.append(OrderOwner(
                        merchant: MerchantRef(provider: ProviderID(rawValue: statement.text(0) ?? ""), merchantID: statement.text(1) ?? ""),
                        currency: statement.text(2)))
                    // Checked by its bytes: a number that is not UTF-8 would not be found again by its text.
                    if try statement.step() {
                        try checkUnique([key], table: "orders", column: "out_trade_no", select: Self.orderRowDescription)
                    }
                }
                return owners
            }
        }
    }

    /// Steps through a statement's rows, decoding each that lies in `range` and adding it to
    /// `digest`. Only with ``naiveTimeZone`` set can a row found lie outside (see
    /// ``searchRange(_:)``); it is then placed by the first non-NULL of the `columns` that hold its time.
    func decodeRows<Row>(
        _ statement: SQLiteStatement, digest: StoreDigest? = nil, placedIn range: Range<Int64>, by columns: [Int32],
        _ decode: (inout RowDecoder, SQLiteStatement) throws -> Row
    ) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(statement, digest: digest, placedIn: range, by: columns) { rows.append(try decode(&$0, $1)) }
        return rows
    }

    /// Steps through a statement's rows as ``decodeRows(_:digest:placedIn:by:_:)`` does, handing
    /// each kept row to `body`.
    func forEachRow(
        _ statement: SQLiteStatement, digest: StoreDigest? = nil, placedIn range: Range<Int64>, by columns: [Int32],
        _ body: (inout RowDecoder, SQLiteStatement) throws -> Void
    ) throws {
        var decoder = RowDecoder(path: path, digest: digest, naiveTimeZone: naiveTimeZone, providers: providers)
        while try statement.step() {
            if naiveTimeZone != nil, !keeps(columns.lazy.compactMap(statement.bytes).first, in: range) { continue }
            try body(&decoder, statement)
        }
    }

    /// How many orders of `merchant` lie in `range`, without decoding them.
    public func orderCount(of merchant: MerchantRef, in range: Range<Int64>) throws -> Int {
        try wrap {
            let search = searchRange(range)
            let statement = try database.prepare(
                """
                SELECT \(naiveTimeZone == nil ? "count(*)" : "coalesce(paid_at, created_at)") FROM orders
                WHERE provider = ?1 AND merchant_id = ?2
                  AND unixepoch(coalesce(paid_at, created_at)) >= ?3 AND unixepoch(coalesce(paid_at, created_at)) < ?4
                """)
            try statement.bind([
                .text(merchant.provider.rawValue), .text(merchant.merchantID), .integer(search.lowerBound),
                .integer(search.upperBound),
            ])
            guard naiveTimeZone != nil else {
                _ = try statement.step()
                return Int(statement.int64(0) ?? 0)
            }
            var count = 0
            while try statement.step() {
                if keeps(statement.bytes(0), in: range) { count += 1 }
            }
            return count
        }
    }

    /// Fails when the store holds more than one order with any of `outTradeNos`, or more than
    /// one refund with any of `outRefundNos`, naming the key and every row that has it. Reads
    /// that saw a key twice call it: a table with a primary key never fails, a view may.
    public func checkUnique(outTradeNos: some Sequence<String>, outRefundNos: some Sequence<String>) throws {
        try wrap {
            try checkUnique(Set(outTradeNos).sorted().map { Array($0.utf8) }, table: "orders", column: "out_trade_no",
                select: Self.orderRowDescription)
            try checkUnique(Set(outRefundNos).sorted().map { Array($0.utf8) }, table: "refunds", column: "out_refund_no",
                select: "'of order', out_trade_no, status, amount_minor, 'at', created_at")
        }
    }

    /// How a duplicate key's order rows are described.
    private static let orderRowDescription =
        "provider || '/' || merchant_id, status, amount_minor, currency, 'at', coalesce(paid_at, created_at)"

    /// Fails when a key of `keys` (its bytes, as they are, UTF-8 or not) is on more than one row
    /// of `table`, describing each row by the values of `select` joined by spaces.
    private func checkUnique(_ keys: [[UInt8]], table: String, column: String, select: String) throws {
        guard !keys.isEmpty else { return }
        let statement = try database.prepare("SELECT \(select) FROM \(table) WHERE \(column) = ?1")
        for key in keys {
            try key.withUnsafeBufferPointer { try statement.bind(1, text: $0) }
            defer { statement.reset() }
            var rows: [String] = []
            while try statement.step() {
                rows.append((0..<statement.columnCount).map { statement.text($0) ?? "NULL" }.joined(separator: " "))
            }
            if rows.count > 1 {
                throw StoreError.duplicateKey(
                    path: path, table: table, column: column, key: String(decoding: key, as: UTF8.self), rows: rows)
            }
        }
    }

    /// Fetches what a day's matcher asks for: orders and refunds by key, and combine sub-orders.
    public func lookup(_ request: LookupRequest) throws -> LookupResult {
        // One read transaction for all the keys, not one per key.
        try wrap { try database.reading { try lookupRows(request) } }
    }

    private func lookupRows(_ request: LookupRequest) throws -> LookupResult {
        var decoder = RowDecoder(path: path, naiveTimeZone: naiveTimeZone, providers: providers)
        var orders: [Order] = []
        if !request.outTradeNos.isEmpty {
            let statement = try orderByKeyStatement()
            for key in request.outTradeNos {
                defer { statement.reset() }
                try statement.bind(1, key)
                if try statement.step() { orders.append(try decoder.orderWithMerchant(statement)) }
                if try statement.step() { try checkUnique(outTradeNos: [key], outRefundNos: []) }
            }
        }
        var refunds: [Refund] = []
        if !request.outRefundNos.isEmpty {
            let statement = try refundByKeyStatement()
            for key in request.outRefundNos {
                defer { statement.reset() }
                try statement.bind(1, key)
                guard try statement.step() else { continue }
                guard !statement.isNull(8) else {
                    throw StoreError.orphanRefund(path: path, outRefundNo: key, outTradeNo: statement.text(1) ?? "")
                }
                refunds.append(try decoder.refundWithMerchant(statement))
                if try statement.step() { try checkUnique(outTradeNos: [statement.text(1) ?? ""], outRefundNos: [key]) }
            }
        }
        var members: [Order] = []
        if !request.combineOutTradeNos.isEmpty, orderColumns.contains("combine_out_trade_no") {
            try database.execute(
                "CREATE TEMP TABLE IF NOT EXISTS recon_lookup_keys (key TEXT PRIMARY KEY); DELETE FROM temp.recon_lookup_keys;")
            let insert = try database.prepare("INSERT OR IGNORE INTO temp.recon_lookup_keys (key) VALUES (?1)")
            for key in request.combineOutTradeNos { try insert.run([.text(key)]) }
            let statement = try database.prepare(
                "SELECT \(orderSelectList) FROM orders WHERE combine_out_trade_no IN (SELECT key FROM temp.recon_lookup_keys)")
            while try statement.step() { members.append(try decoder.orderWithMerchant(statement)) }
            try database.execute("DELETE FROM temp.recon_lookup_keys")
        }
        return LookupResult(orders: orders, refunds: refunds, combineMembers: members)
    }

    /// The columns of a full order row, as `RowDecoder.orderWithMerchant` reads them.
    var orderSelectList: String {
        """
        out_trade_no, amount_minor, currency, status, created_at, paid_at, \(optional("updated_at", in: orderColumns)),
        \(optional("combine_out_trade_no", in: orderColumns)), \(optional("last_error_code", in: orderColumns)),
        \(optional("provider_txn_id", in: orderColumns)), provider, merchant_id
        """
    }

    private func orderByKeyStatement() throws -> SQLiteStatement {
        if let orderByKey { return orderByKey }
        let statement = try database.prepare("SELECT \(orderSelectList) FROM orders WHERE out_trade_no = ?1")
        orderByKey = statement
        return statement
    }

    /// The columns of a full refund row joined with its order (`r`, `o`), as
    /// `RowDecoder.refundWithMerchant` reads them.
    var refundSelectList: String {
        """
        r.out_refund_no, r.out_trade_no, r.amount_minor, o.currency, r.status, r.created_at,
        \(optional("r.succeeded_at", in: refundColumns)), \(optional("r.last_error_code", in: refundColumns)),
        o.provider, o.merchant_id
        """
    }

    private func refundByKeyStatement() throws -> SQLiteStatement {
        if let refundByKey { return refundByKey }
        let statement = try database.prepare(
            "SELECT \(refundSelectList) FROM refunds r LEFT JOIN orders o ON o.out_trade_no = r.out_trade_no WHERE r.out_refund_no = ?1")
        refundByKey = statement
        return statement
    }

    /// The column's name when the table has it, else `NULL`.
    func optional(_ column: String, in present: Set<String>) -> String {
        let name = column.split(separator: ".").last.map(String.init) ?? column
        return present.contains(name) ? column : "NULL"
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error)
        }
    }

    static let timeExpectation =
        "an RFC 3339 time with an offset, such as 2026-11-20T10:01:02+08:00 (for a store whose times have no offset, "
        + "set store.time_zone to the zone they are written in)"
    static let naiveTimeExpectation = "a time such as 2026-11-20T10:01:02+08:00 or, read in store.time_zone, 2026-11-20 10:01:02"
}
