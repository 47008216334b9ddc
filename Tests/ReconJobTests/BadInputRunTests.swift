import Foundation
import ProviderPlugins
import ReconBills
import ReconCore
import ReconJob
import ReconReports
import ReconTestSupport
import Testing

@Suite("Bad input fails the run with a clear error and writes nothing")
struct BadInputRunTests {
    let day = CivilDate("2026-11-19")!
    let gatewayBill = "gateway_800100200_2026-11-19.csv"

    /// Runs day 19 and returns the error, after checking that nothing was written.
    func failure(_ workspace: DemoWorkspace, days: [CivilDate]? = nil, config: ReconConfig? = nil) async throws -> ReconError {
        try await workspace.failure(days ?? [day], config: config)
    }

    @Test("a truncated bill")
    func truncated() async throws {
        let workspace = try DemoWorkspace()
        let text = try String(contentsOfFile: workspace.bill(gatewayBill), encoding: .utf8)
        try String(text.prefix(200)).write(toFile: workspace.bill(gatewayBill), atomically: true, encoding: .utf8)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains(workspace.bill(gatewayBill) + ":2: wrong column count: the header has 11 columns, this row has 6"))
        #expect(error.message.contains(workspace.bill(gatewayBill) + ":2: the bill ends without its summary"))
        #expect(error.message.contains("download it again"))
    }

    @Test("a wrong column count")
    func columnCount() async throws {
        let workspace = try DemoWorkspace()
        try workspace.replace(in: gatewayBill, ",Cups", with: "")
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains(
            workspace.bill(gatewayBill) + ":3: wrong column count: the header has 11 columns, this row has 10"))
    }

    @Test("a non-numeric amount")
    func nonNumeric() async throws {
        let workspace = try DemoWorkspace()
        try workspace.replace(in: gatewayBill, "CNY,15.00", with: "CNY,15,00")
        let error = try await failure(workspace)
        #expect(error.message.contains(workspace.bill(gatewayBill) + ":3: "))
        #expect(error.status == .badInput)
    }

    @Test("a bill of another merchant than the one its name asks for")
    func otherMerchant() async throws {
        let workspace = try DemoWorkspace()
        let other = "wechatpay_1900000110_2026-11-19_ALL.csv"
        try FileManager.default.removeItem(atPath: workspace.bill(other))
        try FileManager.default.copyItem(
            atPath: Repository.fixture("bills/wechatpay/ALL-current.csv"), toPath: workspace.bill(other))
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains("the row belongs to merchant 1900000109, not 1900000110"))
    }

    @Test("a bill of another day than the one its name asks for")
    func otherDay() async throws {
        let workspace = try DemoWorkspace()
        try FileManager.default.removeItem(atPath: workspace.bill(gatewayBill))
        try FileManager.default.copyItem(
            atPath: workspace.bill("gateway_800100200_2026-11-20.csv"), toPath: workspace.bill(gatewayBill))
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains(":2: transaction_time 2026-11-20 10:00:10 is not on 2026-11-19"))
        #expect(error.message.contains("the summary is for 2026-11-20, not 2026-11-19"))
    }

    @Test("an unknown format")
    func unknownFormat() async throws {
        let workspace = try DemoWorkspace()
        try "order,amount\nA,1.00\n".write(toFile: workspace.bill(gatewayBill), atomically: true, encoding: .utf8)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.hasPrefix(workspace.bill(gatewayBill) + ": unknown bill format"))
    }

    /// A way to damage the demo store, and the start of the message the run must fail with
    /// (`STORE` stands for the store's path).
    struct StoreDamage: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var sql: String
        var message: String
    }

    static let storeDamage = [
        StoreDamage(
            testDescription: "a store with a missing table", sql: "DROP TABLE refunds",
            message: "The order store STORE has no 'refunds' table or view."),
        StoreDamage(
            testDescription: "a store with a missing column", sql: "DROP INDEX recon_orders_day; ALTER TABLE orders DROP COLUMN currency",
            message: "The 'orders' table of STORE lacks the column(s) currency."),
        StoreDamage(
            testDescription: "a store row with a value the job cannot read",
            sql: "UPDATE orders SET amount_minor = '30 yuan' WHERE out_trade_no = 'D19-002'",
            message: "STORE: orders.amount_minor of 'D19-002' is '30 yuan', which is not an INTEGER count of minor units"),
        StoreDamage(
            testDescription: "a refund whose order is not in the store",
            sql: """
                INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at)
                VALUES ('X-R1', 'X', 100, 'SUCCESS', '2026-11-19T12:00:00+08:00')
                """,
            message: "STORE: refund 'X-R1' refers to order 'X', which is not in 'orders'."),
    ]

    @Test("a damaged store fails the run with a message that names it", arguments: storeDamage)
    func damagedStore(_ damage: StoreDamage) async throws {
        let workspace = try DemoWorkspace()
        try DemoStore.execute(damage.sql, in: workspace.store)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.hasPrefix(damage.message.replacingOccurrences(of: "STORE", with: workspace.store)))
    }

    @Test("an unreadable bill")
    func unreadableBill() async throws {
        let workspace = try DemoWorkspace()
        try FileManager.default.removeItem(atPath: workspace.bill(gatewayBill))
        try FileManager.default.createDirectory(atPath: workspace.bill(gatewayBill), withIntermediateDirectories: false)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(
            error.message == "\(workspace.bill(gatewayBill)) is named as a bill but is not a regular file (a folder, pipe or device, "
                + "or a broken link). Move it out of the folder.")
    }

    @Test("a named pipe in place of a bill or a no-bill marker stops the run instead of waiting for a writer", arguments: [false, true])
    func namedPipe(marker: Bool) async throws {
        let workspace = try DemoWorkspace()
        let path = marker ? workspace.bill("gateway_800100200_2026-11-19.nobill") : workspace.bill(gatewayBill)
        if !marker { try FileManager.default.removeItem(atPath: path) }
        #expect(mkfifo(path, 0o600) == 0)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.hasPrefix("\(path) is named as a bill but is not a regular file"))
    }

    @Test("a named pipe given as the bill file itself is refused at once")
    func namedPipeFile() async throws {
        let directory = TemporaryDirectory()
        let path = directory.file("wechatpay_1900000109_2026-11-19_ALL.csv")
        #expect(mkfifo(path, 0o600) == 0)
        #expect {
            try BillReader(formats: Providers.billFormats).read(path) { _ in }
        } throws: { "\($0)".contains("it is a pipe or a device, not a file; pass the bill file itself") }
    }

    @Test("an unreadable store")
    func unreadableStore() async throws {
        let workspace = try DemoWorkspace()
        try "not a database".write(toFile: workspace.store, atomically: true, encoding: .utf8)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains(workspace.store))
        #expect(error.message.contains("is not an SQLite database") || error.message.contains("file is not a database"))
    }

    @Test("rows that do not add up to the summary")
    func summaryMismatch() async throws {
        let workspace = try DemoWorkspace()
        try workspace.replace(in: gatewayBill, ",CNY,1,1,15.00,", with: ",CNY,1,1,15.01,")
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains(
            ":5: the summary's payment_amount (CNY) says 15.01 but the rows add up to 15.00 (rows − summary = -0.01)"))
    }

    @Test("a configured merchant without a bill for the day")
    func missingBill() async throws {
        let workspace = try DemoWorkspace()
        try FileManager.default.removeItem(atPath: workspace.bill(gatewayBill))
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.hasPrefix(
            "No bill for gateway/800100200 on 2026-11-19 in \(workspace.bills): expected a file named gateway_800100200_2026-11-19.csv"))
    }

    @Test("a bill in the folder whose name does not say what it is")
    func unnamedBill() async throws {
        let workspace = try DemoWorkspace()
        try "x".write(toFile: workspace.bill("bill.csv"), atomically: true, encoding: .utf8)
        let error = try await failure(workspace)
        #expect(error.status == .badInput)
        #expect(error.message.contains("bill.csv: the name does not say which merchant and day the bill is for"))
    }

    @Test("two bills of one kind for the same merchant and day")
    func duplicateBills() async throws {
        let workspace = try DemoWorkspace()
        try FileManager.default.copyItem(
            atPath: workspace.bill("wechatpay_1900000110_2026-11-19_ALL.csv"),
            toPath: workspace.bill("wechatpay_1900000110_2026-11-19_ALL.csv.gz"))
        let error = try await failure(workspace)
        #expect(error.message.hasPrefix("wechatpay/1900000110 has more than one bill for 2026-11-19"))
    }

    @Test("a bill whose name says ALL but whose columns are a SUCCESS bill's")
    func wrongType() async throws {
        let workspace = try DemoWorkspace()
        let name = "wechatpay_1900000109_2026-11-18_ALL.csv"
        try FileManager.default.removeItem(atPath: workspace.bill(name))
        try FileManager.default.copyItem(atPath: Repository.fixture("bills/wechatpay/SUCCESS-current.csv"), toPath: workspace.bill(name))
        let error = try await failure(workspace, days: [CivilDate("2026-11-18")!])
        #expect(error.status == .badInput)
        #expect(error.message == "\(workspace.bill(name)) is named as the ALL bill but holds the SUCCESS bill. Rename it so "
            + "the run knows which rows to expect.")
    }

    @Test("an empty day is valid: a merchant's bill with a header, zero rows and zero totals")
    func emptyDay() async throws {
        let workspace = try DemoWorkspace()
        var config = workspace.config
        config.billPaths = [workspace.bill("wechatpay_1900000110_2026-11-18_ALL.csv")]
        config.merchants = []
        let result = try await workspace.run([CivilDate("2026-11-18")!], config: config)
        #expect(result.status == .clean)
        #expect(result.reports[0].bills.map(\.paymentRows) == [0])
        #expect(result.reports[0].discrepancies.isEmpty)
    }
}
