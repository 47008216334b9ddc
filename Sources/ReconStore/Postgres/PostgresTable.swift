/// A table or view of a PostgreSQL store: its columns and their types, read once when the store
/// opens, and the SQL that reads them as the store contract says.
struct PostgresTable {
    /// How a time column places its values on the time line.
    enum TimeKind: Equatable {
        /// `timestamp with time zone`: an instant.
        case instant
        /// `timestamp without time zone`: a wall-clock time, read in `store.time_zone`.
        case naive
    }

    /// The name, as the search path finds it.
    let name: String
    /// Each column's type, as `format_type` writes it (`timestamp with time zone`, `bigint`, …).
    let types: [String: String]

    /// Reads `name`'s columns and checks that it has the `expected` ones, and that its time
    /// columns are of a timestamp type.
    static func read(
        _ name: String, expected: [StoreSchema.Column], times: [String], connection: PostgresConnection
    ) throws -> PostgresTable {
        let rows = try connection.query(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            """, [name])
        guard rows.count > 0 else { throw StoreError.missingTable(path: connection.location, table: name) }
        var types: [String: String] = [:]
        for row in rows.rows { types[row.text(0) ?? ""] = row.text(1) ?? "" }
        let table = PostgresTable(name: name, types: types)
        let missing = expected.filter { $0.isRequired && types[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else { throw StoreError.missingColumns(path: connection.location, table: name, columns: missing) }
        for column in times where types[column] != nil && table.timeKind(column) == nil {
            throw StoreError.columnType(
                path: connection.location, table: name, column: column, type: types[column]!,
                expected: "a time: timestamp with time zone, or timestamp without time zone with store.time_zone set")
        }
        return table
    }

    func has(_ column: String) -> Bool { types[column] != nil }

    /// The kind of the time column `column`, `nil` when it is missing or not a timestamp.
    func timeKind(_ column: String) -> TimeKind? {
        guard let type = types[column], type.hasPrefix("timestamp") else { return nil }
        if type.hasSuffix("without time zone") { return .naive }
        return type.hasSuffix("with time zone") ? .instant : nil
    }

    /// `alias.column` when the table has the column, else `NULL`.
    func optional(_ column: String, as alias: String? = nil) -> String {
        has(column) ? qualified(column, alias) : "NULL"
    }

    /// The time column, `NULL` when missing. The connection writes an instant in UTC
    /// (`2026-11-20 02:00:00+00`) and a wall-clock time without an offset, which the decoder reads
    /// in `store.time_zone`: PostgreSQL's own output, several times cheaper than formatting with
    /// `to_char`.
    func time(_ column: String, as alias: String? = nil) -> String {
        timeKind(column) == nil ? "NULL" : qualified(column, alias)
    }

    /// The SQL for the instant in parameter `parameter` (epoch seconds) as a value comparable with
    /// times of `kind`, so a range condition on them can use an index.
    static func instant(_ parameter: String, _ kind: TimeKind) -> String {
        switch kind {
        case .instant: "to_timestamp(\(parameter)::bigint)"
        case .naive: "(to_timestamp(\(parameter)::bigint) AT TIME ZONE 'UTC')"
        }
    }

    private func qualified(_ column: String, _ alias: String?) -> String {
        alias.map { "\($0).\(column)" } ?? column
    }
}
