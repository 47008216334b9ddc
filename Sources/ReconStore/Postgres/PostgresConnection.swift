import CLibPQ
import Foundation
import ReconCore

/// One libpq connection: read-only for its whole life when it reads the merchant's orders.
///
/// A read-only session (`default_transaction_read_only`) cannot change the merchant's data
/// whatever it runs. Every session reads times in ISO style, with the offset of the zone it is
/// given. Not thread-safe: one task owns a connection at a time.
final class PostgresConnection {
    /// The database, as messages name it.
    let location: String
    /// libpq, loaded when the first connection is made.
    let pq: CLibPQFunctions
    private let handle: OpaquePointer

    /// The `PG*` variables libpq reads, and the connection keyword each stands for.
    static let environmentKeywords: [(variable: String, keyword: String)] = [
        ("PGHOST", "host"), ("PGHOSTADDR", "hostaddr"), ("PGPORT", "port"), ("PGDATABASE", "dbname"),
        ("PGUSER", "user"), ("PGPASSWORD", "password"), ("PGPASSFILE", "passfile"), ("PGSERVICE", "service"),
        ("PGSERVICEFILE", "servicefile"), ("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"),
        ("PGSSLCERT", "sslcert"), ("PGSSLKEY", "sslkey"), ("PGCONNECT_TIMEOUT", "connect_timeout"),
        ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ]

    /// Connects to `address`. The `PG*` variables of `environment` fill in what the URL leaves out,
    /// as libpq does with the process's own.
    /// - Parameters:
    ///   - readOnly: Whether the session may only read (the order store), or also write (the results).
    ///   - timeZone: The zone whose offsets the server writes times with.
    init(_ address: PostgresAddress, environment: [String: String], readOnly: Bool = true, timeZone: ZoneRules? = nil) throws {
        location = address.url
        let pq = try LibPQ.load(for: location)
        self.pq = pq
        // The URL first, expanded by libpq; then the environment's values for what it leaves out, as
        // libpq does with its own process's variables (a later keyword wins over an earlier one).
        let given = try Self.keywords(in: address.url, location: location, pq: pq)
        var pairs: [(String, String)] = [("dbname", address.url)]
        pairs += Self.environmentKeywords.compactMap { entry in
            guard !given.contains(entry.keyword), let value = environment[entry.variable], !value.isEmpty else { return nil }
            return (entry.keyword, value)
        }
        if !given.contains("connect_timeout"), environment["PGCONNECT_TIMEOUT"] == nil { pairs.append(("connect_timeout", "15")) }
        pairs += [("fallback_application_name", "order-recon"), ("client_encoding", "UTF8")]
        let connection: OpaquePointer? = Self.withCStrings(pairs.map(\.0)) { keywords in
            Self.withCStrings(pairs.map(\.1)) { values in pq.connectdbParams(keywords, values, 1) }
        }
        guard let connection else {
            throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection", location: location)
        }
        guard pq.status(connection) == CONNECTION_OK else {
            let message = Self.trimmed(pq.errorMessage(connection))
            pq.finish(connection)
            throw PostgresError(sqlState: "08001", message: message, location: location)
        }
        handle = connection
        try execute(
            "SET default_transaction_read_only = \(readOnly ? "on" : "off"); SET DateStyle = 'ISO, YMD'; "
                + "SET client_min_messages = warning")
        try setTimeZone(timeZone)
    }

    deinit { pq.finish(handle) }

    /// Has the server write times with `zone`'s offsets, when it reads the zone's name as this
    /// build does (same offset at a probe instant); else, or without a zone, in UTC. Only how
    /// times are written depends on it, never which instant they name.
    private func setTimeZone(_ zone: ZoneRules?) throws {
        try execute("SET TimeZone = 'UTC'")
        guard let zone, zone.identifier != "UTC" else { return }
        let probe: Int64 = 1_782_864_000  // 2026-07-01T00:00:00Z
        do {
            _ = try query("SELECT set_config('TimeZone', $1, false)", [zone.identifier])
            let offset = try query("SELECT extract(timezone FROM to_timestamp($1::bigint))::bigint", [String(probe)]).rows.first?.int64(0)
            if offset != Int64(zone.offset(at: probe)) { try execute("SET TimeZone = 'UTC'") }
        } catch let error as PostgresError where error.sqlState == "22023" {
            try execute("SET TimeZone = 'UTC'")
        }
    }

    /// The connection keywords `url` sets, as libpq parses it.
    private static func keywords(in url: String, location: String, pq: CLibPQFunctions) throws -> Set<String> {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = pq.conninfoParse(url, &message) else {
            let text = trimmed(message.map { UnsafePointer($0) })
            pq.freemem(message)
            throw PostgresError(sqlState: nil, message: "libpq cannot read the URL: \(text)", location: location)
        }
        defer { pq.conninfoFree(options) }
        var given: Set<String> = []
        var option = options
        while let keyword = option.pointee.keyword {
            if option.pointee.val != nil { given.insert(String(cString: keyword)) }
            option += 1
        }
        return given
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        let result = pq.exec(handle, sql)
        defer { pq.clear(result) }
        try check(result, sql: sql)
    }

    /// Runs one statement with text parameters and returns all its rows.
    func query(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        let result = Self.withCStrings(parameters) { values in
            pq.execParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        do {
            try check(result, sql: sql)
        } catch {
            pq.clear(result)
            throw error
        }
        return PostgresResult(result!, pq: pq)
    }

    /// Runs one query in a read-only transaction of its own, fetching its rows a batch at a time
    /// through a cursor, so a day of millions of rows never sits in memory at once.
    func forEachRow(_ sql: String, _ parameters: [String?], batch: Int = 20_000, _ body: (PostgresRow) throws -> Void) throws {
        try inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", { try execute($0) }) {
            _ = try query("DECLARE recon_rows NO SCROLL CURSOR FOR " + sql, parameters)
            while true {
                let rows = try query("FETCH FORWARD \(batch) FROM recon_rows")
                for index in 0..<rows.count { try body(PostgresRow(result: rows, row: Int32(index))) }
                if rows.count < batch { break }
            }
            try execute("CLOSE recon_rows")
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: "BEGIN", { try execute($0) }, body)
    }

    private func check(_ result: OpaquePointer?, sql: String) throws {
        let status = result.map(pq.resultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        let state = result.flatMap { pq.resultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let reported = Self.trimmed(result.flatMap { UnsafePointer(pq.resultErrorMessage($0)) })
        let message = reported.isEmpty ? Self.trimmed(pq.errorMessage(handle)) : reported
        throw PostgresError(sqlState: state, message: message, location: location, sql: sql)
    }

    private static func trimmed(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Calls `body` with a NULL-terminated array of C strings (a `nil` entry stays NULL).
    private static func withCStrings<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
