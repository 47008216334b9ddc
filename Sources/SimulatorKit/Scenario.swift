import Foundation
import ReconCore
import ReconStore

/// What the simulated providers know: orders, refunds and bills, per provider and merchant.
///
/// Read from JSON (`{"orders": [...], "refunds": [...], "bills": [...]}`) or from an SQLite file
/// with tables `sim_orders`, `sim_refunds` and `sim_bills` of the same columns.
public struct Scenario: Codable, Sendable {
    /// An order as the provider records it.
    public struct Order: Codable, Sendable, Hashable {
        public var provider: String
        public var merchantID: String
        public var outTradeNo: String
        /// The provider's own word: WeChat Pay `SUCCESS`, `NOTPAY`, `CLOSED`, …; gateway `SUCCESS`, `PENDING`, ….
        public var state: String
        public var amountMinor: Int64
        public var currency: String
        public var transactionID: String?
        /// RFC 3339.
        public var successTime: String?
        public var combineOutTradeNo: String?

        enum CodingKeys: String, CodingKey {
            case provider, merchantID = "merchant_id", outTradeNo = "out_trade_no", state, amountMinor = "amount_minor",
                currency, transactionID = "transaction_id", successTime = "success_time",
                combineOutTradeNo = "combine_out_trade_no"
        }

        public init(
            provider: String, merchantID: String, outTradeNo: String, state: String, amountMinor: Int64, currency: String = "CNY",
            transactionID: String? = nil, successTime: String? = nil, combineOutTradeNo: String? = nil
        ) {
            self.provider = provider
            self.merchantID = merchantID
            self.outTradeNo = outTradeNo
            self.state = state
            self.amountMinor = amountMinor
            self.currency = currency
            self.transactionID = transactionID
            self.successTime = successTime
            self.combineOutTradeNo = combineOutTradeNo
        }
    }

    /// A refund as the provider records it.
    public struct Refund: Codable, Sendable, Hashable {
        public var provider: String
        public var merchantID: String
        public var outRefundNo: String
        public var outTradeNo: String
        /// WeChat Pay `SUCCESS`, `PROCESSING`, `CLOSED`, `ABNORMAL`; gateway `SUCCESS`, `PROCESSING`, `FAILED`.
        public var state: String
        public var amountMinor: Int64
        public var currency: String
        public var refundID: String?
        public var successTime: String?

        enum CodingKeys: String, CodingKey {
            case provider, merchantID = "merchant_id", outRefundNo = "out_refund_no", outTradeNo = "out_trade_no", state,
                amountMinor = "amount_minor", currency, refundID = "refund_id", successTime = "success_time"
        }

        public init(
            provider: String, merchantID: String, outRefundNo: String, outTradeNo: String, state: String, amountMinor: Int64,
            currency: String = "CNY", refundID: String? = nil, successTime: String? = nil
        ) {
            self.provider = provider
            self.merchantID = merchantID
            self.outRefundNo = outRefundNo
            self.outTradeNo = outTradeNo
            self.state = state
            self.amountMinor = amountMinor
            self.currency = currency
            self.refundID = refundID
            self.successTime = successTime
        }
    }

    /// A day's bill file of one merchant.
    public struct Bill: Codable, Sendable, Hashable {
        public var provider: String
        public var merchantID: String
        /// `YYYY-MM-DD`.
        public var day: String
        /// The bill's file, relative to the scenario file's folder.
        public var path: String

        enum CodingKeys: String, CodingKey { case provider, merchantID = "merchant_id", day, path }

        public init(provider: String, merchantID: String, day: String, path: String) {
            self.provider = provider
            self.merchantID = merchantID
            self.day = day
            self.path = path
        }
    }

    public var orders: [Order]
    public var refunds: [Refund]
    public var bills: [Bill]

    /// Creates a scenario.
    public init(orders: [Order] = [], refunds: [Refund] = [], bills: [Bill] = []) {
        self.orders = orders
        self.refunds = refunds
        self.bills = bills
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        orders = try container.decodeIfPresent([Order].self, forKey: .orders) ?? []
        refunds = try container.decodeIfPresent([Refund].self, forKey: .refunds) ?? []
        bills = try container.decodeIfPresent([Bill].self, forKey: .bills) ?? []
    }

    enum CodingKeys: String, CodingKey { case orders, refunds, bills }

    /// A scenario problem: names the file and says what to fix.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads a scenario file: JSON, or SQLite when the file starts with SQLite's header. Bill
    /// paths are made absolute against the file's folder.
    public static func load(path: String) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "\(path): cannot read the scenario file. Check the path.")
        }
        var scenario: Scenario
        if data.starts(with: Array("SQLite format 3".utf8)) {
            scenario = try loadSQLite(path: path)
        } else {
            do {
                scenario = try JSONDecoder().decode(Scenario.self, from: data)
            } catch {
                throw Problem(description: "\(path): not a valid scenario: \(error). Fix the JSON.")
            }
        }
        let folder = (path as NSString).deletingLastPathComponent
        for index in scenario.bills.indices where !scenario.bills[index].path.hasPrefix("/") {
            scenario.bills[index].path = folder.isEmpty ? scenario.bills[index].path : folder + "/" + scenario.bills[index].path
        }
        return scenario
    }

    private static func loadSQLite(path: String) throws -> Scenario {
        do {
            let database = try SQLiteDatabase(path: path)
            var scenario = Scenario()
            let orders = try database.prepare(
                """
                SELECT provider, merchant_id, out_trade_no, state, amount_minor, currency, transaction_id, success_time,
                       combine_out_trade_no FROM sim_orders ORDER BY rowid
                """)
            while try orders.step() {
                scenario.orders.append(
                    Order(
                        provider: orders.text(0) ?? "", merchantID: orders.text(1) ?? "", outTradeNo: orders.text(2) ?? "",
                        state: orders.text(3) ?? "", amountMinor: orders.int64(4) ?? 0, currency: orders.text(5) ?? "CNY",
                        transactionID: orders.text(6), successTime: orders.text(7), combineOutTradeNo: orders.text(8)))
            }
            if try database.objectType(named: "sim_refunds") != nil {
                let refunds = try database.prepare(
                    """
                    SELECT provider, merchant_id, out_refund_no, out_trade_no, state, amount_minor, currency, refund_id,
                           success_time FROM sim_refunds ORDER BY rowid
                    """)
                while try refunds.step() {
                    scenario.refunds.append(
                        Refund(
                            provider: refunds.text(0) ?? "", merchantID: refunds.text(1) ?? "",
                            outRefundNo: refunds.text(2) ?? "", outTradeNo: refunds.text(3) ?? "", state: refunds.text(4) ?? "",
                            amountMinor: refunds.int64(5) ?? 0, currency: refunds.text(6) ?? "CNY", refundID: refunds.text(7),
                            successTime: refunds.text(8)))
                }
            }
            if try database.objectType(named: "sim_bills") != nil {
                let bills = try database.prepare("SELECT provider, merchant_id, day, path FROM sim_bills ORDER BY rowid")
                while try bills.step() {
                    scenario.bills.append(
                        Bill(provider: bills.text(0) ?? "", merchantID: bills.text(1) ?? "", day: bills.text(2) ?? "",
                             path: bills.text(3) ?? ""))
                }
            }
            return scenario
        } catch let error as SQLiteError {
            throw Problem(description: "\(path): not a scenario database (\(error)). It needs a sim_orders table.")
        }
    }
}
