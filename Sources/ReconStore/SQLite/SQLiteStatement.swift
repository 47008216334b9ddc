import CSQLite

/// A compiled statement of a ``SQLiteDatabase``: bind, step, read columns, reset.
public final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase
    /// The statement's SQL.
    public let sql: String

    /// The text of the values bound by ``bind(_:)``, one after another, which SQLite reads in
    /// place until the statement is bound again, reset or finalized.
    private var boundText: UnsafeMutableRawBufferPointer?

    init(statement: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.statement = statement
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
        boundText?.deallocate()
    }

    /// Binds text, or NULL for `nil`, to the 1-based parameter `index`: its UTF-8 bytes as they
    /// are, with their length, so no C string is made and nothing is cut at a NUL.
    public func bind(_ index: Int32, _ value: String?) throws {
        guard var value else { return try check(sqlite3_bind_null(statement, index)) }
        try value.withUTF8 { try bind(index, text: $0) }
    }

    /// Binds text given as its bytes, as they are (UTF-8 or not), to the 1-based parameter `index`.
    public func bind(_ index: Int32, text bytes: UnsafeBufferPointer<UInt8>) throws {
        // Text without storage still binds as empty text: a null pointer would bind NULL.
        guard let base = bytes.baseAddress else { return try check(sqlite3_bind_text(statement, index, "", 0, csqlite_transient())) }
        let code = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text64(statement, index, $0, sqlite3_uint64(bytes.count), csqlite_transient(), UInt8(SQLITE_UTF8))
        }
        try check(code)
    }

    /// Binds an integer, or NULL for `nil`, to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: Int64?) throws {
        try check(value.map { sqlite3_bind_int64(statement, index, $0) } ?? sqlite3_bind_null(statement, index))
    }

    /// Binds an integer to the 1-based parameter `index`.
    public func bind(_ index: Int32, _ value: Int) throws {
        try bind(index, Int64(value))
    }

    /// Binds a value to the 1-based parameter `index`; SQLite copies text.
    public func bind(_ index: Int32, _ value: SQLiteValue) throws {
        switch value {
        case .null: try check(sqlite3_bind_null(statement, index))
        case .integer(let number): try check(sqlite3_bind_int64(statement, index, number))
        case .text(let text): try bind(index, text)
        }
    }

    /// Binds several values to parameters 1, 2, …
    ///
    /// The texts are copied into one buffer the statement keeps, and SQLite reads them there,
    /// rather than each text being copied by SQLite into an allocation of its own.
    public func bind(_ values: [SQLiteValue]) throws {
        var length = 0
        for case .text(let text) in values { length += text.utf8.count }
        if boundText == nil || length > boundText!.count {
            // Nothing may still read the old buffer: a statement is only bound again once reset.
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            boundText?.deallocate()
            boundText = .allocate(byteCount: max(length, 1024), alignment: 8)
        }
        var index: Int32 = 0
        var offset = 0
        for value in values {
            index += 1
            switch value {
            case .null: try check(sqlite3_bind_null(statement, index))
            case .integer(let number): try check(sqlite3_bind_int64(statement, index, number))
            case .text(var text):
                let target = boundText!.baseAddress! + offset
                let count = text.withUTF8 { bytes in
                    if let base = bytes.baseAddress { target.copyMemory(from: base, byteCount: bytes.count) }
                    return bytes.count
                }
                // Text without bytes still binds as empty text: a null pointer would bind NULL.
                try check(
                    sqlite3_bind_text64(
                        statement, index, target.assumingMemoryBound(to: CChar.self), sqlite3_uint64(count), nil,
                        UInt8(SQLITE_UTF8)))
                offset += count
            }
        }
    }

    /// The number of columns a row of the statement has.
    public var columnCount: Int32 { sqlite3_column_count(statement) }

    /// Advances to the next row; `false` when there are no more.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw SQLiteError(code: code, message: database.lastMessage, path: database.path, sql: sql)
    }

    /// Resets the statement and clears its bindings, ready to run again.
    public func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// Runs the statement to completion with the values bound, and resets it with them still
    /// bound, to run again once some are bound anew.
    public func runBound() throws {
        defer { sqlite3_reset(statement) }
        while try step() {}
    }

    /// Binds `values`, runs the statement to completion and resets it.
    public func run(_ values: [SQLiteValue]) throws {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// `true` when the 0-based column of the current row is NULL.
    public func isNull(_ column: Int32) -> Bool {
        sqlite3_value_type(value(column)) == SQLITE_NULL
    }

    /// `true` when the 0-based column of the current row holds an integer.
    public func isInteger(_ column: Int32) -> Bool {
        sqlite3_value_type(value(column)) == SQLITE_INTEGER
    }

    /// The column as text, `nil` when NULL.
    public func text(_ column: Int32) -> String? {
        bytes(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The column as an integer, `nil` when NULL.
    public func int64(_ column: Int32) -> Int64? {
        let value = value(column)
        return sqlite3_value_type(value) == SQLITE_NULL ? nil : sqlite3_value_int64(value)
    }

    /// The column's text bytes, `nil` for NULL; valid until the statement steps or resets.
    public func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        Self.textBytes(of: value(column))
    }

    /// ``bytes(_:)``, and whether SQLite holds them as a BLOB: the value is fetched once for both.
    public func bytes(_ column: Int32, isBlob: inout Bool) -> UnsafeBufferPointer<UInt8>? {
        let value = value(column)
        isBlob = sqlite3_value_type(value) == SQLITE_BLOB
        return Self.textBytes(of: value)
    }

    /// The column as SQLite stores it, its value fetched once.
    func stored(_ column: Int32) -> StoredColumn {
        let value = value(column)
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_value_int64(value))
        default: return .text(Self.textBytes(of: value))
        }
    }

    /// A value's text bytes, `nil` for NULL.
    @inline(__always)
    private static func textBytes(of value: OpaquePointer?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer = sqlite3_value_text(value) else { return nil }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_value_bytes(value)))
    }

    /// The 0-based column of the current row as SQLite holds it, valid until the statement steps
    /// or resets: one call into the connection per column, where each `sqlite3_column_*` call
    /// would enter and leave it. A connection is used by one thread at a time, as the
    /// `sqlite3_value_*` functions need for such a value.
    private func value(_ column: Int32) -> OpaquePointer? {
        sqlite3_column_value(statement, column)
    }

    /// Calls `body` with the column's text bytes (empty for NULL); the bytes are valid only inside.
    public func withBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_text(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        return try body(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, message: database.lastMessage, path: database.path, sql: sql)
        }
    }
}

/// A value to bind to a statement parameter.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// An integer.
    case integer(Int64)
    /// Text.
    case text(String)

    /// Text, or NULL for `nil`.
    public static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }
    /// An integer, or NULL for `nil`.
    public static func optional(_ number: Int64?) -> SQLiteValue { number.map(SQLiteValue.integer) ?? .null }
}
