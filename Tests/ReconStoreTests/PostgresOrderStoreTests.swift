import Foundation
import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconTestSupport
import Testing

@testable import ReconStore

@Suite("Orders in PostgreSQL", .postgresServer)
struct PostgresOrderStoreTests {
    let directory = TemporaryDirectory()

    func demoRows() throws -> String { try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8) }

    func open(_ url: String, zone: ZoneRules? = nil, environment: [String: String] = [:]) throws -> PostgresOrderStore {
        try PostgresOrderStore(
            address: PostgresAddress(url, setting: "--store"), environment: environment, naiveTimeZone: zone,
            providers: Providers.directory)
    }

    /// An order as a line to compare: the instants, not the offsets they were written in.
    func line(_ order: Order) -> String {
        [order.outTradeNo, order.merchant.description, order.amount.description, order.status.rawValue,
         "\(order.createdAt.epochSeconds)", "\(order.paidAt?.epochSeconds ?? -1)", order.combineOutTradeNo ?? "-",
         order.lastErrorCode ?? "-"].joined(separator: " ")
    }

    func line(_ refund: Refund) -> String {
        [refund.outRefundNo, refund.outTradeNo, refund.merchant.description, refund.amount.description, refund.status.rawValue,
         "\(refund.createdAt.epochSeconds)", "\(refund.succeededAt?.epochSeconds ?? -1)"].joined(separator: " ")
    }

    @Test("the demo's rows read from PostgreSQL are those read from SQLite: merchants, days, pending items and lookups")
    func sameAsSQLite() throws {
        let sqlite = try OrderStore(path: DemoStore.make(at: directory.file("demo.sqlite")), providers: Providers.directory)
        let postgres = try open(TestPostgres.shared.storeDatabase(rows: demoRows()))
        let merchants = try sqlite.merchants()
        #expect(try postgres.merchants() == merchants)
        #expect(merchants.count >= 4)
        let selector = PendingSelector(book: Providers.directory.book)
        for merchant in merchants {
            for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
                let window = DayWindow(day: CivilDate(day)!, zone: .shanghai)
                let range = window.start..<window.end
                #expect(try postgres.orders(of: merchant, in: range, digest: StoreDigest()).map(line)
                    == sqlite.orders(of: merchant, in: range, digest: StoreDigest()).map(line))
                #expect(try postgres.refunds(of: merchant, in: range, digest: StoreDigest()).map(line)
                    == sqlite.refunds(of: merchant, in: range, digest: StoreDigest()).map(line))
                #expect(try postgres.orderCount(of: merchant, in: range) == sqlite.orderCount(of: merchant, in: range))
                let pending = (try postgres.uncertain(of: merchant, in: selector.range(for: window)),
                               try sqlite.uncertain(of: merchant, in: selector.range(for: window)))
                #expect(pending.0.orders.map(line) == pending.1.orders.map(line))
                #expect(pending.0.refunds.map(line) == pending.1.refunds.map(line))
            }
        }
        let request = LookupRequest(outTradeNos: ["D18-001", "GW20-002", "NOPE"], outRefundNos: ["D18-002-R1", "NOPE"], combineOutTradeNos: ["C19-01"])
        let (found, expected) = (try postgres.lookup(request), try sqlite.lookup(request))
        #expect(found.orders.values.map(line).sorted() == expected.orders.values.map(line).sorted())
        #expect(found.refunds.values.map(line).sorted() == expected.refunds.values.map(line).sorted())
        let members = (found.combineMembers.values.joined().map(line).sorted(), expected.combineMembers.values.joined().map(line).sorted())
        #expect(members.0 == members.1)
        #expect(members.0.count == 2)
        #expect(found.orders.count == 2 && found.refunds.count == 1)
    }

    @Test("a value the job cannot read names the table, the row and the column")
    func strictValues() throws {
        let server = try TestPostgres.shared
        let url = try server.storeDatabase(rows: """
            ALTER TABLE orders DROP CONSTRAINT orders_status_check;
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at)
            VALUES ('BAD-1', 'gateway', '800100200', 100, 'CNY', 'SHIPPED', '2026-11-20T10:00:00+08:00', '2026-11-20T10:00:00+08:00');
            """)
        let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)
        let error = #expect(throws: StoreError.self) {
            try open(url).orders(of: Sample.gateway, in: window.start..<window.end, digest: StoreDigest())
        }
        #expect(error?.description.contains("orders.status of 'BAD-1' is 'SHIPPED'") == true)

        let numeric = try server.storeDatabase(rows: """
            ALTER TABLE orders ALTER COLUMN amount_minor TYPE numeric;
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at)
            VALUES ('BAD-2', 'gateway', '800100200', 12.5, 'CNY', 'PAID', '2026-11-20T10:00:00+08:00', '2026-11-20T10:00:00+08:00');
            """)
        let amount = #expect(throws: StoreError.self) {
            try open(numeric).orders(of: Sample.gateway, in: window.start..<window.end, digest: StoreDigest())
        }
        #expect(amount?.description.contains("orders.amount_minor of 'BAD-2' is '12.5'") == true)

        let unknown = try server.storeDatabase(rows: """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at)
            VALUES ('BAD-3', 'Pay Pal', '42', 100, 'CNY', 'PENDING', '2026-11-20T10:00:00+08:00');
            """)
        let merchant = #expect(throws: StoreError.self) { try open(unknown).merchants() }
        #expect(merchant?.description.contains("orders.provider of 'BAD-3' is 'Pay Pal'") == true)

        let orphan = try server.storeDatabase(rows: """
            ALTER TABLE refunds DROP CONSTRAINT refunds_out_trade_no_fkey;
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at)
            VALUES ('R-LOST', 'NO-SUCH-ORDER', 100, 'SUCCESS', '2026-11-20T10:00:00+08:00');
            """)
        let lost = #expect(throws: StoreError.self) {
            try open(orphan).refunds(of: Sample.gateway, in: window.start..<window.end, digest: StoreDigest())
        }
        #expect(lost?.description.contains("refund 'R-LOST' refers to order 'NO-SUCH-ORDER'") == true)
    }

    @Test("missing tables and columns, and times of another type, are named when the store opens")
    func schemaChecks() throws {
        let server = try TestPostgres.shared
        let noRefunds = try server.storeDatabase(rows: "DROP TABLE refunds;")
        #expect(throws: StoreError.self) { try open(noRefunds) }
        let textTimes = try server.storeDatabase(
            rows: "DROP INDEX orders_recon_day, orders_recon_uncertain; ALTER TABLE orders ALTER COLUMN paid_at TYPE text;")
        let error = #expect(throws: StoreError.self) { try open(textTimes) }
        #expect(error?.description.contains("orders.paid_at is of type text") == true)
    }

    @Test("wall-clock times need store.time_zone, and are then placed in that zone")
    func naiveTimes() throws {
        let server = try TestPostgres.shared
        let url = try server.storeDatabase(rows: """
            DROP TABLE refunds; DROP TABLE orders;
            CREATE TABLE orders (out_trade_no text PRIMARY KEY, provider text, merchant_id text, amount_minor bigint,
                currency text, status text, created_at timestamp, paid_at timestamp);
            CREATE TABLE refunds (out_refund_no text PRIMARY KEY, out_trade_no text, amount_minor bigint, status text,
                created_at timestamp);
            INSERT INTO orders VALUES
              ('EARLY', 'gateway', '800100200', 100, 'CNY', 'PAID', '2026-11-20 00:00:10', '2026-11-20 00:00:20'),
              ('LATE',  'gateway', '800100200', 200, 'CNY', 'PAID', '2026-11-20 23:59:00', '2026-11-20 23:59:50'),
              ('NEXT',  'gateway', '800100200', 300, 'CNY', 'PAID', '2026-11-21 00:00:00', '2026-11-21 00:00:01');
            """)
        let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)
        let refused = #expect(throws: StoreError.self) {
            try open(url).checkTimes(of: Sample.gateway, reads: [window.start..<window.end], pendingFrom: window.start)
        }
        #expect(refused?.description.contains("store.time_zone") == true)
        let store = try open(url, zone: .shanghai)
        try store.checkTimes(of: Sample.gateway, reads: [window.start..<window.end], pendingFrom: window.start)
        let orders = try store.orders(of: Sample.gateway, in: window.start..<window.end, digest: StoreDigest())
        #expect(orders.map(\.outTradeNo) == ["EARLY", "LATE"])
        #expect(orders.first?.paidAt?.epochSeconds == window.start + 20)
    }

    @Test("the connection is read-only: a statement that writes is refused by the server")
    func readOnly() throws {
        let url = try TestPostgres.shared.storeDatabase(rows: try demoRows())
        let connection = try PostgresConnection(PostgresAddress(url, setting: "--store"), environment: [:])
        let error = #expect(throws: PostgresError.self) { try connection.execute("DELETE FROM orders") }
        #expect(error?.sqlState == "25006")
    }

    @Test("results tables of version 1 are upgraded: recon_open_items reads back every row and column; a view of the columns that move stops it, named")
    func openItemsSplit() throws {
        let url = try TestPostgres.shared.database(
            PostgresResultsSchema.migrations[1]! + """
                CREATE TABLE recon_schema (version integer NOT NULL);
                INSERT INTO recon_schema VALUES (1);
                INSERT INTO recon_open_items VALUES \(Sample.singleTableOpenItems);
                CREATE VIEW states AS SELECT id, state FROM recon_open_items;
                CREATE VIEW sightings AS SELECT id, last_run_id FROM recon_open_items;
                """)
        let address = try PostgresAddress(url, setting: "results.url")
        func contents() throws -> [[String]] {
            let connection = try PostgresConnection(address, environment: [:])
            let names = try connection.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'recon_open_items' ORDER BY ordinal_position")
            let rows = try connection.query("SELECT * FROM recon_open_items ORDER BY id").rows.map { row in
                (0..<Int32(names.count)).map { row.text($0) ?? "NULL" }
            }
            return [names.rows.map { $0.text(0) ?? "" }] + rows
        }
        let before = try contents()
        // A view of the columns that move would stop the upgrade: it is named, and nothing changes.
        #expect { try PostgresResultsStore(address: address, environment: [:], providers: Providers.directory) } throws: {
            "\($0)".contains("view 'sightings' depends on the table recon_open_items")
        }
        #expect(try contents() == before)
        try PostgresConnection(address, environment: [:], readOnly: false).execute("DROP VIEW sightings")
        let results = try PostgresResultsStore(address: address, environment: [:], providers: Providers.directory)
        #expect(try contents() == before)
        #expect(before.count == 3 && before[0].count == 24)
        let items = Dictionary(uniqueKeysWithValues: try results.openItems(in: [.open, .acknowledged]).map { ($0.id, $0) })
        #expect(items["00000000000000a1"]?.lastRunID == "run-3")
        #expect(items["00000000000000b2"]?.acknowledgement?.note == "refunded by hand")
        let connection = try PostgresConnection(address, environment: [:])
        #expect(try connection.query("SELECT version FROM recon_schema").rows.map { $0.text(0) } == ["2"])
        let kind = try connection.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'recon_open_items'")
        #expect(kind.rows.map { $0.text(0) } == ["VIEW"])
        #expect(try connection.query("SELECT id || ' ' || state FROM states ORDER BY id").rows.map { $0.text(0) }
            == ["00000000000000a1 open", "00000000000000b2 acknowledged"], "a view of the other columns reads recon_items")
    }

    @Test("a day's read uses the store's indexes")
    func indexedDay() throws {
        let url = try TestPostgres.shared.storeDatabase(rows: try demoRows() + "\nANALYZE;")
        let connection = try PostgresConnection(PostgresAddress(url, setting: "--store"), environment: [:])
        try connection.execute("SET enable_seqscan = off")
        let plan = try connection.query(
            """
            EXPLAIN SELECT out_trade_no, amount_minor, currency, status, created_at, paid_at, combine_out_trade_no FROM orders
            WHERE provider = $1 AND merchant_id = $2 AND coalesce(paid_at, created_at) >= to_timestamp($3::bigint)
              AND coalesce(paid_at, created_at) < to_timestamp($4::bigint)
            """, ["wechatpay", "1900000109", "1763568000", "1763654400"]
        ).rows.compactMap { $0.text(0) }.joined(separator: "\n")
        #expect(plan.contains("Index Only Scan using orders_recon_day"), "\(plan)")
    }

    @Test("a URL that holds a password is refused; the password comes from a file only its owner reads")
    func passwords() throws {
        #expect(throws: PostgresAddress.Problem.self) { try PostgresAddress("postgres://app:hunter2@db/orders", setting: "store.url") }
        #expect(throws: PostgresAddress.Problem.self) { try PostgresAddress("postgres://app@db/orders?password=x", setting: "store.url") }
        #expect(throws: PostgresAddress.Problem.self) { try PostgresAddress("/var/lib/orders.sqlite", setting: "store.url") }
        #expect(throws: PostgresAddress.Problem.self) { try PostgresAddress("postgres://app@db/orders\u{1B}[2J", setting: "store.url") }
        let unreachable = #expect(throws: StoreError.self) { try open("postgresql://recon@/recon?host=\(directory.path)/none") }
        guard case .postgres(let failure) = unreachable else { Issue.record("not a PostgreSQL error: \(String(describing: unreachable))"); return }
        #expect(failure.sqlState == "08001" && failure.advice.contains("server is running"))

        let server = try TestPostgres(hba: ["local all secret scram-sha-256"])
        defer { server.stop() }
        try server.psql("CREATE ROLE secret LOGIN PASSWORD 's3cret'; GRANT pg_read_all_data TO secret;")
        try server.psql(String(contentsOfFile: Repository.fixture("postgres/store-schema.sql"), encoding: .utf8))
        let url = server.url(user: "secret")
        let passfile = directory.write("pgpass", "*:*:*:secret:s3cret\n")
        chmod(passfile, 0o644)
        #expect(throws: StoreError.self) { try open(url, environment: ["PGPASSFILE": passfile]) }
        chmod(passfile, 0o600)
        #expect(try open(url, environment: ["PGPASSFILE": passfile]).merchants() == [])
        #expect(try open(url, environment: ["PGPASSWORD": "s3cret"]).merchants() == [])
        // The URL's parts win over the environment's, which only fills in what it leaves out.
        let demo = try TestPostgres.shared.storeDatabase(rows: try demoRows())
        #expect(try open(demo, environment: ["PGDATABASE": "postgres", "PGUSER": "nobody"]).merchants().count >= 4)
    }

    @Test("the README's mapping of a typical shop schema: views over DATETIME columns, read in store.time_zone with the tables' indexes")
    func mappedByViews() throws {
        let server = try TestPostgres.shared
        let example = try String(contentsOfFile: Repository.fixture("postgres/mapping-example.sql"), encoding: .utf8)
        let url = try server.database(example + """

            INSERT INTO shop_order (order_sn, mch_id, total_fee, state, err_code, trade_no, create_time, pay_time) VALUES
              ('S-EARLY', '1900000109', 1200, 1, NULL, '4200001', '2026-11-20 00:00:05', '2026-11-20 00:00:09'),
              ('S-LATE',  '1900000109', 3400, 4, NULL, '4200002', '2026-11-20 23:59:40', '2026-11-20 23:59:58'),
              ('S-OPEN',  '1900000109', 500,  0, 'SYSTEMERROR', NULL, '2026-11-20 12:00:00', NULL),
              ('S-NEXT',  '1900000109', 700,  1, NULL, '4200003', '2026-11-21 00:00:00', '2026-11-21 00:00:01'),
              ('S-OTHER', '1900000110', 900,  1, NULL, '4200004', '2026-11-20 12:00:00', '2026-11-20 12:00:01');
            INSERT INTO shop_refund VALUES ('S-LATE-R1', 'S-LATE', 400, 1, '2026-11-20 23:59:59', '2026-11-21 00:00:03');
            ANALYZE;
            """)
        let merchant = Sample.wechat
        let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)
        let readerURL = url.replacingOccurrences(of: "postgresql://recon@", with: "postgresql://order_recon@")
        let store = try open(readerURL, zone: .shanghai)
        try store.checkTimes(of: merchant, reads: [window.start..<window.end], pendingFrom: window.start)
        let orders = try store.orders(of: merchant, in: window.start..<window.end, digest: StoreDigest())
        #expect(orders.map(\.outTradeNo).sorted() == ["S-EARLY", "S-LATE", "S-OPEN"])
        #expect(orders.first { $0.outTradeNo == "S-EARLY" }?.paidAt?.epochSeconds == window.start + 9)
        #expect(orders.first { $0.outTradeNo == "S-LATE" }?.status == .partiallyRefunded)
        let refunds = try store.refunds(of: merchant, in: window.start..<window.end, digest: StoreDigest())
        #expect(refunds.map { "\($0.outRefundNo) \($0.amount) \($0.status.rawValue)" } == ["S-LATE-R1 CNY 4.00 SUCCESS"])
        #expect(try store.uncertain(of: merchant, in: window.start..<window.end).orders.map(\.outTradeNo) == ["S-OPEN"])
        #expect(try store.merchants().map(\.merchantID) == ["1900000109", "1900000110"])

        let connection = try PostgresConnection(PostgresAddress(url, setting: "--store"), environment: [:])
        try connection.execute("SET enable_seqscan = off")
        let plan = try connection.query(
            """
            EXPLAIN SELECT out_trade_no FROM orders WHERE provider = $1 AND merchant_id = $2
              AND coalesce(paid_at, created_at) >= (to_timestamp($3::bigint) AT TIME ZONE 'UTC')
              AND coalesce(paid_at, created_at) < (to_timestamp($4::bigint) AT TIME ZONE 'UTC')
            """, ["wechatpay", "1900000109", "\(window.start)", "\(window.end)"]
        ).rows.compactMap { $0.text(0) }.joined(separator: "\n")
        #expect(plan.contains("shop_order_recon_day"), "\(plan)")
    }

    @Test(
        "a number is kept unique by a primary key or a unique index on it alone and on every row, not by a view or another index",
        arguments: [
            ("out_trade_no text PRIMARY KEY", "", true),
            ("out_trade_no text UNIQUE", "", true),
            ("out_trade_no text", "CREATE UNIQUE INDEX t_n ON orders (out_trade_no) INCLUDE (note)", true),
            ("out_trade_no text", "", false),
            ("out_trade_no text", "CREATE INDEX t_n ON orders (out_trade_no)", false),
            ("out_trade_no text", "CREATE UNIQUE INDEX t_n ON orders (out_trade_no, note)", false),
            ("out_trade_no text", "CREATE UNIQUE INDEX t_n ON orders (out_trade_no) WHERE note IS NOT NULL", false),
            ("out_trade_no text", "CREATE UNIQUE INDEX t_n ON orders (lower(out_trade_no))", false),
        ] as [(String, String, Bool)])
    func keptUnique(column: String, index: String, unique: Bool) throws {
        let url = try TestPostgres.shared.storeDatabase(rows: """
            ALTER TABLE orders RENAME TO orders_contract;
            CREATE TABLE orders (LIKE orders_contract INCLUDING DEFAULTS);
            ALTER TABLE orders DROP COLUMN out_trade_no;
            ALTER TABLE orders ADD COLUMN \(column), ADD COLUMN note text;
            \(index);
            """)
        #expect(try open(url).keepsNumbersUnique() == (orders: unique, refunds: true))
    }

    @Test("a view that repeats a key stops the read, naming the key and every row that has it")
    func repeatedKey() throws {
        let url = try TestPostgres.shared.storeDatabase(rows: try demoRows() + """

            ALTER TABLE orders RENAME TO orders_base;
            CREATE VIEW orders AS SELECT * FROM orders_base UNION ALL SELECT * FROM orders_base WHERE out_trade_no = 'D20-002';
            """)
        let store = try open(url)
        #expect(try store.keepsNumbersUnique() == (orders: false, refunds: true))
        let error = #expect(throws: StoreError.self) { try store.checkUnique(outTradeNos: ["D20-002", "D20-003"], outRefundNos: []) }
        guard case .duplicateKey(_, let table, _, let key, let rows) = error else {
            Issue.record("not a duplicate key: \(String(describing: error))")
            return
        }
        #expect(table == "orders" && key == "D20-002" && rows.count == 2)
        #expect(rows.allSatisfy { $0.contains("wechatpay/1900000109 PAID 2100 CNY at") })
        let lookup = #expect(throws: StoreError.self) { try store.lookup(LookupRequest(outTradeNos: ["D20-002"])) }
        #expect(lookup?.description.contains("2 rows with out_trade_no 'D20-002'") == true)
    }
}
