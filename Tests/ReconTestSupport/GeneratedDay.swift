import BenchData
import Foundation
import ReconCore

/// The benchmark's generated day (``BenchDay``) in a temporary folder: an SQLite store and one
/// bill per merchant, with 0.9 % planted discrepancies of each merchant's orders.
public final class GeneratedDay: @unchecked Sendable {
    public let directory = TemporaryDirectory("order-recon-generated")
    /// The day's plan: what was planted.
    public let plan: BenchDay
    public let store: String
    public let bills: String
    /// The day.
    public var day: CivilDate { BenchDay.day }
    /// Its merchants.
    public var merchants: [MerchantRef] { (0..<plan.merchants).map(BenchDay.merchant) }

    /// Writes `merchants` merchants of `orders` orders each.
    public init(orders: Int, merchants: Int) throws {
        plan = BenchDay(orders: orders, merchants: merchants)
        store = directory.file("store.sqlite")
        bills = directory.file("bills")
        try plan.write(store: store, bills: bills)
    }
}
