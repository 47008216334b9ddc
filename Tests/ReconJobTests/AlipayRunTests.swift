import AlipayProvider
import Foundation
import Logging
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing

/// An Alipay merchant reconciled against the real bill of `fixtures/bills/alipay`, zipped and GBK
/// as Alipay delivers it, in a bills folder.
@Suite("An Alipay merchant's day")
struct AlipayRunTests {
    let directory = TemporaryDirectory("order-recon-alipay")
    static let day = CivilDate("2019-09-16")!
    static let merchant = MerchantRef(provider: .alipay, merchantID: "2088021109625633")
    /// The bill's payments (order number, paid at) and refunds (request number, order, refunded at).
    static let payments = [
        ("service_1568601259302", "10:55:23"), ("service_1568603173853", "11:07:09"), ("service_1568613406000", "13:57:52"),
        ("qd_201909161455139634Sjad2vy", "14:57:19"), ("20190916165659224L3VUQRL9", "16:58:58"),
        ("qd_201909161844073417CB0wPzR", "18:43:34"),
    ]
    static let refunds = [
        ("re_test_1568602607356", "service_1568601259302", "10:56:48"), ("re_test_1568604414433", "service_1568603173853", "11:26:55"),
        ("re_test_1568614511552", "service_1568613406000", "14:15:12"),
        ("re_20190916150216125q8Lmiodp", "qd_201909161455139634Sjad2vy", "15:00:38"),
    ]

    /// A store holding the bill's orders and refunds, then `changes` (SQL) on top.
    func store(_ changes: [String] = []) throws -> String {
        let path = directory.file("store.sqlite")
        try OrderStore.create(path: path)
        var sql = Self.payments.map { number, time in
            let refunded = Self.refunds.contains { $0.1 == number }
            return """
                INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at, updated_at)
                VALUES ('\(number)', 'alipay', '2088021109625633', 1, 'CNY', '\(refunded ? "REFUNDED" : "PAID")',
                  '2019-09-16T\(time)+08:00', '2019-09-16T\(time)+08:00', '2019-09-16T\(time)+08:00');
                """
        }
        sql += Self.refunds.map { request, order, time in
            """
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at, succeeded_at)
            VALUES ('\(request)', '\(order)', 1, 'SUCCESS', '2019-09-16T\(time)+08:00', '2019-09-16T\(time)+08:00');
            """
        }
        try DemoStore.execute((sql + changes).joined(separator: "\n"), in: path)
        return path
    }

    func run(store: String) async throws -> RunResult {
        let bills = directory.file("bills")
        try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
        let zipped = "alipay_2088021109625633_2019-09-16.csv.zip"
        if !FileManager.default.fileExists(atPath: bills + "/" + zipped) {
            try FileManager.default.copyItem(atPath: Repository.fixture("bills/alipay/" + zipped), toPath: bills + "/" + zipped)
        }
        var config = ReconConfig(storePath: store, billPaths: [bills], reportsFolder: directory.file("reports"), merchants: [Self.merchant])
        config.providers.queriesEnabled = false
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await ReconciliationRun(config: config, logger: logger, clock: ManualClock()).run(days: [Self.day])
    }

    @Test("the store that matches the bill gives no discrepancy")
    func clean() async throws {
        let result = try await run(store: try store())
        let report = try #require(result.reports.first)
        #expect(report.discrepancies.isEmpty, "\(report.discrepancies.map(\.explanation))")
        #expect(report.bills.map(\.merchant) == [Self.merchant] && report.statistics.billPayments == 6)
    }

    @Test("a ZIP in the bills folder under a name that says no merchant and day stops the run")
    func strayZip() async throws {
        let bills = directory.file("bills")
        try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Repository.fixture("bills/alipay/alipay_2088021109625633_2019-09-16.csv.zip"),
            toPath: bills + "/20880211096256330156_20190916.zip")
        await #expect { _ = try await run(store: try store()) } throws: {
            ReconError.wrapping($0).message.contains("20880211096256330156_20190916.zip: the name does not say which merchant and day")
        }
    }

    @Test("a payment the bill lacks, one recorded at the wrong amount and a refund the store lacks are found")
    func planted() async throws {
        let result = try await run(
            store: try store([
                """
                INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at, updated_at)
                VALUES ('local-only', 'alipay', '2088021109625633', 500, 'CNY', 'PAID', '2019-09-16T12:00:00+08:00',
                  '2019-09-16T12:00:05+08:00', '2019-09-16T12:00:05+08:00');
                """,
                "UPDATE orders SET amount_minor = 2 WHERE out_trade_no = '20190916165659224L3VUQRL9';",
                "DELETE FROM refunds WHERE out_refund_no = 're_test_1568614511552';",
            ]))
        let kinds = try #require(result.reports.first).discrepancies.map(\.kind).sorted()
        #expect(kinds == [.missingInBill, .amountMismatch, .refundMissingLocally].sorted())
    }
}
