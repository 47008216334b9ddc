/// An error reported by PostgreSQL or by libpq, with the server and the statement involved.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The SQLSTATE code (`42P01` for a missing table, `08001` when no connection could be made),
    /// or `nil` when libpq failed before the server answered.
    public let sqlState: String?
    /// The server's or libpq's message.
    public let message: String
    /// The database, as ``PostgresAddress/display`` names it.
    public let location: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// What to do next, when the SQLSTATE's class does not say it.
    private var given: String?

    /// Creates an error.
    public init(sqlState: String?, message: String, location: String, sql: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.location = location
        self.sql = sql
    }

    /// libpq itself could not be loaded, for `reason`, when `location` was to be opened.
    static func libraryMissing(_ reason: String, location: String) -> PostgresError {
        var error = PostgresError(sqlState: nil, message: "libpq could not be loaded: \(reason)", location: location)
        error.given = "A store or results database in PostgreSQL needs PostgreSQL's client library, libpq 5: install it "
            + "(Debian: apt-get install libpq5), or use SQLite files."
        return error
    }

    public var description: String {
        var text = "PostgreSQL error\(sqlState.map { " \($0)" } ?? "") in \(location): \(message)"
        if let sql { text += " (while running: \(sql.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(160)))" }
        return text
    }

    /// `true` when the server could not be reached, is going away or is out of resources
    /// (SQLSTATE classes 08, 57, 53, or no answer at all): a failure to retry, not bad data.
    public var isUnavailable: Bool { ["08", "53", "57", nil].contains(sqlState?.prefix(2)) }

    /// What to do next: the advice the error was made with, else by the SQLSTATE's class.
    public var advice: String {
        if let given { return given }
        return switch sqlState?.prefix(2) {
        case "08", nil:
            "Check that the server is running and reachable at that address, and the user, database and password file "
                + "(PGPASSFILE or ~/.pgpass, mode 0600) or PGPASSWORD."
        case "28":
            "The server refused the login: check the user and the password file (PGPASSFILE or ~/.pgpass, mode 0600; "
                + "libpq ignores a file others can read) or PGPASSWORD."
        case "42":
            "A table, view or column the job reads is missing or named differently: see the README's 'Local store' "
                + "section, or map the names with views."
        case "25":
            "The connection is read-only: order-recon never writes to a PostgreSQL order store."
        case "57", "53":
            "The server is shutting down or out of resources; run again when it is back."
        default:
            "Check the server's log for this statement."
        }
    }
}
