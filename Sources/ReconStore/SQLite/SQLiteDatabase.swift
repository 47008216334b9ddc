import CSQLite

/// A connection to one SQLite database file.
///
/// Not thread-safe: one task owns a connection at a time.
public final class SQLiteDatabase {
    /// How a connection opens its file.
    public enum Mode: Sendable {
        /// Read only; the file must exist.
        case readOnly
        /// Read and write; the file must exist.
        case readWrite
        /// Read and write; the file is created when missing.
        case create
    }

    let handle: OpaquePointer
    /// The file the connection opened.
    public let path: String

    /// Opens `path`.
    /// - Parameters:
    ///   - path: The database file.
    ///   - mode: Whether to open read-only, read-write, or create the file.
    ///   - busyTimeoutMilliseconds: How long to wait for another connection's lock.
    /// - Throws: ``SQLiteError`` when the file cannot be opened.
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 10_000) throws {
        _ = Self.withoutMemoryStatistics
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message, path: path)
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    /// SQLite keeps statistics of its memory use under one process-wide mutex, which every
    /// allocation of every connection takes (Debian's build has no lookaside memory to spare
    /// them); nothing here reads those statistics. Set once, before the first connection opens.
    private static let withoutMemoryStatistics: Void = { _ = csqlite_config_memstatus(0) }()

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, path: path, sql: sql)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: code, message: lastMessage, path: path, sql: sql)
        }
        return SQLiteStatement(statement: statement, database: self, sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// - Parameter immediate: Take the write lock at once (`BEGIN IMMEDIATE`).
    public func transaction<T>(immediate: Bool = false, _ body: () throws -> T) throws -> T {
        try inTransaction(begin: immediate ? "BEGIN IMMEDIATE" : "BEGIN", { try execute($0) }, body)
    }

    /// Runs `body`, whose statements only read, in one read transaction, unless one is already
    /// open: its statements then see one snapshot, and the file is locked once rather than once
    /// per statement.
    public func reading<T>(_ body: () throws -> T) throws -> T {
        guard sqlite3_get_autocommit(handle) != 0 else { return try body() }
        return try transaction(body)
    }

    /// `PRAGMA data_version`: a number that changes when another connection commits to the file,
    /// and only then; comparable only with earlier values of the same connection.
    public var dataVersion: Int64 {
        get throws {
            let statement = try prepare("PRAGMA data_version")
            _ = try statement.step()
            return statement.int64(0) ?? 0
        }
    }

    /// The value of `PRAGMA user_version`.
    public var userVersion: Int {
        get throws {
            let statement = try prepare("PRAGMA user_version")
            _ = try statement.step()
            return Int(statement.int64(0) ?? 0)
        }
    }

    /// Sets `PRAGMA user_version`.
    public func setUserVersion(_ version: Int) throws {
        try execute("PRAGMA user_version = \(version)")
    }

    /// The type (`table` or `view`) of a schema object, or `nil` when there is none by that name.
    public func objectType(named name: String) throws -> String? {
        let statement = try prepare("SELECT type FROM sqlite_schema WHERE name = ?1 AND type IN ('table', 'view')")
        try statement.bind(1, name)
        return try statement.step() ? statement.text(0) : nil
    }

    /// Whether `table` is a table that holds each text of `column` on one row at most: the column
    /// has TEXT affinity (so a number is stored as text, never as an integer whose text another
    /// row holds) and a unique index (its primary key, say) on it alone and on all of its rows. A
    /// view, another affinity, or an index on more columns, on an expression or with a `WHERE`
    /// clause, keeps no such promise. A BLOB holds the same bytes apart from text: the reader refuses one.
    public func keepsUnique(_ column: String, in table: String) throws -> Bool {
        guard try objectType(named: table) == "table" else { return false }
        let declared = try prepare("SELECT type FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE")
        try declared.bind(1, table)
        try declared.bind(2, column)
        // SQLite's rules for a column's affinity: INT first, then CHAR, CLOB or TEXT.
        guard try declared.step(), let type = declared.text(0)?.uppercased(), !type.contains("INT"),
            ["CHAR", "CLOB", "TEXT"].contains(where: type.contains)
        else { return false }
        let indexes = try prepare("SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1 AND partial = 0")
        try indexes.bind(1, table)
        var names: [String] = []
        while try indexes.step() { names.append(indexes.text(0) ?? "") }
        let columns = try prepare("SELECT name FROM pragma_index_info(?1)")
        for name in names {
            try columns.bind(1, name)
            defer { columns.reset() }
            var indexed: [String?] = []
            while try columns.step() { indexed.append(columns.text(0)) }
            // Column names are compared as SQLite compares them: ASCII letters in either case.
            if indexed.count == 1, let only = indexed[0], only.lowercased() == column.lowercased() { return true }
        }
        return false
    }

    /// The column names of a table or view, in order.
    public func columns(of table: String) throws -> [String] {
        let statement = try prepare("SELECT name FROM pragma_table_info(?1)")
        try statement.bind(1, table)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0) ?? "") }
        return names
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
