import Foundation
import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconStore
import ReconTestSupport
import Testing

@Suite("Reading the orders and refunds that may need a query")
struct PendingReadTests {
    let directory = TemporaryDirectory()
    let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)

    /// A store with one row per case, around the day 2026-11-20 (Beijing).
    func store(migrated: Bool = true) throws -> String {
        let path = directory.file(migrated ? "pending.sqlite" : "plain.sqlite")
        if migrated {
            try OrderStore.create(path: path)
        } else {
            try SQLiteDatabase(path: path, mode: .create).execute(
                """
                CREATE TABLE orders (out_trade_no TEXT PRIMARY KEY, provider TEXT, merchant_id TEXT, amount_minor INTEGER,
                    currency TEXT, status TEXT, last_error_code TEXT, created_at TEXT, paid_at TEXT, updated_at TEXT);
                CREATE TABLE refunds (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT, amount_minor INTEGER, status TEXT,
                    last_error_code TEXT, created_at TEXT);
                """)
        }
        try DemoStore.execute(
            """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, last_error_code,
                                created_at, paid_at, updated_at) VALUES
              ('G-PENDING',  'gateway', '800100200', 1000, 'CNY', 'PENDING', NULL,  '2026-11-20T10:00:00+08:00', NULL, '2026-11-20T10:00:00+08:00'),
              ('G-E02',      'gateway', '800100200', 2000, 'CNY', 'FAILED',  'E02', '2026-11-20T03:00:00Z',      NULL, '2026-11-20T03:00:00Z'),
              ('G-C14',      'gateway', '800100200', 3000, 'CNY', 'FAILED',  'C14', '2026-11-20T12:00:00+08:00', NULL, '2026-11-20T12:00:00+08:00'),
              ('G-Z99',      'gateway', '800100200', 3500, 'CNY', 'CLOSED',  'Z99', '2026-11-20T12:30:00+08:00', NULL, '2026-11-20T12:30:00+08:00'),
              ('G-BLANK',    'gateway', '800100200', 3600, 'CNY', 'FAILED',  '',    '2026-11-20T12:40:00+08:00', NULL, '2026-11-20T12:40:00+08:00'),
              ('G-PAID',     'gateway', '800100200', 4000, 'CNY', 'PAID',    NULL,  '2026-11-20T13:00:00+08:00', '2026-11-20T13:01:00+08:00', '2026-11-20T13:01:00+08:00'),
              ('G-OLD',      'gateway', '800100200', 5000, 'CNY', 'PENDING', NULL,  '2026-11-15T09:00:00+08:00', NULL, '2026-11-15T09:00:00+08:00'),
              ('G-ANCIENT',  'gateway', '800100200', 6000, 'CNY', 'PENDING', NULL,  '2026-10-01T09:00:00+08:00', NULL, '2026-10-01T09:00:00+08:00'),
              ('G-TOMORROW', 'gateway', '800100200', 6500, 'CNY', 'PENDING', NULL,  '2026-11-21T00:00:00+08:00', NULL, '2026-11-21T00:00:00+08:00'),
              ('W-PENDING',  'wechatpay', '1900000109', 7000, 'CNY', 'PENDING', NULL, '2026-11-20T10:00:00+08:00', NULL, '2026-11-20T10:00:00+08:00');
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, last_error_code, created_at) VALUES
              ('R-PENDING', 'G-PAID', 100, 'PENDING', NULL,  '2026-11-20T14:00:00+08:00'),
              ('R-E01',     'G-PAID', 200, 'FAILED',  'E01', '2026-11-20T15:00:00+08:00'),
              ('R-DONE',    'G-PAID', 300, 'SUCCESS', NULL,  '2026-11-20T16:00:00+08:00'),
              ('R-OTHER',   'W-PENDING', 400, 'PENDING', NULL, '2026-11-20T16:00:00+08:00');
            """, in: path)
        return path
    }

    @Test("the store returns PENDING rows and rows with a last error code, in the window and up to the age limit", arguments: [true, false])
    func candidates(migrated: Bool) throws {
        let selector = PendingSelector(book: Providers.directory.book)
        let found = try OrderStore(path: store(migrated: migrated)).uncertain(of: Sample.gateway, in: selector.range(for: window))
        #expect(found.orders.map(\.outTradeNo) == ["G-C14", "G-E02", "G-OLD", "G-PENDING", "G-Z99"])
        #expect(found.refunds.map(\.outRefundNo) == ["R-E01", "R-PENDING"])
        #expect(found.refunds.allSatisfy { $0.merchant == Sample.gateway && $0.amount.currency == .cny })
    }

    @Test("the selector keeps what must be confirmed and says why")
    func selection() throws {
        let store = try OrderStore(path: store())
        let selector = PendingSelector(book: Providers.directory.book)
        let found = try store.uncertain(of: Sample.gateway, in: selector.range(for: window))
        let items = selector.select(orders: found.orders, refunds: found.refunds)
        #expect(items.map { "\($0.key) \($0.reason.name)" } == [
            "G-E02 query_to_confirm", "G-OLD pending_status", "G-PENDING pending_status", "G-Z99 unknown_code",
            "R-E01 query_to_confirm", "R-PENDING pending_status",
        ])
        let shorter = PendingSelector(maxAgeSeconds: 86_400, book: Providers.directory.book)
        let recent = try store.uncertain(of: Sample.gateway, in: shorter.range(for: window))
        #expect(!recent.orders.contains { $0.outTradeNo == "G-OLD" })
    }

    @Test("after migration the read walks the partial index of uncertain rows")
    func usesPartialIndex() throws {
        let path = try store()
        let plan = try SQLiteDatabase(path: path).prepare(
            """
            EXPLAIN QUERY PLAN SELECT out_trade_no FROM orders
            WHERE provider = 'gateway' AND merchant_id = '800100200'
              AND unixepoch(coalesce(paid_at, created_at)) >= 0 AND unixepoch(coalesce(paid_at, created_at)) < 1
              AND (status = 'PENDING' OR coalesce(last_error_code, '') <> '')
            """)
        _ = try plan.step()
        #expect(plan.text(3)?.contains("recon_orders_uncertain") == true)
    }
}
