import GatewayProvider
import ReconCore
import WeChatPayProvider

/// Short builders for orders, refunds and bill rows, so tests read like the scenario they pin down.
///
/// Times are Beijing wall-clock times (`"2026-11-20 10:00:00"`) unless they carry an offset.
public enum Sample {
    /// The demo WeChat Pay merchant.
    public static let wechat = MerchantRef(provider: .wechatPay, merchantID: "1900000109")
    /// A second WeChat Pay merchant, for combine payments across merchants.
    public static let wechat2 = MerchantRef(provider: .wechatPay, merchantID: "1900000110")
    /// The demo gateway merchant.
    public static let gateway = MerchantRef(provider: .gateway, merchantID: "800100200")
    /// The bill day most tests use.
    public static let day = CivilDate("2026-11-20")!
    /// The default bill file name in locations.
    public static let billFile = "bill.csv"

    /// A timestamp from a Beijing wall time, or from RFC 3339 text with an offset.
    public static func time(_ text: String) -> Timestamp {
        if let stamp = Timestamp(rfc3339: text) { return stamp }
        guard let wall = LocalDateTime(text) else { fatalError("bad sample time \(text)") }
        return ZoneRules.shanghai.timestamp(for: wall)
    }

    /// An amount from a decimal string.
    public static func money(_ text: String, _ currency: Currency = .cny) -> Money {
        guard let money = Money(parsing: text, currency: currency) else { fatalError("bad sample amount \(text)") }
        return money
    }

    /// A local order; paid orders get `paidAt = at`, others `createdAt = at`.
    public static func order(
        _ outTradeNo: String, _ amount: String = "10.00", _ status: OrderStatus = .paid,
        at: String = "2026-11-20 10:00:00", merchant: MerchantRef = wechat, currency: Currency = .cny,
        combine: String? = nil, lastErrorCode: String? = nil
    ) -> Order {
        let stamp = time(at)
        return Order(
            outTradeNo: outTradeNo, combineOutTradeNo: combine, merchant: merchant,
            amount: money(amount, currency), status: status, lastErrorCode: lastErrorCode,
            createdAt: status.isPaid ? Timestamp(epochSeconds: stamp.epochSeconds - 60, utcOffsetSeconds: stamp.utcOffsetSeconds) : stamp,
            paidAt: status.isPaid ? stamp : nil)
    }

    /// A local refund.
    public static func refund(
        _ outRefundNo: String, of outTradeNo: String, _ amount: String = "5.00", _ status: RefundStatus = .success,
        at: String = "2026-11-20 12:00:00", merchant: MerchantRef = wechat, currency: Currency = .cny
    ) -> Refund {
        Refund(
            outRefundNo: outRefundNo, outTradeNo: outTradeNo, merchant: merchant, amount: money(amount, currency),
            status: status, createdAt: time(at), succeededAt: status == .success ? time(at) : nil)
    }

    /// A payment row of a bill.
    public static func payment(
        _ outTradeNo: String, _ amount: String = "10.00", at: String = "2026-11-20 10:00:00",
        status: BillEntry.Status = .success, merchant: MerchantRef = wechat, currency: Currency = .cny,
        line: Int = 2, file: String = billFile
    ) -> BillEntry {
        BillEntry(
            kind: .payment, status: status, merchant: merchant, outTradeNo: outTradeNo,
            transactionID: "4200000000" + outTradeNo, amount: money(amount, currency), time: time(at),
            location: SourceLocation(file: file, line: line))
    }

    /// A refund row of a bill.
    public static func refundRow(
        _ outRefundNo: String, of outTradeNo: String, _ amount: String = "5.00", at: String = "2026-11-20 12:00:00",
        status: BillEntry.Status = .success, merchant: MerchantRef = wechat, currency: Currency = .cny,
        line: Int = 3, file: String = billFile
    ) -> BillEntry {
        BillEntry(
            kind: .refund, status: status, merchant: merchant, outTradeNo: outTradeNo, outRefundNo: outRefundNo,
            transactionID: "4200000000" + outTradeNo, amount: money(amount, currency), time: time(at),
            location: SourceLocation(file: file, line: line))
    }

    /// Two open items as rows of the single table `recon_open_items` that SQLite's migrations 5
    /// and 6 and PostgreSQL's version 1 made, for `INSERT INTO recon_open_items VALUES`: an open
    /// one with NULLs, and an acknowledged, resolved one with every column set.
    public static let singleTableOpenItems = """
        ('00000000000000a1', 'wechatpay', '1900000109', '2026-11-19', 'missing_in_bill', 'D19-002', NULL, NULL, 'CNY',
         1500, 'not in the bill', 'open', '2026-11-19', 'run-1', '2026-11-20T02:00:00+08:00', 'run-3',
         '2026-11-22T02:00:00+08:00', NULL, NULL, NULL, NULL, NULL, NULL, '2026-11-20'),
        ('00000000000000b2', 'wechatpay', '1900000109', '2026-11-19', 'amount_mismatch', 'D19-003', 'R1', 'C1', 'CNY',
         -20, 'differs', 'acknowledged', '2026-11-19', 'run-1', '2026-11-20T02:00:00+08:00', 'run-2',
         '2026-11-21T02:00:00Z', '2026-11-21', '2026-11-21T02:00:00Z', 'corrected', 'ops', '2026-11-20T09:00:00+08:00',
         'refunded by hand', NULL)
        """
}
