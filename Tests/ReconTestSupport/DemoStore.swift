import Foundation
import ReconStore

/// Stores for tests: empty ones, and copies of the demo's.
public enum DemoStore {
    /// Creates a store at `path` holding the demo rows of `fixtures/demo/store.sql`.
    @discardableResult
    public static func make(at path: String) throws -> String {
        try OrderStore.create(path: path)
        let database = try SQLiteDatabase(path: path)
        try database.execute(try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8))
        return path
    }

    /// Runs SQL against a store file.
    public static func execute(_ sql: String, in path: String) throws {
        try SQLiteDatabase(path: path).execute(sql)
    }
}
