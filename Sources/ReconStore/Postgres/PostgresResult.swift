import CLibPQ

/// The rows of one statement, in libpq's text format; freed when the last reference goes.
final class PostgresResult {
    let handle: OpaquePointer
    /// The library the result came from.
    let pq: CLibPQFunctions
    /// How many rows it holds.
    let count: Int

    init(_ handle: OpaquePointer, pq: CLibPQFunctions) {
        self.handle = handle
        self.pq = pq
        count = Int(pq.ntuples(handle))
    }

    deinit { pq.clear(handle) }

    /// The rows, one after the other.
    var rows: [PostgresRow] { (0..<count).map { PostgresRow(result: self, row: Int32($0)) } }
}

/// One row of a ``PostgresResult``.
struct PostgresRow: StoreRow {
    let result: PostgresResult
    let row: Int32

    /// PostgreSQL's type ids of the integer types: `int2`, `int4`, `int8`.
    private static let integerTypes: Set<UInt32> = [21, 23, 20]

    func isNull(_ column: Int32) -> Bool { result.pq.getisnull(result.handle, row, column) == 1 }

    func isInteger(_ column: Int32) -> Bool {
        !isNull(column) && Self.integerTypes.contains(result.pq.ftype(result.handle, column))
    }

    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard !isNull(column), let value = result.pq.getvalue(result.handle, row, column) else { return nil }
        return UnsafeBufferPointer(
            start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: Int(result.pq.getlength(result.handle, row, column)))
    }

    func bytes(_ column: Int32, isBlob: inout Bool) -> UnsafeBufferPointer<UInt8>? {
        isBlob = false
        return bytes(column)
    }

    func int64(_ column: Int32) -> Int64? { text(column).flatMap { Int64($0) } }
}
