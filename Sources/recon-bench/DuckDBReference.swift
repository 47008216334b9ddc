import ArgumentParser
import BenchData
import Foundation
import ReconCore

/// The yardstick: what a merchant who writes SQL would run with DuckDB over the same day. The
/// script attaches the SQLite store read-only, reads the bill, full-outer-joins the day's orders
/// with the bill's payments and the day's refunds with its refunds, writes every discrepancy to a
/// CSV file and prints its own time and the count of each kind.
///
/// It runs in a Python interpreter with the `duckdb`, `duckdb-extension-sqlite-scanner` and
/// `duckdb-extensions` packages (the SQLite extension from PyPI, as there is no other network).
/// The time is taken inside the interpreter, so its start-up and the imports are not counted
/// against DuckDB; CPU time and peak RSS are the whole child's.
struct DuckDBReference {
    /// The Python interpreter.
    let python: String
    /// The folder the script and its output go to.
    let workspace: String

    var script: String { workspace + "/duckdb-day.py" }
    var output: String { workspace + "/duckdb-discrepancies.csv" }

    /// Writes the script, and checks the interpreter has what it needs.
    func prepare() throws {
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try Self.source.write(toFile: script, atomically: true, encoding: .utf8)
        let check = try Measurement.of(python, ["-c", "import duckdb, duckdb_extensions; duckdb_extensions.import_extension('sqlite_scanner')"])
        guard check.status == 0 else {
            throw ValidationError(
                "\(python) cannot load DuckDB's SQLite extension. Make a venv with: python3 -m venv .venv-bench && "
                    + ".venv-bench/bin/pip install duckdb duckdb-extension-sqlite-scanner duckdb-extensions")
        }
    }

    /// Runs the script once on `store` and `bill` for `day` (Beijing time); returns its measurement
    /// (wall time as the script took it) and the discrepancies it found by kind.
    func run(store: String, bill: String, day: CivilDate) throws -> (Measurement, [String: Int]) {
        // The paths go into the script's SQL as literals.
        for path in [store, bill, output] where path.contains("'") {
            throw ValidationError("\(path): a path with a quote (') cannot be given to the DuckDB script; choose another --workspace.")
        }
        let printed = workspace + "/duckdb-output.json"
        let window = DayWindow(day: day, zone: .shanghai)
        let (start, end) = (Timestamp(epochSeconds: window.start).rfc3339, Timestamp(epochSeconds: window.end).rfc3339)
        var measurement = try Measurement.of(python, [script, store, bill, BenchDay.merchantID(0), start, end, output], output: printed)
        guard let data = FileManager.default.contents(atPath: printed),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let seconds = json["seconds"] as? Double,
            let counts = json["counts"] as? [String: Int]
        else { return (measurement, [:]) }
        measurement.wall = seconds
        return (measurement, counts)
    }

    static let source = #"""
        import json, sys, time
        import duckdb, duckdb_extensions

        store, bill, merchant, start, end, output = sys.argv[1:7]
        duckdb_extensions.import_extension("sqlite_scanner")
        started = time.time()
        con = duckdb.connect()
        con.execute("LOAD sqlite_scanner")
        con.execute(f"ATTACH '{store}' AS s (TYPE sqlite, READ_ONLY)")
        columns = {f"c{i}": "VARCHAR" for i in range(28)}
        # A WeChat Pay ALL bill: every field behind a backtick, commas in free text unquoted (they
        # only shift the columns after 商品名称, which the joins do not use), the summary at the end.
        con.execute(f"""
            CREATE TEMP TABLE b AS
            SELECT substr(c6, 2) AS out_trade_no, substr(c9, 2) AS state, substr(c11, 2) AS currency,
                   CAST(CAST(substr(c12, 2) AS DECIMAL(18, 2)) * 100 AS BIGINT) AS paid,
                   substr(c15, 2) AS out_refund_no, CAST(CAST(substr(c16, 2) AS DECIMAL(18, 2)) * 100 AS BIGINT) AS refunded,
                   substr(c19, 2) AS refund_state
            FROM read_csv('{bill}', header = false, skip = 1, null_padding = true, columns = {columns},
                          quote = '', escape = '', delim = ',', strict_mode = false)
            WHERE c0 LIKE '`20%'""")
        window = f"BETWEEN TIMESTAMPTZ '{start}' AND TIMESTAMPTZ '{end}' - INTERVAL 1 SECOND"
        con.execute(f"""
            CREATE TEMP TABLE d AS
            WITH o AS (
                SELECT out_trade_no, amount_minor, currency, status FROM s.orders
                WHERE provider = 'wechatpay' AND merchant_id = '{merchant}'
                  AND CAST(coalesce(paid_at, created_at) AS TIMESTAMPTZ) {window}),
            p AS (
                SELECT out_trade_no, any_value(paid) AS paid, any_value(currency) AS currency, count(*) AS n
                FROM b WHERE state = 'SUCCESS' GROUP BY out_trade_no),
            r AS (
                SELECT r.out_refund_no, r.out_trade_no, r.amount_minor FROM s.refunds r JOIN s.orders o USING (out_trade_no)
                WHERE o.provider = 'wechatpay' AND o.merchant_id = '{merchant}' AND r.status = 'SUCCESS'
                  AND CAST(coalesce(r.succeeded_at, r.created_at) AS TIMESTAMPTZ) {window}),
            br AS (SELECT out_refund_no, out_trade_no, refunded FROM b WHERE state = 'REFUND' AND refund_state = 'SUCCESS'),
            found AS (
                SELECT CASE
                         WHEN p.out_trade_no IS NULL THEN
                           CASE WHEN o.status IN ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED') THEN 'missing_in_bill' END
                         WHEN o.out_trade_no IS NULL THEN 'missing_locally'
                         WHEN o.currency <> p.currency THEN 'currency_mismatch'
                         WHEN o.status NOT IN ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED') THEN 'status_mismatch'
                         WHEN o.amount_minor <> p.paid THEN 'amount_mismatch'
                       END AS kind,
                       coalesce(o.out_trade_no, p.out_trade_no) AS out_trade_no, NULL AS out_refund_no,
                       o.amount_minor AS store_minor, p.paid AS bill_minor
                FROM o FULL OUTER JOIN p ON o.out_trade_no = p.out_trade_no
                UNION ALL
                SELECT 'duplicate_in_bill', out_trade_no, NULL, NULL, paid FROM p WHERE n > 1
                UNION ALL
                SELECT CASE
                         WHEN br.out_refund_no IS NULL THEN 'refund_missing_in_bill'
                         WHEN r.out_refund_no IS NULL THEN 'refund_missing_locally'
                         WHEN r.amount_minor <> br.refunded THEN 'refund_amount_mismatch'
                       END,
                       coalesce(r.out_trade_no, br.out_trade_no), coalesce(r.out_refund_no, br.out_refund_no),
                       r.amount_minor, br.refunded
                FROM r FULL OUTER JOIN br ON r.out_refund_no = br.out_refund_no)
            SELECT * FROM found WHERE kind IS NOT NULL""")
        con.execute(f"COPY (SELECT * FROM d ORDER BY kind, out_trade_no, out_refund_no) TO '{output}' (HEADER)")
        counts = dict(con.execute("SELECT kind, count(*) FROM d GROUP BY kind").fetchall())
        print(json.dumps({"seconds": time.time() - started, "counts": counts}))
        """#
}
