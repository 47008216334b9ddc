import ReconCore
import CSQLite

/// A problem with the order store. Each message names the file, the table, and where possible the
/// order and column, and says what to do.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The store file does not exist.
    case fileNotFound(path: String)
    /// The store path names a folder.
    case isFolder(path: String)
    /// The results file (`results.url`) names a folder.
    case resultsIsFolder(path: String)
    /// A table (or view) the job needs is missing.
    case missingTable(path: String, table: String)
    /// Required columns are missing from a table or view.
    case missingColumns(path: String, table: String, columns: [String])
    /// A value cannot be understood.
    case badValue(path: String, table: String, key: String, column: String, value: String, expected: String)
    /// Two or more rows of a table or view share a key that must be unique.
    case duplicateKey(path: String, table: String, column: String, key: String, rows: [String])
    /// A refund names an order that is not in `orders`.
    case orphanRefund(path: String, outRefundNo: String, outTradeNo: String)
    /// The store was written by a newer version of the job.
    case newerSchema(path: String, version: Int, supported: Int)
    /// Objects of the merchant's own depend on the table `recon_open_items`, which the schema
    /// upgrade replaces by a view of the same name and columns (``OpenItemTables``).
    case dependsOnOpenItems(path: String, objects: [String])
    /// SQLite failed.
    case sqlite(SQLiteError)
    /// PostgreSQL (or libpq) failed.
    case postgres(PostgresError)
    /// A column of a PostgreSQL store has a type the job cannot read as the store contract says.
    case columnType(path: String, table: String, column: String, type: String, expected: String)
    /// `--apply` would write to a table that is a view (or missing).
    case notWritable(path: String, table: String)
    /// No open item has the id given.
    case noSuchItem(path: String, id: String)
    /// The item is already resolved or acknowledged.
    case notOpen(path: String, reason: String)
    /// Another worker holds these merchants' results (a run of the same merchants is under way).
    case claimed(location: String, merchants: [MerchantRef], holders: [String])

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "The order store \(path) does not exist. Check the path given with --store or in the config "
                + "file, or create an empty store with 'order-recon store init --store \(path)'."
        case .isFolder(let path):
            return "The order store \(path) is a folder, not an SQLite file. Point --store (or store.path) at the database "
                + "file inside it."
        case .resultsIsFolder(let path):
            return "The results file \(path) is a folder. Point --results (or results.url) at an SQLite file, "
                + "which order-recon creates when it does not exist."
        case .missingTable(let path, let table):
            return "The order store \(path) has no '\(table)' table or view. Create it (see the README's "
                + "'Local store' section for the columns), or point --store at the right database."
        case .missingColumns(let path, let table, let columns):
            return "The '\(table)' table of \(path) lacks the column(s) \(columns.joined(separator: ", ")). Add them, "
                + "or create a view named '\(table)' that provides them (see the README's 'Local store' section)."
        case .badValue(let path, let table, let key, let column, let value, let expected):
            return "\(path): \(table).\(column) of '\(key)' is '\(value)', which is not \(expected). Correct the row, "
                + "or fix the view that produces it, and run again."
        case .duplicateKey(let path, let table, let column, let key, let rows):
            let listed = rows.enumerated().map { "(\($0.offset + 1)) \($0.element)" }.joined(separator: "; ")
            return "\(path): '\(table)' has \(rows.count) rows with \(column) '\(key)': \(listed). Each \(column) must be "
                + "unique, or the job would reconcile one row and drop the other; fix the table or the view that produces "
                + "it, and run again."
        case .orphanRefund(let path, let outRefundNo, let outTradeNo):
            return "\(path): refund '\(outRefundNo)' refers to order '\(outTradeNo)', which is not in 'orders'. "
                + "Add the order (its provider, merchant and currency apply to the refund) or correct the refund."
        case .newerSchema(let path, let version, let supported):
            return "\(path) has schema version \(version), but this order-recon understands up to \(supported). "
                + "Upgrade order-recon before running it on this store."
        case .dependsOnOpenItems(let path, let objects):
            return "\(path): \(objects.joined(separator: ", ")) depend\(objects.count == 1 ? "s" : "") on the table "
                + "recon_open_items, which this order-recon replaces by a view of the same name and columns over "
                + "recon_items and recon_item_sightings. Drop \(objects.count == 1 ? "it" : "them"), run again (or "
                + "'order-recon store migrate'), then create \(objects.count == 1 ? "it" : "them") again: a view reads "
                + "recon_open_items as before; a trigger belongs on recon_items."
        case .notWritable(let path, let table):
            return "\(path): '\(table)' is not a table, so --apply cannot write the resolved states to it. Run without "
                + "--apply and update the underlying table from the report's pending_resolved rows."
        case .noSuchItem(let path, let id):
            return "\(path) has no item with id '\(id)'. 'order-recon open' lists the open items with their ids; "
                + "the reports give them too."
        case .notOpen(let path, let reason):
            return "\(path): \(reason)"
        case .claimed(let location, let merchants, let holders):
            let names = merchants.prefix(5).map(\.description).joined(separator: ", ")
                + (merchants.count > 5 ? " and \(merchants.count - 5) more" : "")
            return "\(location): another run holds the results of \(names)"
                + (holders.isEmpty ? "" : " (\(holders.joined(separator: "; ")))")
                + ". Two workers must not reconcile the same merchant at once: check that every worker was given a "
                + "different --shard of the same count, or wait for that run to finish and run again."
        case .sqlite(let error):
            return "\(error). " + Self.advice(forSQLiteCode: error.code)
        case .postgres(let error):
            return "\(error). " + error.advice
        case .columnType(let path, let table, let column, let type, let expected):
            return "\(path): \(table).\(column) is of type \(type), but the job reads it as \(expected). Change the "
                + "column, or read the table through a view that converts it (see the README's 'Orders in PostgreSQL')."
        }
    }

    /// What to do about an SQLite error, by its primary result code.
    static func advice(forSQLiteCode code: Int32) -> String {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            "Another program holds a lock on the store; let it finish (or stop it) and run again."
        case SQLITE_READONLY:
            "The store cannot be written: the file, or the folder SQLite keeps its journal in, is read-only. order-recon "
                + "writes its results into the store; give the user that runs it write access to both."
        case SQLITE_CANTOPEN:
            "Check that the path names an SQLite file that exists, and that the user running order-recon may read and "
                + "write it and its folder."
        case SQLITE_NOTADB:
            "The file is not an SQLite database; check the path given with --store or in store.path."
        case SQLITE_CORRUPT:
            "The database is damaged; restore it from a backup (or try 'sqlite3 FILE .recover') and run again."
        case SQLITE_FULL:
            "The disk is full; free some space and run again."
        case SQLITE_IOERR:
            "Reading or writing the file failed; check the disk and the file system it is on."
        default:
            "Check that the file is an SQLite database that order-recon may read and write."
        }
    }
}
