import ArgumentParser
import Foundation
import ReconStore

/// A yardstick for the machine's speed: a DuckDB full outer join of the same store and bill.
///
/// A shared machine's speed drifts by a factor of two from minute to minute, so a wall time alone
/// says little. DuckDB does the core of the same work (read both sides, join them on
/// `out_trade_no`, count the orders missing on either side and the amounts that differ), and its
/// time, taken in turn with `order-recon`'s, turns a wall time into a ratio that holds on a slow
/// minute as on a fast one.
///
/// The join runs in a Python interpreter that has the `duckdb` package. The store's orders are
/// exported once to CSV, as DuckDB reads SQLite only through an extension it downloads. The
/// script reports its own time from inside the interpreter, so the interpreter's start-up and
/// the import are not counted against DuckDB.
struct DuckDBReference {
    /// The Python interpreter with `duckdb` installed.
    let python: String
    /// The orders exported from the store.
    let ordersCSV: String
    /// The script that runs the join.
    let script: String

    /// What one join measured.
    struct Result {
        var seconds: Double
        var missingInBill: Int
        var missingLocally: Int
        var amountMismatches: Int
    }

    /// Writes the script, and the orders' CSV unless it exists and `reuse` is set.
    init(python: String, workspace: String, store: String, rows: Int, reuse: Bool) throws {
        self.python = python
        ordersCSV = workspace + "/orders-\(rows).csv"
        script = workspace + "/duckdb-join.py"
        try Self.source.write(toFile: script, atomically: true, encoding: .utf8)
        if !(reuse && FileManager.default.fileExists(atPath: ordersCSV)) {
            try Self.exportOrders(from: store, to: ordersCSV)
        }
    }

    /// Runs the join once, timed from outside too for its CPU time and peak RSS.
    func run(bill: String, output: String) throws -> (Measurement, Result?) {
        var measurement = try Measurement.of(python, [script, bill, ordersCSV], output: output)
        let words = (try? String(contentsOfFile: output, encoding: .utf8))?.split(separator: " ") ?? []
        guard words.count == 4, let seconds = Double(words[0]), let missingInBill = Int(words[1]),
            let missingLocally = Int(words[2]), let amounts = Int(words[3].trimmingCharacters(in: .whitespacesAndNewlines))
        else { return (measurement, nil) }
        measurement.wall = seconds
        return (measurement, Result(seconds: seconds, missingInBill: missingInBill, missingLocally: missingLocally, amountMismatches: amounts))
    }

    static func exportOrders(from store: String, to path: String) throws {
        let database = try SQLiteDatabase(path: store)
        let statement = try database.prepare("SELECT out_trade_no, amount_minor FROM orders")
        guard FileManager.default.createFile(atPath: path, contents: nil), let output = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot write \(path)") }
        defer { try? output.close() }
        var buffer = ""
        while try statement.step() {
            buffer += "\(statement.text(0) ?? ""),\(statement.int64(1) ?? 0)\n"
            if buffer.utf8.count > 1 << 20 {
                output.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        output.write(Data(buffer.utf8))
    }

    /// Reads the WeChat bill's payment rows (columns 6, 9 and 12: out_trade_no, status and
    /// amount, each behind a backtick) and the orders, joins them and prints
    /// `seconds missing_in_bill missing_locally amount_mismatches`.
    static let source = #"""
        import sys, time
        import duckdb

        bill, orders = sys.argv[1], sys.argv[2]
        started = time.time()
        con = duckdb.connect()
        columns = {f"c{i}": "VARCHAR" for i in range(28)}
        con.execute(f"""
            CREATE TABLE bill AS
            SELECT substr(c6, 2) AS out_trade_no, CAST(replace(substr(c12, 2), '.', '') AS BIGINT) AS amount
            FROM read_csv('{bill}', header = false, skip = 1, null_padding = true, columns = {columns},
                          quote = '', escape = '', delim = ',', strict_mode = false)
            WHERE c9 = '`SUCCESS' AND c6 LIKE '`%'""")
        con.execute(f"""
            CREATE TABLE orders AS
            SELECT * FROM read_csv('{orders}', header = false, columns = {{'out_trade_no': 'VARCHAR', 'amount': 'BIGINT'}})""")
        counts = con.execute("""
            SELECT count(*) FILTER (WHERE b.out_trade_no IS NULL), count(*) FILTER (WHERE o.out_trade_no IS NULL),
                   count(*) FILTER (WHERE o.amount <> b.amount)
            FROM orders o FULL OUTER JOIN bill b ON o.out_trade_no = b.out_trade_no""").fetchone()
        print("%.3f %d %d %d" % ((time.time() - started,) + counts))
        """#
}
