import ReconCore
import WeChatPayProvider

/// The generated day: WeChat Pay merchants' orders, their bill rows and the discrepancies
/// planted among them, worked out from each order's merchant and number alone so the generator
/// and the check of what a run found agree. Every merchant's day is alike but for its numbers.
///
/// Order `i` of merchant `m` (numbered by ``orderNumber(_:merchant:)``) is paid on the day, at a time between 00:30 and 23:30 Beijing time; its
/// store times are written half with `+08:00` and half in UTC (`Z`). One order in twenty is
/// partly refunded later the same day, one in forty of them twice. Its goods name has a comma.
/// Nine orders in a thousand carry one planted discrepancy each, one of each kind in ``Plant``.
public struct BenchDay: Sendable {
    /// The day.
    public static let day = CivilDate("2026-11-20")!

    /// Merchant `m`'s id: `1900000109`, `1900000110`, …
    public static func merchantID(_ m: Int) -> String { String(1_900_000_109 + m) }

    /// Merchant `m`.
    public static func merchant(_ m: Int) -> MerchantRef { MerchantRef(provider: .wechatPay, merchantID: merchantID(m)) }

    /// Order `index` of merchant `m` as one number across merchants (each has at most ten million
    /// orders, numbered from 0).
    static func serial(_ index: Int, merchant m: Int) -> Int { m * 10_000_000 + index }

    /// A planted discrepancy, by the order's number modulo 1000.
    public enum Plant: Int, CaseIterable, Sendable {
        case missingInBill = 101, missingLocally = 202, amountMismatch = 303, duplicateInBill = 404, statusMismatch = 505
        case currencyMismatch = 606
        /// On the first refund of an order refunded once or twice (each is 7 modulo 20).
        case refundMissingInBill = 707, refundMissingLocally = 807, refundAmountMismatch = 907

        /// The kind the run reports.
        public var kind: String {
            switch self {
            case .missingInBill: "missing_in_bill"
            case .missingLocally: "missing_locally"
            case .amountMismatch: "amount_mismatch"
            case .duplicateInBill: "duplicate_in_bill"
            case .statusMismatch: "status_mismatch"
            case .currencyMismatch: "currency_mismatch"
            case .refundMissingInBill: "refund_missing_in_bill"
            case .refundMissingLocally: "refund_missing_locally"
            case .refundAmountMismatch: "refund_amount_mismatch"
            }
        }
    }

    /// How many orders each merchant has on the day.
    public let orders: Int
    /// How many merchants the day has.
    public let merchants: Int

    /// The layout of the generated data; data written with another layout is generated again.
    public static let layout = 2

    /// A day of `merchants` merchants with `orders` orders each.
    public init(orders: Int, merchants: Int = 1) {
        precondition(orders <= 10_000_000 && (1...999).contains(merchants), "at most 999 merchants of at most ten million orders")
        self.orders = orders
        self.merchants = merchants
    }

    /// Order `index`'s number, 24 characters long (`BENCH2026112000000000042`): merchants' order
    /// numbers run to 20 or 32 characters (WeChat Pay allows up to 32), and a day of short ones
    /// would cost less to read and match than a real day does.
    static func orderNumber(_ index: Int, merchant m: Int) -> String {
        "BENCH20261120" + padded(serial(index, merchant: m), 11)
    }

    /// A 28-digit transaction id, as WeChat Pay prints them.
    static func transactionID(_ index: Int, merchant m: Int) -> String { "420000249120261120" + padded(serial(index, merchant: m), 10) }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The discrepancy planted on order `index`, if any.
    static func plant(_ index: Int) -> Plant? { Plant(rawValue: index % 1000) }

    /// How many refunds order `index` has: 0, 1 or 2.
    static func refunds(_ index: Int) -> Int {
        index % 20 != 7 ? 0 : (index % 40 == 7 ? 2 : 1)
    }

    /// The order's amount in fen.
    static func amount(_ index: Int) -> Int64 { 100 + Int64((index &* 7919) % 50_000) }

    /// Each refund's amount: a quarter of the order's.
    static func refundAmount(_ index: Int) -> Int64 { amount(index) / 4 }

    /// The discrepancies a run must find, by kind, over every merchant.
    public var expected: [String: Int] {
        var counts: [String: Int] = [:]
        for plant in Plant.allCases {
            let full = orders / 1000
            counts[plant.kind] = (full + (orders % 1000 > plant.rawValue ? 1 : 0)) * merchants
        }
        return counts.filter { $0.value > 0 }
    }

    /// The payment time of order `index` on the bill's clock; refunds follow 10 and 20 minutes later.
    func time(_ index: Int) -> LocalDateTime {
        let span: Int64 = 23 * 3600
        let offset = Int64(index) * span / Int64(max(1, orders))
        return LocalDateTime(wallSeconds: LocalDateTime(date: Self.day, hour: 0, minute: 30).wallSeconds + offset)
    }
}
