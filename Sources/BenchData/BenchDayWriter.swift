import Foundation
import ReconCore
import ReconStore
import WeChatPayProvider

extension BenchDay {
    /// The name of merchant `m`'s bill: `wechatpay_<id>_2026-11-20_ALL.csv`.
    public static func billName(merchant m: Int) -> String { "wechatpay_\(merchantID(m))_\(day)_ALL.csv" }

    /// Writes the day: its orders and refunds into a new SQLite store at `store`, and each
    /// merchant's bill into the folder `bills`, each row changed where a discrepancy is planted.
    public func write(store path: String, bills folder: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try OrderStore.create(path: path)
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try database.transaction(immediate: true) {
            for m in 0..<merchants { try write(merchant: m, into: database, bill: folder + "/" + Self.billName(merchant: m)) }
        }
    }

    private func write(merchant m: Int, into database: SQLiteDatabase, bill: String) throws {
        let insertOrder = try database.prepare(
            """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, provider_txn_id,
                created_at, paid_at, updated_at) VALUES (?1, 'wechatpay', ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)
            """)
        let insertRefund = try database.prepare(
            """
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at, succeeded_at)
            VALUES (?1, ?2, ?3, 'SUCCESS', ?4, ?4)
            """)
        guard FileManager.default.createFile(atPath: bill, contents: nil), let output = FileHandle(forWritingAtPath: bill)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: bill]) }
        defer { try? output.close() }
        let merchantID = Self.merchantID(m)
        var writer = WeChatBillWriter(type: .all, merchantID: merchantID)
        var buffer = writer.header
        let zone = ZoneRules.shanghai
        /// Half the store's times in Beijing time, half in UTC.
        func stamp(_ wall: LocalDateTime, _ index: Int) -> String {
            let instant = zone.timestamp(for: wall)
            return index % 2 == 0 ? instant.rfc3339 : Timestamp(epochSeconds: instant.epochSeconds).rfc3339
        }
        for index in 0..<orders {
            let plant = Self.plant(index)
            let wall = time(index)
            let number = Self.orderNumber(index, merchant: m)
            let transaction = Self.transactionID(index, merchant: m)
            let amount = Self.amount(index)
            let refunds = Self.refunds(index)
            if plant != .missingLocally {
                let status = plant == .statusMismatch ? "CLOSED" : refunds > 0 ? "PARTIALLY_REFUNDED" : "PAID"
                let last = refunds > 0 ? LocalDateTime(wallSeconds: wall.wallSeconds + Int64(600 * refunds)) : wall
                try insertOrder.run([
                    .text(number), .text(merchantID), .integer(amount), .text(plant == .currencyMismatch ? "USD" : "CNY"),
                    .text(status), .text(transaction), .text(stamp(wall, index)), .text(stamp(last, index)),
                ])
            }
            if plant != .missingInBill {
                let billAmount = plant == .amountMismatch ? amount + 1 : amount
                let row = WeChatBillRow(
                    kind: .payment, time: wall, outTradeNo: number, transactionID: transaction,
                    amount: FixedDecimal(units: billAmount, scale: 2), fee: FixedDecimal(units: billAmount * 6, scale: 5),
                    goods: "高山乌龙茶, 规格 \(index % 7)", attach: "store=\(index % 97)")
                buffer += writer.line(for: row)
                if plant == .duplicateInBill { buffer += writer.line(for: row) }
            }
            for refund in 0..<refunds {
                let refundNo = number + "-R\(refund + 1)"
                let time = LocalDateTime(wallSeconds: wall.wallSeconds + Int64(600 * (refund + 1)))
                let refundAmount = Self.refundAmount(index)
                let first = refund == 0
                if !(first && plant == .refundMissingLocally) {
                    try insertRefund.run([.text(refundNo), .text(number), .integer(refundAmount), .text(stamp(time, index))])
                }
                if !(first && plant == .refundMissingInBill) {
                    let billAmount = first && plant == .refundAmountMismatch ? refundAmount + 1 : refundAmount
                    buffer += writer.line(
                        for: WeChatBillRow(
                            kind: .refund, time: time, outTradeNo: number, transactionID: transaction,
                            amount: FixedDecimal(units: billAmount, scale: 2), fee: FixedDecimal(units: -billAmount * 6, scale: 5),
                            outRefundNo: refundNo, refundID: "5030050809" + Self.padded(Self.serial(index, merchant: m) * 2 + refund, 19),
                            goods: "高山乌龙茶, 规格 \(index % 7)"))
                }
            }
            if buffer.utf8.count > 1 << 20 {
                output.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        buffer += writer.summary()
        output.write(Data(buffer.utf8))
    }
}
