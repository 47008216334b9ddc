import Foundation
import Logging
import ReconBills
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing
import WeChatPayProvider

/// Two sub-merchants of one WeChat Pay service provider reconciled from the service provider's
/// one bill, each against its own orders.
@Suite("A service provider's sub-merchants in a run")
struct ServiceProviderRunTests {
    let directory = TemporaryDirectory("order-recon-sp")
    static let day = CivilDate("2026-11-19")!
    typealias Bill = ServiceProviderBillTests

    /// A store holding the bill's rows as orders and refunds of their sub-merchants, then `changes` (SQL).
    func store(_ changes: [String] = []) throws -> String {
        let path = directory.file("store.sqlite")
        try OrderStore.create(path: path)
        var sql: [String] = []
        for index in 0..<10 {
            let merchant = index % 2 == 0 ? Bill.first : Bill.second
            let time = String(format: "2026-11-19T08:%02d:00+08:00", index)
            let refunded = index % 5 == 4
            sql.append("""
                INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, created_at, paid_at, updated_at)
                VALUES ('SP-\(index)', 'wechatpay', '\(merchant.merchantID)', \(100 * (index + 1)), 'CNY',
                  '\(refunded ? "REFUNDED" : "PAID")', '\(time)', '\(time)', '\(time)');
                """)
            if refunded {
                sql.append("""
                    INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at, succeeded_at)
                    VALUES ('SP-\(index)-R', 'SP-\(index)', \(100 * (index + 1)), 'SUCCESS', '\(time)', '\(time)');
                    """)
            }
        }
        // Row 4 is a refund row only: its order was paid the day before, outside the bill.
        sql.append("UPDATE orders SET created_at = '2026-11-18T08:04:00+08:00', paid_at = '2026-11-18T08:04:00+08:00' WHERE out_trade_no IN ('SP-4', 'SP-9');")
        try DemoStore.execute((sql + changes).joined(separator: "\n"), in: path)
        return path
    }

    func config(store: String, groups: Bool = true) throws -> ReconConfig {
        let bills = directory.file("bills")
        try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
        _ = directory.write("bills/wechatpay_1900000100_2026-11-19_ALL.csv", Bill.bill())
        var config = ReconConfig(storePath: store, billPaths: [bills], reportsFolder: directory.file("reports"))
        config.providers.queriesEnabled = false
        if groups {
            config.merchantGroups.add(Bill.first, to: Bill.serviceProvider)
            config.merchantGroups.add(Bill.second, to: Bill.serviceProvider)
        }
        return config
    }

    func run(_ config: ReconConfig) async throws -> RunResult {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await ReconciliationRun(config: config, logger: logger, clock: ManualClock()).run(days: [Self.day])
    }

    @Test("each sub-merchant is reconciled against its own orders: only the planted differences, no merchant_mismatch")
    func reconciled() async throws {
        let store = try store([
            "UPDATE orders SET amount_minor = 301 WHERE out_trade_no = 'SP-2';",
            "DELETE FROM orders WHERE out_trade_no = 'SP-7';",
        ])
        let result = try await run(try config(store: store))
        let report = try #require(result.reports.first)
        let found = report.discrepancies.map { "\($0.merchant.merchantID) \($0.kind.rawValue) \($0.outTradeNo ?? "")" }.sorted()
        #expect(found == ["1900000201 amount_mismatch SP-2", "1900000202 missing_locally SP-7"], "\(report.discrepancies.map(\.explanation))")
        #expect(report.bills.map(\.merchant) == [Bill.first, Bill.second])
        #expect(report.bills.allSatisfy { $0.billOf == Bill.serviceProvider && $0.paymentRows == 4 && $0.refundRows == 1 })
        #expect(report.bills.map { $0.totals.first?.paidMinor } == [2000, 2000])
        #expect(report.unreconciled.isEmpty)
        // Each sub-merchant's archive folder holds its report and the service provider's bill.
        for merchant in [Bill.first, Bill.second] {
            let folder = ReportArchive(root: directory.file("reports")).folder(for: Self.day, merchant: merchant)
            #expect(FileManager.default.fileExists(atPath: folder + "/wechatpay_1900000100_2026-11-19_ALL.csv"))
            #expect(FileManager.default.fileExists(atPath: folder + "/order-recon-2026-11-19-wechatpay-\(merchant.merchantID).json"))
        }
    }

    @Test("with no sub-merchant configured under the service provider the run stops and says what to configure")
    func unconfigured() async throws {
        let store = try store()
        await #expect {
            try await run(try config(store: store, groups: false))
        } throws: { error in
            let text = ReconError.wrapping(error).message
            return text.contains("sub-merchant 1900000201 of service provider 1900000100")
                && text.contains(#"providers.wechatpay.merchants."1900000201" with sp_mchid 1900000100"#)
        }
    }

    @Test("a sub-merchant's own bill beside the service provider's is two bills for one day")
    func twoBills() async throws {
        let store = try store()
        let config = try config(store: store)
        _ = directory.write("bills/wechatpay_1900000201_2026-11-19_ALL.csv", Bill.bill(only: Bill.first))
        await #expect {
            try await run(config)
        } throws: { error in
            ReconError.wrapping(error).message.contains("wechatpay/1900000201 has more than one bill for 2026-11-19")
        }
    }
}
