import Foundation
import ReconCore

/// Times without an offset: the check that stops a run before it reads rows whose time it cannot
/// place, and the ranges the day reads search when such times are read in `store.time_zone`.
extension OrderStore {
    /// Fails when a row that the run's reads could need has a time that cannot be placed: a time
    /// SQLite cannot read at all (any order of `merchant`, any refund), or, unless
    /// ``naiveTimeZone`` is set, a time without an offset whose true instant could lie in what the
    /// run reads under some offset: SQLite reads it as UTC and would leave it out without a word.
    ///
    /// Rows a read decodes are checked as they are decoded; this looks at the rest: every row
    /// within 14 hours of `reads`, and the pending and uncertain ones within 14 hours before
    /// `pendingFrom` (where pending selection reads from). Partial indexes over such rows
    /// (migration 6) make it cost nothing when there are none.
    /// - Parameters:
    ///   - reads: The ranges the run reads whole, in epoch seconds (the days, widened by the grace).
    ///   - pendingFrom: The earliest instant pending selection reads.
    public func checkTimes(of merchant: MerchantRef, reads: [Range<Int64>], pendingFrom: Int64) throws {
        try wrap {
            let orders = try database.prepare(
                """
                SELECT out_trade_no, coalesce(paid_at, created_at), paid_at IS NULL FROM orders
                WHERE provider = ?1 AND merchant_id = ?2 AND unixepoch(coalesce(paid_at, created_at)) IS NULL LIMIT 1
                """)
            try orders.bind([.text(merchant.provider.rawValue), .text(merchant.merchantID)])
            if try orders.step() { throw badTime(orders, table: "orders") }
            let refunds = try database.prepare(
                "SELECT out_refund_no, created_at, 0 FROM refunds WHERE unixepoch(created_at) IS NULL LIMIT 1")
            if try refunds.step() { throw badTime(refunds, table: "refunds") }
            guard naiveTimeZone == nil else { return }

            let placed = "unixepoch(coalesce(paid_at, created_at))"
            let uncertain = StoreSchema.uncertain(status: "status", lastErrorCode: optional("last_error_code", in: orderColumns))
            let naiveOrders = try database.prepare(
                """
                SELECT out_trade_no, coalesce(paid_at, created_at), paid_at IS NULL FROM orders
                WHERE provider = ?1 AND merchant_id = ?2 AND \(placed) >= ?3 AND \(placed) < ?4
                  AND \(Self.isNaive("coalesce(paid_at, created_at)")) AND (?5 OR \(uncertain))
                LIMIT 1
                """)
            let refundCode = optional("r.last_error_code", in: refundColumns)
            let naiveRefunds = try database.prepare(
                """
                SELECT r.out_refund_no, r.created_at, 0 FROM refunds r JOIN orders o ON o.out_trade_no = r.out_trade_no
                WHERE o.provider = ?1 AND o.merchant_id = ?2 AND unixepoch(r.created_at) >= ?3 AND unixepoch(r.created_at) < ?4
                  AND \(Self.isNaive("r.created_at")) AND (?5 OR \(StoreSchema.uncertain(status: "r.status", lastErrorCode: refundCode)))
                LIMIT 1
                """)
            let band = Self.maxOffsetSeconds
            var checks: [(range: Range<Int64>, all: Bool)] = Self.merged(reads).map {
                (($0.lowerBound - band)..<($0.upperBound + band), true)
            }
            if let first = checks.first?.range.lowerBound, pendingFrom - band < first {
                checks.append(((pendingFrom - band)..<first, false))
            }
            for check in checks {
                for (statement, table) in [(naiveOrders, "orders"), (naiveRefunds, "refunds")] {
                    defer { statement.reset() }
                    try statement.bind([
                        .text(merchant.provider.rawValue), .text(merchant.merchantID), .integer(check.range.lowerBound),
                        .integer(check.range.upperBound), .integer(check.all ? 1 : 0),
                    ])
                    if try statement.step() { throw badTime(statement, table: table) }
                }
            }
        }
    }

    /// The error for a row whose time cannot be placed: key, time and `paid_at IS NULL` in columns 0 to 2.
    private func badTime(_ row: SQLiteStatement, table: String) -> StoreError {
        .badValue(
            path: path, table: table, key: row.text(0) ?? "",
            column: table == "refunds" ? "created_at" : row.int64(2) == 1 ? "created_at" : "paid_at",
            value: row.text(1) ?? "NULL", expected: Self.timeExpectation)
    }

    /// `ranges` sorted, with the ones that overlap or touch joined.
    static func merged(_ ranges: [Range<Int64>]) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// The widest distance of a time zone from UTC, in seconds: how far SQLite's reading of a
    /// time without an offset (as UTC) can be from the time meant.
    static let maxOffsetSeconds: Int64 = 14 * 3_600

    /// SQL that is true when the text `column` has no offset: it ends neither in `Z` nor in `±HH:MM`.
    static func isNaive(_ column: String) -> String {
        "NOT (\(column) GLOB '*[Zz]' OR \(column) GLOB '*[+-][0-9][0-9]:[0-9][0-9]')"
    }

    /// Where to look, in SQLite's reading of the times, for the rows whose true time lies in
    /// `range` (``NaiveTimeSearch/searchRange(_:zone:)``).
    func searchRange(_ range: Range<Int64>) -> Range<Int64> { NaiveTimeSearch.searchRange(range, zone: naiveTimeZone) }

    /// Whether a row found by ``searchRange(_:)`` lies in `range` (``NaiveTimeSearch/keeps(_:in:zone:)``).
    func keeps(_ bytes: UnsafeBufferPointer<UInt8>?, in range: Range<Int64>) -> Bool {
        NaiveTimeSearch.keeps(bytes, in: range, zone: naiveTimeZone)
    }
}
