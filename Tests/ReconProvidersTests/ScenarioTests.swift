import Foundation
import ProviderSimulator
import ProviderTestSupport
import ReconStore
import ReconTestSupport
import SimulatorKit
import Testing

@Suite("Simulator scenarios")
struct ScenarioTests {
    let directory = TemporaryDirectory("scenarios")

    @Test("a scenario reads the same from JSON and from SQLite, with bill paths relative to its file")
    func jsonAndSQLite() throws {
        let json = try Scenario.load(path: Repository.fixture("demo/scenario.json"))
        #expect(json.orders.count > 20 && json.refunds.count == 8 && json.bills.count == 15)
        #expect(json.bills.allSatisfy { bill in
            ["bills", "bills-alipay", "bills-sp"].contains { bill.path.hasPrefix(Repository.fixture("demo/\($0)/")) }
        })

        let path = directory.file("scenario.sqlite")
        let database = try SQLiteDatabase(path: path, mode: .create)
        try database.execute(
            """
            CREATE TABLE sim_orders (provider, merchant_id, out_trade_no, state, amount_minor, currency, transaction_id,
                                     success_time, combine_out_trade_no);
            CREATE TABLE sim_refunds (provider, merchant_id, out_refund_no, out_trade_no, state, amount_minor, currency,
                                      refund_id, success_time);
            CREATE TABLE sim_bills (provider, merchant_id, day, path);
            """)
        let insertOrder = try database.prepare("INSERT INTO sim_orders VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        for order in json.orders {
            try insertOrder.run([
                .text(order.provider), .text(order.merchantID), .text(order.outTradeNo), .text(order.state),
                .integer(order.amountMinor), .text(order.currency), .optional(order.transactionID), .optional(order.successTime),
                .optional(order.combineOutTradeNo),
            ])
        }
        let insertRefund = try database.prepare("INSERT INTO sim_refunds VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        for refund in json.refunds {
            try insertRefund.run([
                .text(refund.provider), .text(refund.merchantID), .text(refund.outRefundNo), .text(refund.outTradeNo),
                .text(refund.state), .integer(refund.amountMinor), .text(refund.currency), .optional(refund.refundID),
                .optional(refund.successTime),
            ])
        }
        let insertBill = try database.prepare("INSERT INTO sim_bills VALUES (?1, ?2, ?3, ?4)")
        for bill in json.bills {
            try insertBill.run([.text(bill.provider), .text(bill.merchantID), .text(bill.day), .text(bill.path)])
        }
        let sqlite = try Scenario.load(path: path)
        #expect(sqlite.orders == json.orders)
        #expect(sqlite.refunds == json.refunds)
        #expect(sqlite.bills == json.bills)
    }

    @Test("a file that is neither is refused with its path")
    func badScenario() throws {
        let path = directory.write("bad.json", "{\"orders\": 3}")
        #expect { try Scenario.load(path: path) } throws: { "\($0)".contains("\(path): not a valid scenario") }
        #expect { try Scenario.load(path: directory.file("missing.json")) } throws: { "\($0)".contains("cannot read the scenario file") }
    }
}
