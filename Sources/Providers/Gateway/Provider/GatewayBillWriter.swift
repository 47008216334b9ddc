import Foundation
import ReconCore

/// One transaction to put in a gateway daily bill.
public struct GatewayBillRow: Sendable {
    /// Payment or refund.
    public var kind: BillEntry.Kind
    /// `transaction_status`: `SUCCESS`, `PROCESSING`, `FAILED`, `CLOSED` or `REVOKED`.
    public var status: String
    /// The completion time (payments) or acceptance time (refunds), on the gateway's clock.
    public var time: LocalDateTime
    /// `out_trade_no`.
    public var outTradeNo: String
    /// `transaction_id`.
    public var transactionID: String
    /// `out_refund_no` of a refund.
    public var outRefundNo: String?
    /// `currency`.
    public var currency: String
    /// `amount`, in major units.
    public var amount: FixedDecimal
    /// `fee`, in major units.
    public var fee: FixedDecimal
    /// `description`: free text, quoted when needed.
    public var description: String

    /// Creates a row.
    public init(
        kind: BillEntry.Kind, status: String = "SUCCESS", time: LocalDateTime, outTradeNo: String,
        transactionID: String, outRefundNo: String? = nil, currency: String = "CNY", amount: FixedDecimal,
        fee: FixedDecimal = .zero, description: String = ""
    ) {
        self.kind = kind
        self.status = status
        self.time = time
        self.outTradeNo = outTradeNo
        self.transactionID = transactionID
        self.outRefundNo = outRefundNo
        self.currency = currency
        self.amount = amount
        self.fee = fee
        self.description = description
    }
}

/// Writes gateway daily bills as docs/gateway-bill.md defines them.
public enum GatewayBillWriter {
    /// The detail header.
    public static let columns = [
        "merchant_no", "transaction_time", "transaction_type", "transaction_status", "out_trade_no", "transaction_id",
        "out_refund_no", "currency", "amount", "fee", "description",
    ]

    /// A whole bill for `merchantID` on `day`, with one total row per currency.
    public static func bill(merchantID: String, day: CivilDate, rows: [GatewayBillRow], lineEnd: String = "\r\n")
        -> String
    {
        var lines = [columns.joined(separator: ",")]
        struct Tally {
            var records = 0, payments = 0, refunds = 0
            var paid = FixedDecimal.zero, refunded = FixedDecimal.zero, fees = FixedDecimal(units: 0, scale: 2)
        }
        var tallies: [String: Tally] = [:]
        for row in rows {
            lines.append(
                [
                    merchantID, row.time.description, row.kind == .payment ? "PAYMENT" : "REFUND", row.status,
                    row.outTradeNo, row.transactionID, row.outRefundNo ?? "", row.currency, row.amount.description,
                    row.fee.description, row.description,
                ].map(quoted).joined(separator: ","))
            var tally = tallies[row.currency, default: Tally()]
            tally.records += 1
            tally.fees = tally.fees.adding(row.fee) ?? tally.fees
            if row.kind == .payment, row.status == "SUCCESS" {
                tally.payments += 1
                tally.paid = tally.paid.adding(row.amount) ?? tally.paid
            } else if row.kind == .refund, row.status == "SUCCESS" || row.status == "PROCESSING" {
                tally.refunds += 1
                tally.refunded = tally.refunded.adding(row.amount) ?? tally.refunded
            }
            tallies[row.currency] = tally
        }
        lines.append(
            "summary,merchant_no,bill_date,currency,record_count,payment_count,payment_amount,refund_count,refund_amount,fee_amount")
        if tallies.isEmpty {
            lines.append("total,\(merchantID),\(day),,0,0,0.00,0,0.00,0.00")
        }
        for currency in tallies.keys.sorted() {
            let tally = tallies[currency]!
            let paid = tally.paid.rescaled(to: max(2, tally.paid.scale)) ?? tally.paid
            let refunded = tally.refunded.rescaled(to: max(2, tally.refunded.scale)) ?? tally.refunded
            lines.append(
                "total,\(merchantID),\(day),\(currency),\(tally.records),\(tally.payments),\(paid),\(tally.refunds),"
                    + "\(refunded),\(tally.fees)")
        }
        return lines.joined(separator: lineEnd) + lineEnd
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
