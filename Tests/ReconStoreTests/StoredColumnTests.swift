@testable import ReconStore
import Testing

@Suite("Columns as the store holds them")
struct StoredColumnTests {
    /// A row that answers only the basic questions, so that it reads its columns with the
    /// protocol's own ``StoreRow/stored(_:)``, as a PostgreSQL row does.
    struct BasicRow: StoreRow {
        let statement: SQLiteStatement
        func isNull(_ column: Int32) -> Bool { statement.isNull(column) }
        func isInteger(_ column: Int32) -> Bool { statement.isInteger(column) }
        func int64(_ column: Int32) -> Int64? { statement.int64(column) }
        func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? { statement.bytes(column) }
        func bytes(_ column: Int32, isBlob: inout Bool) -> UnsafeBufferPointer<UInt8>? { statement.bytes(column, isBlob: &isBlob) }
    }

    /// What a stored column is, as text for comparing.
    func described(_ column: StoredColumn) -> String {
        switch column {
        case .null: "NULL"
        case .integer(let number): "integer \(number)"
        case .text(let bytes): bytes.map { "text \(Array($0))" } ?? "no bytes"
        }
    }

    @Test("SQLite's statement reads each column as the protocol's questions one by one do")
    func sameAsOneByOne() throws {
        let database = try SQLiteDatabase(path: ":memory:", mode: .create)
        let statement = try database.prepare("SELECT NULL, 42, -7, 4.5, 'text', '', x'00ff', x'', '12'")
        #expect(try statement.step())
        let expected = [
            "NULL", "integer 42", "integer -7", "text \(Array("4.5".utf8))", "text \(Array("text".utf8))", "text []",
            "text [0, 255]", "text []", "text \(Array("12".utf8))",
        ]
        for column in Int32(0)..<statement.columnCount {
            let direct = described(statement.stored(column))
            #expect(direct == expected[Int(column)], "column \(column)")
            #expect(described(BasicRow(statement: statement).stored(column)) == direct, "column \(column)")
        }
    }
}
