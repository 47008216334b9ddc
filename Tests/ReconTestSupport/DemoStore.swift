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

    /// SQL that puts a view named `orders` in place of the table, repeating each order `condition`
    /// selects with 100 more minor units: a store whose keys are not unique.
    public static func repeatingOrders(where condition: String) -> String {
        """
        ALTER TABLE orders RENAME TO orders_base;
        CREATE VIEW orders AS
            SELECT * FROM orders_base
            UNION ALL
            SELECT out_trade_no, combine_out_trade_no, provider, merchant_id, amount_minor + 100, currency, status,
                   last_error_code, provider_txn_id, created_at, paid_at, updated_at
            FROM orders_base WHERE \(condition);
        """
    }
}
