import ReconCore

extension PostgresConnection: ResultsDatabase {
    /// Rows per `INSERT`: few round trips, and well under the protocol's 65,535 parameters.
    private static let parametersPerInsert = 20_000

    func hasTable(_ name: String) throws -> Bool {
        let result = try query("SELECT to_regclass($1) IS NOT NULL", [name])
        return result.count == 1 && result.rows[0].text(0) == "t"
    }

    func select(_ sql: String, _ values: [SQLiteValue], _ body: (any StoreRow) throws -> Void) throws {
        let result = try query(Self.numbered(sql), values.map(Self.text))
        for row in result.rows { try body(row) }
    }

    func currentDataVersion() throws -> Int64? { nil }

    func execute(_ sql: String, _ values: [SQLiteValue]) throws {
        _ = try query(Self.numbered(sql), values.map(Self.text))
    }

    /// 500 ids to a statement: few round trips.
    func execute(_ statement: String, forEach ids: [SQLiteValue], after leading: [SQLiteValue]) throws {
        for start in stride(from: 0, to: ids.count, by: 500) {
            let some = ids[start..<min(start + 500, ids.count)]
            let parameters = some.indices.map { "?\($0 - start + leading.count + 1)" }.joined(separator: ", ")
            try execute("\(statement) (\(parameters))", leading + some)
        }
    }

    /// Many rows per statement; with a key, `ON CONFLICT … DO UPDATE` sets every other column, and
    /// of rows repeating a key the last is kept, as one row after another would leave it.
    func insert(into table: String, columns: [String], rows: some Sequence<[SQLiteValue]>, replacingOn key: [String]?) throws {
        var rows = Array(rows)
        var conflict = ""
        if let key {
            let positions = key.compactMap(columns.firstIndex(of:))
            precondition(positions.count == key.count, "the key \(key) is not among the columns of \(table)")
            var seen: Set<[String?]> = []
            var kept: [[SQLiteValue]] = []
            for row in rows.reversed() where seen.insert(positions.map { Self.text(row[$0]) }).inserted { kept.append(row) }
            rows = kept.reversed()
            conflict = upsertClause(columns: columns, key: key)
        }
        let perStatement = max(1, Self.parametersPerInsert / columns.count)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            let tuples = batch.indices.map { row in
                "(" + columns.indices.map { "$\((row - start) * columns.count + $0 + 1)" }.joined(separator: ", ") + ")"
            }
            _ = try query(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))\(conflict)",
                batch.flatMap { $0.map(Self.text) })
            start += perStatement
        }
    }

    private static func text(_ value: SQLiteValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let number): String(number)
        case .text(let text): text
        }
    }

    /// `sql` with SQLite's `?N` parameters written as PostgreSQL's `$N`. The job's statements hold
    /// no `?` inside a quoted text.
    static func numbered(_ sql: String) -> String {
        let characters = Array(sql)
        return String(
            characters.indices.map { index in
                characters[index] == "?" && index + 1 < characters.count && characters[index + 1].isASCII
                    && characters[index + 1].isNumber ? "$" : characters[index]
            })
    }
}
