/// What the job's own tables (`recon_*`) need from a database, so that one piece of code keeps
/// the results in SQLite or in PostgreSQL. Statements are written with SQLite's numbered
/// parameters (`?1`, `?2`…), which a PostgreSQL connection reads as `$1`, `$2`…; what the two
/// dialects write differently (how many rows one insert carries) is a method of its own.
///
/// Not thread-safe: one task uses a database at a time.
protocol ResultsDatabase: AnyObject {
    /// The database, as messages name it.
    var location: String { get }
    /// Whether a table or view of that name exists.
    func hasTable(_ name: String) throws -> Bool
    /// Calls `body` with each row of `sql`.
    func select(_ sql: String, _ values: [SQLiteValue], _ body: (any StoreRow) throws -> Void) throws
    /// Runs one statement that returns no rows.
    func execute(_ sql: String, _ values: [SQLiteValue]) throws
    /// Inserts `rows` into `columns` of `table`; a row whose `key` columns match a kept row replaces
    /// it. `key` must be a primary key of the table; `nil` inserts only. The rows may be made as
    /// they are read (a lazy map), so that no more than one is held at a time where the database
    /// takes them one by one.
    func insert(into table: String, columns: [String], rows: some Sequence<[SQLiteValue]>, replacingOn key: [String]?) throws
    /// Runs `statement`, which ends in `id IN`, for every id of `ids`, each id a parameter after
    /// `leading`'s.
    func execute(_ statement: String, forEach ids: [SQLiteValue], after leading: [SQLiteValue]) throws
    /// A number that changes when another connection commits, so that what was read ahead of a
    /// transaction can be trusted inside it; `nil` where there is none, and such reads are made again.
    func currentDataVersion() throws -> Int64?
}

extension SQLiteDatabase: ResultsDatabase {
    public var location: String { path }

    func hasTable(_ name: String) throws -> Bool { try objectType(named: name) != nil }

    func currentDataVersion() throws -> Int64? { try dataVersion }

    func select(_ sql: String, _ values: [SQLiteValue], _ body: (any StoreRow) throws -> Void) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() { try body(statement) }
    }

    func execute(_ sql: String, _ values: [SQLiteValue]) throws {
        try prepare(sql).run(values)
    }

    /// One prepared statement run once per id: in SQLite that is faster than statements of
    /// hundreds of ids each, every one of which is compiled, and its list of ids built into a
    /// temporary index, anew. The leading values are bound once, and each run binds its id alone.
    func execute(_ statement: String, forEach ids: [SQLiteValue], after leading: [SQLiteValue]) throws {
        guard !ids.isEmpty else { return }
        let prepared = try prepare("\(statement) (?\(leading.count + 1))")
        defer { prepared.reset() }
        try prepared.bind(leading)
        let parameter = Int32(leading.count + 1)
        for id in ids {
            try prepared.bind(parameter, id)
            try prepared.runBound()
        }
    }

    /// One row per step of one prepared statement, so a later row with a key replaces an earlier one.
    func insert(into table: String, columns: [String], rows: some Sequence<[SQLiteValue]>, replacingOn key: [String]?) throws {
        var statement: SQLiteStatement?
        for row in rows {
            if statement == nil {
                let parameters = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
                statement = try prepare(
                    "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(parameters))"
                        + (key.map { upsertClause(columns: columns, key: $0) } ?? ""))
            }
            try statement!.run(row)
        }
    }
}

/// What an insert with a key does with a row whose key is already there: every other column is
/// set to the new row's, in place (`ON CONFLICT … DO UPDATE`, which SQLite and PostgreSQL both
/// read), so the row is updated rather than deleted and inserted again with all its indexes.
func upsertClause(columns: [String], key: [String]) -> String {
    let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
    return " ON CONFLICT (\(key.joined(separator: ", "))) DO " + (updates.isEmpty ? "NOTHING" : "UPDATE SET " + updates.joined(separator: ", "))
}
