/// One row of a store's result, as ``RowDecoder`` reads it: SQLite's statement or a PostgreSQL row.
protocol StoreRow {
    /// `true` when the 0-based column is NULL.
    func isNull(_ column: Int32) -> Bool
    /// `true` when the column holds an integer (SQLite's INTEGER storage class, PostgreSQL's
    /// `smallint`, `integer` or `bigint`).
    func isInteger(_ column: Int32) -> Bool
    /// The column as an integer, `nil` when NULL.
    func int64(_ column: Int32) -> Int64?
    /// The column's text bytes, `nil` for NULL; valid while the row is.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>?
    /// ``bytes(_:)``, and whether the column holds them as a BLOB rather than as text (SQLite's
    /// BLOB storage class; never in PostgreSQL, whose text columns hold text).
    func bytes(_ column: Int32, isBlob: inout Bool) -> UnsafeBufferPointer<UInt8>?
    /// The column as it is stored: NULL, an integer, or anything else as its text bytes.
    func stored(_ column: Int32) -> StoredColumn
}

/// A column of a ``StoreRow`` as the store holds it; the bytes are valid while the row is.
enum StoredColumn {
    case null
    case integer(Int64)
    /// Text, or any other value (SQLite's REAL or BLOB) as its text; `nil` where the database
    /// gave no bytes for it.
    case text(UnsafeBufferPointer<UInt8>?)
}

extension StoreRow {
    /// The column as text, `nil` when NULL; bytes that are not UTF-8 are repaired.
    func text(_ column: Int32) -> String? { bytes(column).map { String(decoding: $0, as: UTF8.self) } }

    func stored(_ column: Int32) -> StoredColumn {
        if isNull(column) { return .null }
        if isInteger(column), let number = int64(column) { return .integer(number) }
        return .text(bytes(column))
    }
}

extension SQLiteStatement: StoreRow {}
