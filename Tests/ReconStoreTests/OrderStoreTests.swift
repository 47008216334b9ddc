import Foundation
import GatewayProvider
import ReconCore
import ReconStore
import ReconTestSupport
import Testing
import WeChatPayProvider

@Suite("The SQLite order store")
struct OrderStoreTests {
    let directory = TemporaryDirectory()
    let wechat = Sample.wechat
    let day = CivilDate("2026-11-19")!

    func range(_ day: CivilDate, grace: Int64 = 600) -> Range<Int64> {
        MatchPolicy(boundaryGrace: grace).loadRange(DayWindow(day: day, zone: .shanghai))
    }

    func demo() throws -> OrderStore {
        try OrderStore(path: DemoStore.make(at: directory.file("store.sqlite")))
    }

    @Test("lists the merchants that have orders, walking the day index or scanning without it")
    func merchants() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        let expected = [
            Sample.gateway, Sample.wechat, Sample.wechat2, MerchantRef(provider: .wechatPay, merchantID: "1900000111"),
        ]
        #expect(try OrderStore(path: path).merchants() == expected)
        try DemoStore.execute("DROP INDEX recon_orders_day", in: path)
        #expect(try OrderStore(path: path).merchants() == expected)
    }

    @Test("reads a day's orders and refunds, placing times of any offset in the provider's day")
    func readsWindow() throws {
        let store = try demo()
        let digest = StoreDigest()
        let orders = try store.orders(of: wechat, in: range(day), digest: digest)
        // D18-006 was paid ten seconds before midnight: inside the grace margin of the day.
        #expect(orders.map(\.outTradeNo).sorted() == ["D18-006", "D19-001", "D19-002", "D19-003", "D19-004", "D19-006"])
        let combined = try #require(orders.first { $0.outTradeNo == "D19-004" })
        #expect(combined.combineOutTradeNo == "C19-01")
        #expect(combined.amount == Money(minorUnits: 4000, currency: .cny))
        #expect(combined.paidAt?.rfc3339 == "2026-11-19T14:00:00+08:00")
        #expect(combined.providerTransactionID == nil, "the day's read leaves out what matching does not need")
        let full = try store.lookup(LookupRequest(outTradeNos: ["D19-004"])).orders["D19-004"]
        #expect(full?.providerTransactionID == "4200000014")
        #expect(full?.updatedAt?.rfc3339 == "2026-11-19T14:00:00+08:00")
        let refunds = try store.refunds(of: wechat, in: range(day), digest: digest)
        #expect(refunds.map(\.outRefundNo).sorted() == ["D18-002-R1", "D18-003-R1"])
        #expect(refunds.allSatisfy { $0.amount.currency == .cny && $0.merchant == wechat })
        #expect(digest.rows == 8)
        let gatewayDigest = StoreDigest()
        let gateway = try store.orders(of: Sample.gateway, in: range(CivilDate("2026-11-18")!), digest: gatewayDigest)
        #expect(gateway.map(\.outTradeNo).sorted() == ["GW18-001", "GW18-002", "GW18-003"])
    }

    @Test("reads every status the store's contract names as itself, of orders and of refunds")
    func everyStatus() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        for status in OrderStatus.allCases {
            try DemoStore.execute("UPDATE orders SET status = '\(status.rawValue)' WHERE out_trade_no = 'D19-001'", in: path)
            let orders = try OrderStore(path: path).orders(of: wechat, in: range(day), digest: StoreDigest())
            #expect(orders.first { $0.outTradeNo == "D19-001" }?.status == status)
        }
        for status in RefundStatus.allCases {
            try DemoStore.execute("UPDATE refunds SET status = '\(status.rawValue)' WHERE out_refund_no = 'D18-002-R1'", in: path)
            let refunds = try OrderStore(path: path).refunds(of: wechat, in: range(day), digest: StoreDigest())
            #expect(refunds.first { $0.outRefundNo == "D18-002-R1" }?.status == status)
        }
    }

    /// Numbers that are not UTF-8, each with the row that holds it and how the refusal names it.
    static let nonUTF8Numbers: [(sql: String, read: String, names: String)] = [
        (
            "UPDATE orders SET out_trade_no = CAST(X'443139FF303031' AS TEXT) WHERE out_trade_no = 'D19-001'", "orders",
            "orders.out_trade_no of 'D19\u{FFFD}001' is 'bytes 44 31 39 FF 30 30 31'"
        ),
        (
            "UPDATE orders SET combine_out_trade_no = CAST(X'43FE05' AS TEXT) WHERE out_trade_no = 'D19-001'", "orders",
            "orders.combine_out_trade_no of 'D19-001' is 'bytes 43 FE 05'"
        ),
        (
            "UPDATE refunds SET out_refund_no = CAST(X'52C0' AS TEXT) WHERE out_refund_no = 'D18-003-R1'", "refunds",
            "refunds.out_refund_no of 'R\u{FFFD}' is 'bytes 52 C0'"
        ),
        (
            nonUTF8Store, "refunds", "refunds.out_trade_no of 'D18-003-R1' is 'bytes 44 31 38 FF 30 30 33'"
        ),
    ]

    @Test(
        "a number that is not UTF-8 is refused with its row and its bytes: read as text, two such numbers could read as one",
        arguments: nonUTF8Numbers.indices)
    func nonUTF8Number(_ index: Int) throws {
        let number = Self.nonUTF8Numbers[index]
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute(number.sql, in: path)
        let store = try OrderStore(path: path)
        #expect {
            if number.read == "orders" {
                _ = try store.orders(of: wechat, in: range(day), digest: StoreDigest())
            } else {
                _ = try store.refundRows(in: range(day)).sorted(for: [wechat: StoreDigest()], lookup: store.orderOwners)
            }
        } throws: { error in
            "\(error)".contains(number.names) && "\(error)".contains("which is not UTF-8 text")
        }
    }

    @Test(
        "an order's or transaction's number longer than any provider allows is refused with its row, not read",
        arguments: ["out_trade_no", "provider_txn_id"])
    func overlongKey(_ column: String) throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute("UPDATE orders SET \(column) = printf('%.300c', 'x') WHERE out_trade_no = 'D19-001'", in: path)
        let store = try OrderStore(path: path)
        #expect {
            // The day's read takes no transaction id: the lookup of the rows a report shows does.
            if column == "out_trade_no" {
                _ = try store.orders(of: wechat, in: range(day), digest: StoreDigest())
            } else {
                _ = try store.lookup(LookupRequest(outTradeNos: ["D19-001"]))
            }
        } throws: { error in
            let text = "\(error)"
            return text.contains("orders.\(column) of '\(column == "out_trade_no" ? "xxxx" : "D19-001")")
                && text.contains("300 bytes long") && text.contains("at most 256 bytes")
        }
    }

    @Test("an order or refund number held as a BLOB is refused with its row: a unique index holds it apart from the same text")
    func blobNumbers() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute(
            """
            UPDATE orders SET out_trade_no = CAST(out_trade_no AS BLOB) WHERE out_trade_no = 'D19-001';
            UPDATE refunds SET out_refund_no = CAST(out_refund_no AS BLOB) WHERE out_refund_no = 'D18-003-R1';
            """, in: path)
        let store = try OrderStore(path: path)
        #expect { _ = try store.orders(of: wechat, in: range(day), digest: StoreDigest()) } throws: { error in
            "\(error)".contains("orders.out_trade_no of 'D19-001' is 'a BLOB of bytes 44 31 39 2D 30 30 31'")
        }
        #expect { _ = try store.refunds(of: wechat, in: range(day), digest: StoreDigest()) } throws: { error in
            "\(error)".contains("refunds.out_refund_no of 'D18-003-R1' is 'a BLOB of bytes")
        }
        // A long one is named by its start: the message does not grow with it.
        try DemoStore.execute("UPDATE orders SET out_trade_no = zeroblob(100000) WHERE out_trade_no = CAST('D19-001' AS BLOB)", in: path)
        #expect { _ = try OrderStore(path: path).orders(of: wechat, in: range(day), digest: StoreDigest()) } throws: { error in
            let text = "\(error)"
            return text.contains("… (100000 bytes)") && text.count < 2_000
        }
    }

    @Test("the grace widens the window on both sides")
    func graceMargin() throws {
        let store = try demo()
        let digest = StoreDigest()
        let withGrace = try store.orders(of: wechat, in: range(day), digest: digest).map(\.outTradeNo)
        #expect(withGrace.contains("D18-006"))
        let withoutGrace = try store.orders(of: wechat, in: range(day, grace: 0), digest: digest).map(\.outTradeNo)
        #expect(!withoutGrace.contains("D18-006"))
    }

    /// The digest of the 19th's refunds of `wechat` as read with their orders in one query.
    static let refundDigest = "d58af5849023f4a60af7f803cac1860f1a2b7c194a5a125a6bb4a1217f388468"

    @Test("a day's refunds add to their merchant's digest what they added when read with their orders")
    func refundDigestIsPinned() throws {
        let store = try demo()
        let digest = StoreDigest()
        _ = try store.refunds(of: wechat, in: range(day), digest: digest)
        #expect(digest.finalize() == Self.refundDigest)
    }

    @Test("a refund whose order the day read takes its merchant and currency from it, without looking the order up")
    func refundsOfOrdersRead() throws {
        let store = try demo()
        // The orders of the 17th to the 19th, so the refunds of the 19th find theirs.
        let orders = try store.orders(of: wechat, in: range(day).lowerBound - 2 * 86_400..<range(day).upperBound, digest: StoreDigest())
        let chunks = [OrderChunk(orders, day: day, zones: ProviderZones(), policy: MatchPolicy())]
        var looked: [[UInt8]] = []
        let digest = StoreDigest()
        let rows = try store.refundRows(in: range(day))
        for chunk in chunks { rows.locate(in: chunk) }
        let refunds = try rows.sorted(for: [wechat: digest], lookup: { looked += $0; return try store.orderOwners($0) })
        #expect(looked.isEmpty)
        #expect(digest.finalize() == Self.refundDigest)
        #expect(refunds[wechat] == (try store.refunds(of: wechat, in: range(day), digest: StoreDigest())))
        // The order read decides: read as another merchant's, its refunds are passed over.
        let elsewhere = try store.refunds(
            of: [wechat: StoreDigest()], in: range(day), readOrders: Self.gatewayOrders(["D18-002", "D18-003"]))
        #expect(elsewhere[wechat] == [])
    }

    @Test("the orders of refunds the day did not read are looked up once each, in the order of their numbers' bytes")
    func lookupsInKeyOrder() throws {
        let store = try demo()
        // The 19th and the 20th: two refunds of D18-003, and a refund of the gateway's merchant.
        let window = range(day).lowerBound..<range(day).upperBound + 86_400
        var looked: [[UInt8]] = []
        let rows = try store.refundRows(in: window)
        let refunds = try rows.sorted(for: [wechat: StoreDigest()], lookup: { looked += $0; return try store.orderOwners($0) })
        #expect(looked.map { String(decoding: $0, as: UTF8.self) } == ["D18-002", "D18-003", "D19-001", "D19-002", "GW18-001"])
        #expect(refunds[wechat]?.map(\.outRefundNo) == ["D18-003-R1", "D18-002-R1", "D18-003-R2", "D19-001-R1", "D19-002-R1"])
        #expect(try store.orderOwners(looked + [Array("NO-SUCH-ORDER".utf8)]).map { $0?.merchant } == [
            wechat, wechat, wechat, wechat, Sample.gateway, nil,
        ])
    }

    /// A chunk of orders numbered `keys`, of the gateway's merchant.
    static func gatewayOrders(_ keys: [String]) -> [OrderChunk] {
        [OrderChunk(keys.map { Sample.order($0, merchant: Sample.gateway) }, day: Sample.day, zones: ProviderZones(), policy: MatchPolicy())]
    }

    /// `D18-003` with a byte that is not UTF-8 in place of its `-`, and SQL that gives the demo's
    /// order and refunds that number.
    static let nonUTF8Key: [UInt8] = [0x44, 0x31, 0x38, 0xFF, 0x30, 0x30, 0x33]
    static let nonUTF8Store = """
        PRAGMA foreign_keys = OFF;
        UPDATE orders SET out_trade_no = CAST(X'443138FF303033' AS TEXT) WHERE out_trade_no = 'D18-003';
        UPDATE refunds SET out_trade_no = CAST(X'443138FF303033' AS TEXT) WHERE out_trade_no = 'D18-003';
        """

    @Test("a refund whose order number is not ASCII finds its order by the stored bytes")
    func refundOfNonASCIIOrder() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute(
            """
            PRAGMA foreign_keys = OFF;
            UPDATE orders SET out_trade_no = 'D18－003' WHERE out_trade_no = 'D18-003';
            UPDATE refunds SET out_trade_no = 'D18－003' WHERE out_trade_no = 'D18-003';
            """, in: path)
        let store = try OrderStore(path: path)
        // Another merchant's order of that number, read by the day, is not the refund's.
        var looked: [[UInt8]] = []
        let rows = try store.refundRows(in: range(day))
        for chunk in Self.gatewayOrders(["D18－003", "D18-002"]) { rows.locate(in: chunk) }
        let refunds = try rows.sorted(for: [wechat: StoreDigest()], lookup: { looked += $0; return try store.orderOwners($0) })
        #expect(looked == [Array("D18－003".utf8)])
        #expect(refunds[wechat]?.map(\.outTradeNo) == ["D18－003"])
        #expect(refunds[wechat]?.first?.amount == Money(minorUnits: 3000, currency: .cny))
    }

    @Test("an order number that is not UTF-8 and that a view repeats fails its lookup, naming both rows")
    func repeatedNonUTF8Order() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute(
            Self.nonUTF8Store + DemoStore.repeatingOrders(where: "out_trade_no = CAST(X'443138FF303033' AS TEXT)"), in: path)
        let store = try OrderStore(path: path)
        #expect {
            _ = try store.orderOwners([Self.nonUTF8Key])
        } throws: { error in
            "\(error)".contains("'orders' has 2 rows with out_trade_no 'D18\u{FFFD}003'") && "\(error)".contains("10100 CNY")
        }
    }

    @Test("a refund that cannot be read fails only the merchant its order belongs to")
    func unreadableRefundOfAnotherMerchant() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        try DemoStore.execute(
            "PRAGMA ignore_check_constraints = ON; UPDATE refunds SET status = 'DONE' WHERE out_refund_no = 'D18-003-R1'", in: path)
        let store = try OrderStore(path: path)
        #expect(try store.refunds(of: Sample.gateway, in: range(day), digest: StoreDigest()) == [])
        #expect { _ = try store.refunds(of: wechat, in: range(day), digest: StoreDigest()) } throws: { error in
            "\(error)".contains("refunds.status of 'D18-003-R1' is 'DONE'")
        }
    }

    @Test("the digest of the rows read is the same for the same rows")
    func digestIsStable() throws {
        let first = try demo()
        let a = StoreDigest()
        let b = StoreDigest()
        _ = try first.orders(of: wechat, in: range(day), digest: a)
        _ = try first.orders(of: wechat, in: range(day), digest: b)
        #expect(a.finalize() == b.finalize())
        #expect(a.finalize().count == 64)
    }

    @Test("looks up orders and refunds by key, and combine sub-orders by parent")
    func lookup() throws {
        let store = try demo()
        let result = try store.lookup(
            LookupRequest(outTradeNos: ["D15-009", "NOPE"], outRefundNos: ["D19-001-R1", "NOPE"], combineOutTradeNos: ["C19-01"]))
        #expect(result.orders.keys.sorted() == ["D15-009"])
        #expect(result.orders["D15-009"]?.merchant == wechat)
        #expect(result.refunds.keys.sorted() == ["D19-001-R1"])
        #expect(result.refunds["D19-001-R1"]?.status == .failed)
        #expect(result.combineMembers["C19-01"]?.map(\.outTradeNo).sorted() == ["D19-004", "D19-005"])
        #expect(result.combineMembers["C19-01"]?.map(\.merchant.merchantID).sorted() == ["1900000109", "1900000110"])
    }

    @Test("a missing table is named, with what to do")
    func missingTable() throws {
        let path = directory.file("empty.sqlite")
        try SQLiteDatabase(path: path, mode: .create).execute("CREATE TABLE refunds (x TEXT)")
        #expect { try OrderStore(path: path) } throws: { error in
            "\(error)".hasPrefix("The order store \(path) has no 'orders' table or view.")
        }
    }

    @Test("missing required columns are all named")
    func missingColumns() throws {
        let path = directory.file("partial.sqlite")
        try SQLiteDatabase(path: path, mode: .create).execute(
            """
            CREATE TABLE orders (out_trade_no TEXT, provider TEXT, merchant_id TEXT, amount_minor INTEGER, status TEXT, created_at TEXT);
            CREATE TABLE refunds (out_refund_no TEXT, out_trade_no TEXT, amount_minor INTEGER, status TEXT, created_at TEXT);
            """)
        #expect { try OrderStore(path: path) } throws: { error in
            "\(error)".hasPrefix("The 'orders' table of \(path) lacks the column(s) currency, paid_at.")
        }
    }

    @Test(
        "a number is kept unique by a primary key or a unique index on it alone and on every row, not by a view or another index",
        arguments: [
            ("CREATE TABLE t (n TEXT PRIMARY KEY, m TEXT)", true),
            ("CREATE TABLE t (n VARCHAR(64) NOT NULL PRIMARY KEY, m TEXT)", true),
            ("CREATE TABLE t (n PRIMARY KEY, m TEXT)", false),
            ("CREATE TABLE t (n INTEGER UNIQUE, m TEXT)", false),
            ("CREATE TABLE t (n NUMERIC UNIQUE, m TEXT)", false),
            ("CREATE TABLE t (n TEXT PRIMARY KEY, m TEXT) WITHOUT ROWID", true),
            ("CREATE TABLE t (n TEXT UNIQUE, m TEXT)", true),
            ("CREATE TABLE t (N TEXT, m TEXT); CREATE UNIQUE INDEX t_n ON t (n COLLATE NOCASE)", true),
            ("CREATE TABLE t (n TEXT, m TEXT)", false),
            ("CREATE TABLE t (n TEXT, m TEXT); CREATE INDEX t_n ON t (n)", false),
            ("CREATE TABLE t (n TEXT, m TEXT); CREATE UNIQUE INDEX t_nm ON t (n, m)", false),
            ("CREATE TABLE t (n TEXT, m TEXT, PRIMARY KEY (m, n))", false),
            ("CREATE TABLE t (n TEXT, m TEXT); CREATE UNIQUE INDEX t_n ON t (n) WHERE m IS NOT NULL", false),
            ("CREATE TABLE t (n TEXT, m TEXT); CREATE UNIQUE INDEX t_n ON t (lower(n))", false),
            ("CREATE TABLE u (n TEXT PRIMARY KEY); CREATE VIEW t AS SELECT n FROM u", false),
        ] as [(String, Bool)])
    func keptUnique(schema: String, unique: Bool) throws {
        let path = directory.file("unique.sqlite")
        let database = try SQLiteDatabase(path: path, mode: .create)
        try database.execute(schema)
        #expect(try database.keepsUnique("n", in: "t") == unique)
    }

    @Test("the store made by 'store init' keeps order and refund numbers unique; views over other tables do not")
    func storeKeepsNumbersUnique() throws {
        #expect(try demo().keepsNumbersUnique() == (orders: true, refunds: true))
        let path = directory.file("views.sqlite")
        try SQLiteDatabase(path: path, mode: .create).execute(
            """
            CREATE TABLE shop_orders (no TEXT PRIMARY KEY, mch TEXT, fen INTEGER, state TEXT, made TEXT, paid TEXT);
            CREATE VIEW orders AS SELECT no AS out_trade_no, 'wechatpay' AS provider, mch AS merchant_id, fen AS amount_minor,
                'CNY' AS currency, state AS status, made AS created_at, paid AS paid_at FROM shop_orders;
            CREATE TABLE refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, amount_minor INTEGER, status TEXT, created_at TEXT);
            """)
        #expect(try OrderStore(path: path).keepsNumbersUnique() == (orders: false, refunds: true))
    }

    @Test("a missing store file says how to create one")
    func missingFile() {
        let path = directory.file("nope.sqlite")
        #expect { try OrderStore(path: path) } throws: { error in
            "\(error)".contains("does not exist") && "\(error)".contains("order-recon store init --store \(path)")
        }
    }

    @Test("views with only the required columns work; optional columns read as NULL")
    func views() throws {
        let path = directory.file("views.sqlite")
        try SQLiteDatabase(path: path, mode: .create).execute(
            """
            CREATE TABLE shop_orders (no TEXT, mch TEXT, fen INTEGER, state TEXT, made TEXT, paid TEXT);
            INSERT INTO shop_orders VALUES ('V-1', '1900000109', 1234, 'PAID', '2026-11-19T09:00:00+08:00', '2026-11-19T09:01:00+08:00');
            CREATE VIEW orders AS SELECT no AS out_trade_no, 'wechatpay' AS provider, mch AS merchant_id, fen AS amount_minor,
                'CNY' AS currency, state AS status, made AS created_at, paid AS paid_at FROM shop_orders;
            CREATE VIEW refunds AS SELECT NULL AS out_refund_no, NULL AS out_trade_no, NULL AS amount_minor, NULL AS status,
                NULL AS created_at WHERE 0;
            """)
        let store = try OrderStore(path: path)
        let digest = StoreDigest()
        let orders = try store.orders(of: wechat, in: range(day), digest: digest)
        #expect(orders.map(\.outTradeNo) == ["V-1"])
        #expect(orders[0].combineOutTradeNo == nil)
        #expect(orders[0].updatedAt == nil)
        try store.save([])
        #expect(try store.schemaVersion == 7)
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        var sql: String
        var message: String
        var testDescription: String { message }
    }

    static let badValues: [BadValue] = [
        BadValue(
            sql: "UPDATE orders SET status = 'SHIPPED' WHERE out_trade_no = 'D19-001'",
            message: "orders.status of 'D19-001' is 'SHIPPED', which is not one of PENDING, PAID, CLOSED, FAILED, REFUNDED, PARTIALLY_REFUNDED"),
        BadValue(
            sql: "UPDATE orders SET amount_minor = 30.5 WHERE out_trade_no = 'D19-001'",
            message: "orders.amount_minor of 'D19-001' is '30.5', which is not an INTEGER count of minor units from 0 to 1000000000000000 (1234 for 12.34"),
        BadValue(
            sql: "UPDATE orders SET currency = 'RMB' WHERE out_trade_no = 'D19-001'",
            message: "orders.currency of 'D19-001' is 'RMB', which is not an ISO 4217 code such as CNY"),
        BadValue(
            sql: "UPDATE orders SET currency = 'RMB' WHERE out_trade_no = 'D18-003'",
            message: "orders.currency of 'D18-003' is 'RMB', which is not an ISO 4217 code such as CNY"),
        BadValue(
            sql: "UPDATE orders SET paid_at = '2026-11-19 09:00:00' WHERE out_trade_no = 'D19-001'",
            message: "orders.paid_at of 'D19-001' is '2026-11-19 09:00:00', which is not an RFC 3339 time with an offset"),
        BadValue(
            sql: "UPDATE refunds SET status = 'DONE' WHERE out_refund_no = 'D18-003-R1'",
            message: "refunds.status of 'D18-003-R1' is 'DONE', which is not one of PENDING, SUCCESS, FAILED"),
    ]

    @Test("values that cannot be understood are refused, naming the row and column", arguments: badValues)
    func badValue(_ bad: BadValue) throws {
        let path = try DemoStore.make(at: directory.file("bad.sqlite"))
        try DemoStore.execute("PRAGMA ignore_check_constraints = ON; " + bad.sql, in: path)
        let store = try OrderStore(path: path)
        let digest = StoreDigest()
        #expect {
            _ = try store.orders(of: wechat, in: range(day), digest: digest)
            _ = try store.refunds(of: wechat, in: range(day), digest: digest)
        } throws: { error in
            "\(error)".contains(bad.message) && "\(error)".hasPrefix(path)
        }
    }

    @Test("a time SQLite cannot read fails the check instead of dropping the row from every day")
    func unreadableTime() throws {
        let path = try DemoStore.make(at: directory.file("time.sqlite"))
        try DemoStore.execute("UPDATE orders SET paid_at = 'yesterday' WHERE out_trade_no = 'D19-002'", in: path)
        let store = try OrderStore(path: path)
        #expect { try store.checkTimes(of: wechat, reads: [range(day)], pendingFrom: range(day).lowerBound) } throws: { error in
            "\(error)".contains("orders.paid_at of 'D19-002' is 'yesterday'")
        }
    }

    @Test("a refund of an order that is not in the store is refused")
    func orphanRefund() throws {
        let path = try DemoStore.make(at: directory.file("orphan.sqlite"))
        try DemoStore.execute(
            "INSERT INTO refunds VALUES ('R-X', 'NO-SUCH-ORDER', 100, 'SUCCESS', NULL, '2026-11-19T12:00:00+08:00', NULL)",
            in: path)
        let store = try OrderStore(path: path)
        let digest = StoreDigest()
        #expect { _ = try store.refunds(of: wechat, in: range(day), digest: digest) } throws: { error in
            "\(error)".contains("refund 'R-X' refers to order 'NO-SUCH-ORDER', which is not in 'orders'")
        }
    }

    @Test("saving replaces one merchant-day's results and keeps the others")
    func saveReplaces() throws {
        let store = try demo()
        let first = Discrepancy(
            kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "first")
        let other = Discrepancy(
            kind: .missingInBill, day: day.adding(days: 1), merchant: wechat, outTradeNo: "D20-009", explanation: "other")
        try store.save([record(day, [first]), record(day.adding(days: 1), [other])])
        let replacement = Discrepancy(
            kind: .amountMismatch, day: day, merchant: wechat, outTradeNo: "D19-003",
            difference: Money(minorUnits: 50, currency: .cny), explanation: "second")
        try store.save([record(day, [replacement])])
        #expect(try store.savedDiscrepancies(on: day).map(\.subject) == ["D19-003"])
        #expect(try store.savedDiscrepancies(on: day).first?.differenceMinor == 50)
        #expect(try store.savedDiscrepancies(on: day.adding(days: 1)).map(\.subject) == ["D20-009"])
        #expect(try store.savedRuns().count == 2)
    }

    @Test("a rerun keeps the rows it finds again exactly, and replaces, adds and removes the others")
    func rerunKeepsUnchangedRows() throws {
        let store = try demo()
        func found(_ order: String, _ explanation: String, difference: Int64? = nil) -> Discrepancy {
            Discrepancy(
                kind: .amountMismatch, day: day, merchant: wechat, outTradeNo: order,
                difference: difference.map { Money(minorUnits: $0, currency: .cny) }, explanation: explanation)
        }
        func explanation(of id: String) throws -> String? {
            let statement = try SQLiteDatabase(path: store.path).prepare("SELECT explanation FROM recon_discrepancies WHERE id = ?1")
            try statement.bind([.text(id)])
            return try statement.step() ? statement.text(0) : nil
        }
        /// Each kept row's id with its rowid, which an insert renews and a kept row keeps.
        func rowids() throws -> [String: Int64] {
            let statement = try SQLiteDatabase(path: store.path).prepare("SELECT id, rowid FROM recon_discrepancies")
            var found: [String: Int64] = [:]
            while try statement.step() { found[statement.text(0) ?? "NULL"] = statement.int64(1)! }
            return found
        }
        let (same, changed, gone) = (found("D19-001", "same", difference: 5), found("D19-002", "before"), found("D19-003", "gone"))
        let other = Discrepancy(kind: .missingInBill, day: day.adding(days: 1), merchant: wechat, outTradeNo: "D20-009", explanation: "other")
        try store.save([record(day, [same, changed, gone]), record(day.adding(days: 1), [other])])
        let before = try rowids()

        var now = changed
        now.explanation = "after"
        let added = found("D19-004", "new", difference: -7)
        try store.save([record(day, [added, now, same])])
        let after = try rowids()
        #expect(after[same.id] == before[same.id], "an unchanged row was written again")
        #expect(after[now.id] != before[now.id], "a changed row was left as it was")
        #expect(after[gone.id] == nil && after[added.id] != nil && after[other.id] == before[other.id])
        let saved = try store.savedDiscrepancies(on: day)
        #expect(saved.map(\.subject).sorted() == ["D19-001", "D19-002", "D19-004"])
        #expect(try explanation(of: now.id) == "after")
        #expect(saved.first { $0.subject == "D19-004" }?.differenceMinor == -7)

        // A row changed behind the job's back (a text that starts with the number where the number
        // was) is not taken as found again.
        try DemoStore.execute("UPDATE recon_discrepancies SET difference_minor = '5x' WHERE id = '\(same.id)'", in: store.path)
        try store.save([record(day, [added, now, same])])
        #expect(try rowids()[same.id] != after[same.id], "a changed row was taken as found again")
        #expect(try store.savedDiscrepancies(on: day).first { $0.subject == "D19-001" }?.differenceMinor == 5)
        // A row without an id goes, with the rest of the day's.
        try DemoStore.execute(
            """
            INSERT INTO recon_discrepancies (id, provider, merchant_id, day, kind, explanation)
            VALUES (NULL, '\(wechat.provider.rawValue)', '\(wechat.merchantID)', '\(day)', 'amount_mismatch', 'no id')
            """, in: store.path)
        try store.save([record(day, [added, now, same])])
        #expect(try rowids()["NULL"] == nil, "a row without an id was left")
        #expect(try explanation(of: same.id) == "same")
        // An id that is no stable id's text (16 characters, not all lower-case hex digits) is no
        // finding's: its row goes, and the finding is written anew.
        let foreign = "G" + same.id.dropFirst()
        try DemoStore.execute("UPDATE recon_discrepancies SET id = '\(foreign)' WHERE id = '\(same.id)'", in: store.path)
        try store.save([record(day, [added, now, same])])
        #expect(try rowids()[foreign] == nil, "a row whose id no finding has was left")
        #expect(try explanation(of: same.id) == "same")
        // Nor is an id of bytes that are not UTF-8: its row goes too, with the rest of the day's.
        try DemoStore.execute(
            "UPDATE recon_discrepancies SET id = CAST(X'FF\(same.id.utf8.dropFirst().map { String(format: "%02X", $0) }.joined())' AS TEXT) WHERE id = '\(same.id)'",
            in: store.path)
        #expect(try rowids()[same.id] == nil, "the id was changed")
        try store.save([record(day, [added, now, same])])
        let ids = try rowids().keys.sorted()
        #expect(ids.count == 4, "a row whose id is not UTF-8 was left: \(ids)")
        #expect(try explanation(of: same.id) == "same")
        // The same findings again write none of them.
        let settled = try rowids()
        try store.save([record(day, [now, added, same])])
        #expect(try rowids() == settled)
        // None of them found any more: the day is emptied.
        try store.save([record(day, [])])
        #expect(try store.savedDiscrepancies(on: day).isEmpty)
        #expect(try store.savedDiscrepancies(on: day.adding(days: 1)).map(\.subject) == ["D20-009"])
    }

    @Test("a rerun compares a finding's times and bill rows with the text kept for them")
    func rerunComparesTimesAndRows() throws {
        let store = try demo()
        // Logs every row deleted, which is how a row not found again as it was is replaced.
        try DemoStore.execute(
            """
            CREATE TABLE replaced (id TEXT);
            CREATE TRIGGER log_replaced AFTER DELETE ON recon_discrepancies BEGIN INSERT INTO replaced VALUES (old.id); END;
            """, in: store.path)
        func replaced() throws -> [String] {
            let statement = try SQLiteDatabase(path: store.path).prepare("SELECT id FROM replaced")
            var ids: [String] = []
            while try statement.step() { ids.append(statement.text(0) ?? "NULL") }
            try DemoStore.execute("DELETE FROM replaced", in: store.path)
            return ids
        }
        func column(_ name: String, of id: String) throws -> String? {
            let statement = try SQLiteDatabase(path: store.path).prepare("SELECT \(name) FROM recon_discrepancies WHERE id = ?1")
            try statement.bind([.text(id)])
            return try statement.step() ? statement.text(0) : nil
        }
        let paidAt = try #require(Timestamp(rfc3339: "2026-11-19T23:59:58+08:00"))
        let billedAt = try #require(Timestamp(rfc3339: "2026-11-19T16:00:01Z"))
        // Past year 9999 a time is written the long way, and compared as it is written.
        let farAt = Timestamp(epochSeconds: 253_402_300_800, utcOffsetSeconds: 19_800)
        let rows = [
            SourceLocation(file: "bills/长 名.csv", line: 7), SourceLocation(file: "bills/长 名.csv", line: 12_345),
            SourceLocation(file: "b.csv", line: 1),
        ]
        let timed = Discrepancy(
            kind: .statusMismatch, day: day, merchant: wechat, outTradeNo: "D19-010",
            local: Observation(amount: Money(minorUnits: 100, currency: .cny), status: "PAID", time: paidAt),
            bill: Observation(amount: Money(minorUnits: 100, currency: .cny), status: "REFUND", time: billedAt, locations: rows),
            explanation: "timed")
        let far = Discrepancy(
            kind: .missingLocally, day: day, merchant: wechat, outTradeNo: "D19-011",
            bill: Observation(time: farAt, locations: [rows[2]]), explanation: "far")
        let rowless = Discrepancy(
            kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-012",
            local: Observation(status: "PAID"), bill: Observation(status: "SUCCESS"), explanation: "no rows")
        try store.save([record(day, [timed, far, rowless])])
        #expect(try column("local_time", of: timed.id) == "2026-11-19T23:59:58+08:00")
        #expect(try column("bill_time", of: timed.id) == "2026-11-19T16:00:01Z")
        #expect(try column("bill_rows", of: timed.id) == "bills/长 名.csv:7 bills/长 名.csv:12345 b.csv:1")
        #expect(try column("bill_time", of: far.id) == "10000-01-01T05:30:00+05:30")
        #expect(try column("bill_rows", of: rowless.id) == nil)
        _ = try replaced()
        try store.save([record(day, [rowless, far, timed])])
        #expect(try replaced() == [], "a row found again as it was was written again")

        // The same instant written in another offset, one bill row fewer, or a line number with a
        // leading zero is another text: each such row is written again, as the finding has it.
        for (subject, name, stored) in [
            (timed, "local_time", "2026-11-19T15:59:58Z"), (timed, "bill_rows", "bills/长 名.csv:7 bills/长 名.csv:12345"),
            (far, "bill_rows", "b.csv:01"), (far, "bill_time", "9999-12-31T23:00:00-01:00"), (rowless, "bill_rows", ""),
            (rowless, "bill_time", "2026-11-19T16:00:01Z"),
        ] {
            let written = try column(name, of: subject.id)
            try DemoStore.execute("UPDATE recon_discrepancies SET \(name) = '\(stored)' WHERE id = '\(subject.id)'", in: store.path)
            try store.save([record(day, [timed, far, rowless])])
            #expect(try replaced() == [subject.id], "a row whose \(name) was '\(stored)' was taken as found again")
            #expect(try column(name, of: subject.id) == written)
        }
        #expect(try column("bill_rows", of: rowless.id) == nil && column("bill_time", of: rowless.id) == nil)
    }

    @Test("an open item found again as it was has only its sighting written; a changed one is written whole")
    func openItemFoundAgain() throws {
        let store = try demo()
        // Logs every write of an open item's row beside its sighting: an upsert sets all its columns.
        try DemoStore.execute(
            """
            CREATE TABLE whole_writes (id TEXT);
            CREATE TRIGGER log_whole AFTER UPDATE OF explanation, state ON recon_items
            BEGIN INSERT INTO whole_writes VALUES (new.id); END;
            """, in: store.path)
        func wholeWrites() throws -> [String] {
            let statement = try SQLiteDatabase(path: store.path).prepare("SELECT id FROM whole_writes ORDER BY id")
            var ids: [String] = []
            while try statement.step() { ids.append(statement.text(0)!) }
            return ids
        }
        func item(_ order: String, _ explanation: String) -> OpenItem {
            OpenItem(
                Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: order, explanation: explanation),
                foundOn: day, runID: "run-1", at: Timestamp(epochSeconds: 100))
        }
        let (same, changed, acknowledged) = (item("D19-001", "same"), item("D19-002", "before"), item("D19-003", "acknowledged"))
        _ = try store.save([], openItems: OpenItemsUpdate(days: [day]) { _, _ in [same, changed, acknowledged] })

        var expected: [OpenItem] = []
        _ = try store.save(
            [], openItems: OpenItemsUpdate(days: [day]) { previous, _ in
                #expect(previous.map(\.id).sorted() == [same, changed, acknowledged].map(\.id).sorted())
                expected = try previous.map { item in
                    var item = item
                    item.lastRunID = "run-2"
                    item.lastSeen = Timestamp(epochSeconds: 200)
                    if item.id == changed.id { item.explanation = "after" }
                    if item.id == acknowledged.id {
                        try item.acknowledge(OpenItem.Acknowledgement(by: "ops", at: Timestamp(epochSeconds: 150), note: "refunded by hand"))
                    }
                    return item
                } + [item("D19-004", "new")]
                return expected
            })
        #expect(try wholeWrites() == [changed.id, acknowledged.id].sorted(), "an item found again as it was was written whole")
        let saved = try store.openItems(in: [.open, .acknowledged])
        #expect(Set(saved) == Set(expected))
        #expect(saved.first { $0.id == same.id }?.lastRunID == "run-2")
    }

    @Test("migration 7 moves the open items into two tables: recon_open_items, and views of it, read back every row and column as they were")
    func openItemsSplit() throws {
        let path = try DemoStore.make(at: directory.file("items.sqlite"))
        // The single table of migrations 5 and 6, with two items and a view of the merchant's own.
        try DemoStore.execute(
            """
            DROP VIEW recon_open_items; DROP TABLE recon_items; DROP TABLE recon_item_sightings;
            CREATE TABLE recon_open_items (
                id TEXT PRIMARY KEY, provider TEXT NOT NULL, merchant_id TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL,
                out_trade_no TEXT, out_refund_no TEXT, combine_out_trade_no TEXT, currency TEXT, at_stake_minor INTEGER,
                explanation TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'acknowledged')),
                found_on TEXT NOT NULL, first_run_id TEXT NOT NULL, first_seen_at TEXT NOT NULL, last_run_id TEXT NOT NULL,
                last_seen_at TEXT NOT NULL, resolved_on TEXT, resolved_at TEXT, resolution TEXT, ack_by TEXT, ack_at TEXT,
                ack_note TEXT, expected_in TEXT
            );
            CREATE INDEX recon_open_items_state ON recon_open_items (state, day);
            CREATE INDEX recon_open_items_resolved_on ON recon_open_items (resolved_on);
            INSERT INTO recon_open_items VALUES \(Sample.singleTableOpenItems);
            CREATE VIEW dashboard AS SELECT id, last_run_id FROM recon_open_items WHERE state = 'open';
            PRAGMA user_version = 6;
            """, in: path)
        func contents() throws -> [[String]] {
            let database = try SQLiteDatabase(path: path)
            var rows: [[String]] = []
            let names = try database.prepare("SELECT name FROM pragma_table_info('recon_open_items')")
            var header: [String] = []
            while try names.step() { header.append(names.text(0)!) }
            rows.append(header)
            let select = try database.prepare("SELECT * FROM recon_open_items ORDER BY id")
            while try select.step() {
                rows.append(
                    (0..<select.columnCount).map {
                        select.isNull($0) ? "NULL" : select.isInteger($0) ? "\(select.int64($0)!)" : "'\(select.text($0)!)'"
                    })
            }
            return rows
        }
        func dashboard() throws -> [String] {
            let select = try SQLiteDatabase(path: path).prepare("SELECT id || ' ' || last_run_id FROM dashboard")
            var rows: [String] = []
            while try select.step() { rows.append(select.text(0)!) }
            return rows
        }
        let before = try contents()
        #expect(try dashboard() == ["00000000000000a1 run-3"])
        let store = try OrderStore(path: path)
        // A trigger on the table would go with it: the migration stops, names it, and changes nothing.
        try DemoStore.execute(
            "CREATE TRIGGER audit_items AFTER UPDATE ON recon_open_items BEGIN SELECT 1; END;", in: path)
        #expect { try store.migrate() } throws: {
            "\($0)".contains("trigger 'audit_items' depends on the table recon_open_items") && "\($0)".contains("Drop it, run again")
        }
        #expect(try store.schemaVersion == 6)
        #expect(try contents() == before)
        try DemoStore.execute("DROP TRIGGER audit_items", in: path)
        let versions = try store.migrate()
        #expect(versions.from == 6 && versions.to == 7)
        #expect(try contents() == before)
        #expect(try dashboard() == ["00000000000000a1 run-3"], "a view of recon_open_items reads the view of that name")
        #expect(before.count == 3 && before[0].count == 24)
        let items = Dictionary(uniqueKeysWithValues: try store.openItems(in: [.open, .acknowledged]).map { ($0.id, $0) })
        #expect(items["00000000000000a1"]?.lastRunID == "run-3")
        #expect(items["00000000000000b2"]?.lastSeen.rfc3339 == "2026-11-21T02:00:00Z")
        #expect(items["00000000000000b2"]?.acknowledgement?.note == "refunded by hand")
        let kind = try SQLiteDatabase(path: path).prepare("SELECT type FROM sqlite_schema WHERE name = 'recon_open_items'")
        #expect(try kind.step() && kind.text(0) == "view")
    }

    @Test("the charts' counts come from the kept runs, strictly: a count out of range names its row and column")
    func runCounts() throws {
        let store = try demo()
        let alarm = Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "x")
        let timing = Discrepancy(kind: .timingDifference, day: day, merchant: wechat, outTradeNo: "D19-003", explanation: "y")
        try store.save([record(day, [alarm, timing])])
        #expect(try store.runCounts(from: day, through: day) == [RunCount(merchant: wechat, day: day, alarms: 1, carried: 1)])
        for (sql, message) in [
            ("UPDATE recon_runs SET alarm_count = 9223372036854775807",
             "recon_runs.alarm_count of '\(day)' is '9223372036854775807', which is not a count from 0 to 2147483647"),
            ("UPDATE recon_runs SET alarm_count = 3",
             "recon_runs.alarm_count of '\(day)' is '3', which is not at most discrepancy_count (2)"),
            ("UPDATE recon_runs SET alarm_count = 1, provider = '../x'", "recon_runs.provider of '\(day)' is '../x', which is not a provider name"),
        ] {
            try DemoStore.execute(sql, in: store.path)
            #expect { try store.runCounts(from: day, through: day) } throws: { "\($0)".contains(message) }
        }
    }

    @Test("results and open items are written beside the carryover and the reports; a failure in any of them writes nothing")
    func saveAlongside() throws {
        struct Refused: Error {}
        let found = Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "x")
        let item = OpenItem(found, foundOn: day, runID: "run-1", at: Sample.time("2026-11-20 02:00:00"))
        func update(_ advance: @escaping ([OpenItem]) throws -> [OpenItem]) -> OpenItemsUpdate {
            OpenItemsUpdate(days: [day]) { previous, _ in try advance(previous) }
        }
        let cases: [(String, [Discrepancy], OpenItemsUpdate, ([AppliedChange]) throws -> Void)] = [
            ("the carryover fails", [found], update { _ in throw Refused() }, { _ in }),
            ("the reports fail", [found], update { _ in [item] }, { _ in throw Refused() }),
            ("a result row is refused", [found, found], update { _ in [item] }, { _ in }),
        ]
        for (index, (name, findings, openItems, beforeCommit)) in cases.enumerated() {
            let store = try OrderStore(path: DemoStore.make(at: directory.file("alongside-\(index).sqlite")))
            #expect(throws: (any Error).self, "\(name)") {
                try store.save([record(day, findings)], openItems: openItems, beforeCommit: beforeCommit)
            }
            #expect(try store.savedRuns().isEmpty, "\(name)")
            #expect(try store.openItems().isEmpty, "\(name)")
        }
        let store = try demo()
        var seen: [OpenItem]?
        var committed = false
        try store.save([record(day, [found])], openItems: update { seen = $0; return [item] }) { _ in committed = true }
        #expect(seen?.isEmpty == true && committed)
        #expect(try store.savedDiscrepancies(on: day).map(\.subject) == ["D19-002"])
        #expect(try store.openItems().map(\.id) == [found.id])
    }

    /// Saves a run that found `found`, its open items read `ahead`; returns the items its carryover
    /// was given and whether it was told they are the ones read ahead.
    func save(_ found: Discrepancy, into store: OrderStore, ahead: OpenItemsAhead) throws -> (seen: [OpenItem], readAhead: Bool?) {
        var seen: [OpenItem] = []
        var readAhead: Bool?
        try store.save(
            [record(day, [found])],
            openItems: OpenItemsUpdate(days: [day], ahead: ahead) {
                (seen, readAhead) = ($0, $1)
                return []
            })
        return (seen, readAhead)
    }

    @Test("open items read ahead are taken only while no other connection has committed since the read began")
    func openItemsReadAhead() throws {
        let found = Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "x")
        let item = OpenItem(found, foundOn: day, runID: "run-1", at: Sample.time("2026-11-20 02:00:00"))
        let acknowledgement = OpenItem.Acknowledgement(by: "ops", at: Sample.time("2026-11-20 09:00:00"), note: "refunded")
        let cases: [(name: String, otherConnection: Bool, expected: OpenItem.State)] = [
            // Written on the saving connection itself, the acknowledgement leaves its data version
            // as it was, so the transaction takes what was read before it: the item still open.
            ("the saving connection acknowledges", false, .open),
            // Written on another connection, it changes the data version: the transaction reads again.
            ("another connection acknowledges", true, .acknowledged),
        ]
        for (index, (name, otherConnection, expected)) in cases.enumerated() {
            let path = try DemoStore.make(at: directory.file("ahead-\(index).sqlite"))
            let store = try OrderStore(path: path)
            try store.save([record(day, [found])], openItems: OpenItemsUpdate(days: [day]) { _, _ in [item] })
            let ahead = try #require(store.readOpenItemsAhead(days: [day], owns: nil), "\(name)")
            // The acknowledgement comes after the read has ended.
            #expect(ahead.itemsRead?.map(\.state) == [.open], "\(name)")
            let writer = otherConnection ? try OrderStore(path: path) : store
            try writer.acknowledge(id: item.id, acknowledgement)
            let (seen, readAhead) = try save(found, into: store, ahead: ahead)
            #expect(seen.map(\.id) == [item.id], "\(name)")
            #expect(seen.map(\.state) == [expected], "\(name)")
            #expect(readAhead == !otherConnection, "the carryover is told whether the items are those read ahead: \(name)")
        }
        // Nothing to read ahead for no day.
        #expect(try demo().readOpenItemsAhead(days: [], owns: nil) == nil)
    }

    @Test("open items are read ahead once the read is started, not when it is prepared; a commit in between is read again")
    func openItemsReadAheadStarts() throws {
        let found = Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "x")
        let item = OpenItem(found, foundOn: day, runID: "run-1", at: Sample.time("2026-11-20 02:00:00"))
        let acknowledgement = OpenItem.Acknowledgement(by: "ops", at: Sample.time("2026-11-20 09:00:00"), note: "refunded")
        let path = try DemoStore.make(at: directory.file("ahead-start.sqlite"))
        let store = try OrderStore(path: path)
        try store.save([record(day, [found])], openItems: OpenItemsUpdate(days: [day]) { _, _ in [item] })
        let ahead = try #require(store.readOpenItemsAhead(days: [day], owns: nil))
        // Another connection commits after the read is prepared and before it starts.
        try OrderStore(path: path).acknowledge(id: item.id, acknowledgement)
        ahead.start()
        ahead.start()
        #expect(ahead.itemsRead?.map(\.state) == [.acknowledged])
        // The saving connection's data version moved since the read was prepared: the transaction reads again.
        let (seen, readAhead) = try save(found, into: store, ahead: ahead)
        #expect(seen.map(\.state) == [.acknowledged])
        #expect(readAhead == false)
    }

    @Test("text is bound as its bytes, alone or in a row of values: empty text is not NULL, and text with a NUL or in Chinese comes back whole")
    func boundText() throws {
        let database = try SQLiteDatabase(path: directory.file("bind.sqlite"), mode: .create)
        let statement = try database.prepare("SELECT ?1, ?1 IS NULL, length(CAST(?1 AS BLOB))")
        for text in ["", "A", "订单-20261120-1", "before\0after", String(repeating: "x", count: 100_000)] {
            try statement.bind(1, text)
            #expect(try statement.step())
            #expect(statement.text(0) == text)
            #expect(statement.int64(1) == 0)
            #expect(statement.int64(2) == Int64(text.utf8.count))
            statement.reset()
        }
        // Bound together, texts share the statement's buffer, which grows for a longer row;
        // each comes back whole, as do the integers and NULLs between them.
        let row = try database.prepare("SELECT ?1, ?2, ?3, ?4, ?5, ?2 IS NULL, ?3 IS NULL")
        let long = String(repeating: "订", count: 50_000)
        let cases: [[SQLiteValue]] = [
            [.text("A"), .text(""), .null, .integer(-7), .text("before\0after")],
            [.text(long), .text("x"), .text(""), .integer(Int64.max), .text("订单-20261120-1")],
            [.text(""), .text(""), .text(""), .null, .text("")],
            [.text("short"), .null, .text(long), .integer(0), .text("z")],
        ]
        for values in cases {
            try row.bind(values)
            #expect(try row.step())
            for (index, value) in values.enumerated() {
                switch value {
                case .text(let text): #expect(row.text(Int32(index)) == text)
                case .integer(let number): #expect(row.int64(Int32(index)) == number)
                case .null: #expect(row.isNull(Int32(index)))
                }
            }
            #expect(row.int64(5) == (values[1] == .null ? 1 : 0))
            #expect(row.int64(6) == (values[2] == .null ? 1 : 0))
            row.reset()
        }
    }

    @Test("a save that fails changes nothing, not even the schema")
    func failedSaveChangesNothing() throws {
        let path = try DemoStore.make(at: directory.file("fresh.sqlite"))
        try DemoStore.execute("PRAGMA user_version = 0; DROP TABLE recon_discrepancies; DROP TABLE recon_runs;", in: path)
        let store = try OrderStore(path: path)
        let duplicate = Discrepancy(kind: .missingInBill, day: day, merchant: wechat, outTradeNo: "D19-002", explanation: "x")
        #expect(throws: StoreError.self) { try store.save([record(day, [duplicate, duplicate])]) }
        #expect(try store.schemaVersion == 0)
        #expect(try store.savedRuns().isEmpty)
    }

    @Test("a store written by a newer order-recon is refused")
    func newerSchema() throws {
        let path = try DemoStore.make(at: directory.file("newer.sqlite"))
        try DemoStore.execute("PRAGMA user_version = 99", in: path)
        #expect { try OrderStore(path: path).migrate() } throws: { "\($0)".contains("schema version 99") }
    }

    @Test("migration creates the job's tables and the indexes that make day reads fast")
    func migration() throws {
        let path = directory.file("migrate.sqlite")
        try SQLiteDatabase(path: path, mode: .create).execute(
            OrderStoreTests.merchantTablesOnly)
        let store = try OrderStore(path: path)
        #expect(try store.schemaVersion == 0)
        let versions = try store.migrate()
        #expect(versions.from == 0 && versions.to == 7)
        #expect(try Self.dayReadPlan(path).contains("COVERING INDEX recon_orders_day"))
    }

    @Test("a store migrated by an earlier version gets the covering day index")
    func coveringIndexUpgrade() throws {
        let path = try DemoStore.make(at: directory.file("upgrade.sqlite"))
        try DemoStore.execute(
            """
            DROP INDEX recon_orders_day;
            CREATE INDEX recon_orders_day ON orders (provider, merchant_id, unixepoch(coalesce(paid_at, created_at)));
            DROP VIEW recon_open_items; DROP TABLE recon_items; DROP TABLE recon_item_sightings;
            PRAGMA user_version = 1;
            """, in: path)
        #expect(try !Self.dayReadPlan(path).contains("COVERING"))
        let versions = try OrderStore(path: path).migrate()
        #expect(versions.from == 1 && versions.to == 7)
        #expect(try Self.dayReadPlan(path).contains("COVERING INDEX recon_orders_day"))
        let digest = StoreDigest()
        #expect(try OrderStore(path: path).orders(of: wechat, in: range(day), digest: digest).count > 0)
    }

    /// How SQLite plans a day's read of one merchant's orders: the columns `orders(of:in:)` takes.
    static func dayReadPlan(_ path: String) throws -> String {
        let plan = try SQLiteDatabase(path: path).prepare(
            """
            EXPLAIN QUERY PLAN
            SELECT out_trade_no, amount_minor, currency, status, created_at, paid_at, combine_out_trade_no
            FROM orders WHERE provider = 'x' AND merchant_id = 'y'
              AND unixepoch(coalesce(paid_at, created_at)) >= 0 AND unixepoch(coalesce(paid_at, created_at)) < 1
            """)
        _ = try plan.step()
        return plan.text(3) ?? ""
    }

    static let merchantTablesOnly = """
        CREATE TABLE orders (out_trade_no TEXT PRIMARY KEY, combine_out_trade_no TEXT, provider TEXT, merchant_id TEXT,
            amount_minor INTEGER, currency TEXT, status TEXT, created_at TEXT, paid_at TEXT);
        CREATE TABLE refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, amount_minor INTEGER, status TEXT, created_at TEXT);
        """

    func record(_ day: CivilDate, _ discrepancies: [Discrepancy]) -> RunRecord {
        RunRecord(
            merchant: wechat, day: day, runID: "run", startedAt: Timestamp(epochSeconds: 0),
            finishedAt: Timestamp(epochSeconds: 1), billsJSON: "[]", summaryJSON: "{}", discrepancies: discrepancies)
    }
}
