import CSQLite

/// An error reported by SQLite, with the database file and the statement involved.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's result code.
    public let code: Int32
    /// SQLite's message.
    public let message: String
    /// The database file.
    public let path: String
    /// The statement that failed, when there was one.
    public let sql: String?

    /// Creates an error.
    public init(code: Int32, message: String, path: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.sql = sql
    }

    /// `true` when the database was locked by another connection for longer than the busy timeout.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(code) in \(path): \(message)"
        if let sql { text += " (while running: \(sql.split(separator: "\n").joined(separator: " ").prefix(160)))" }
        return text
    }
}
