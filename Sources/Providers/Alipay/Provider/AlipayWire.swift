import Foundation
import ReconCore

/// The JSON of Alipay's gateway as order-recon and the simulator write and read it.
public enum AlipayWire {
    /// What every answer's `…_response` holds besides its method's fields.
    public struct Status: Codable, Sendable {
        public var code: String
        public var msg: String?
        public var subCode: String?
        public var subMsg: String?

        public init(code: String, msg: String? = nil, subCode: String? = nil, subMsg: String? = nil) {
            (self.code, self.msg, self.subCode, self.subMsg) = (code, msg, subCode, subMsg)
        }

        enum CodingKeys: String, CodingKey { case code, msg, subCode = "sub_code", subMsg = "sub_msg" }
    }

    /// `alipay.trade.query`'s `biz_content`.
    public struct TradeQuery: Codable, Sendable {
        public var outTradeNo: String
        public init(outTradeNo: String) { self.outTradeNo = outTradeNo }
        enum CodingKeys: String, CodingKey { case outTradeNo = "out_trade_no" }
    }

    /// `alipay.trade.fastpay.refund.query`'s `biz_content`.
    public struct RefundQuery: Codable, Sendable {
        public var outTradeNo: String
        public var outRequestNo: String
        public init(outTradeNo: String, outRequestNo: String) {
            self.outTradeNo = outTradeNo
            self.outRequestNo = outRequestNo
        }
        enum CodingKeys: String, CodingKey { case outTradeNo = "out_trade_no", outRequestNo = "out_request_no" }
    }

    /// `alipay.data.dataservice.bill.downloadurl.query`'s `biz_content`.
    public struct BillQuery: Codable, Sendable {
        public var billType: String
        public var billDate: String
        public init(billType: String = "trade", billDate: String) {
            self.billType = billType
            self.billDate = billDate
        }
        enum CodingKeys: String, CodingKey { case billType = "bill_type", billDate = "bill_date" }
    }

    /// A trade query's answer.
    public struct Trade: Codable, Sendable {
        public var code: String
        public var msg: String?
        public var subCode: String?
        public var subMsg: String?
        public var outTradeNo: String?
        public var tradeNo: String?
        public var tradeStatus: String?
        public var totalAmount: String?
        public var sendPayDate: String?

        public init(
            code: String, msg: String? = nil, subCode: String? = nil, subMsg: String? = nil, outTradeNo: String? = nil,
            tradeNo: String? = nil, tradeStatus: String? = nil, totalAmount: String? = nil, sendPayDate: String? = nil
        ) {
            (self.code, self.msg, self.subCode, self.subMsg) = (code, msg, subCode, subMsg)
            (self.outTradeNo, self.tradeNo, self.tradeStatus, self.totalAmount, self.sendPayDate) =
                (outTradeNo, tradeNo, tradeStatus, totalAmount, sendPayDate)
        }

        enum CodingKeys: String, CodingKey {
            case code, msg, subCode = "sub_code", subMsg = "sub_msg", outTradeNo = "out_trade_no", tradeNo = "trade_no",
                tradeStatus = "trade_status", totalAmount = "total_amount", sendPayDate = "send_pay_date"
        }
    }

    /// A refund query's answer; a refund Alipay does not know answers `10000` without `refund_status`.
    public struct Refund: Codable, Sendable {
        public var code: String
        public var msg: String?
        public var subCode: String?
        public var subMsg: String?
        public var outRequestNo: String?
        public var refundStatus: String?
        public var refundAmount: String?
        public var tradeNo: String?
        public var gmtRefundPay: String?

        public init(
            code: String, msg: String? = nil, subCode: String? = nil, subMsg: String? = nil, outRequestNo: String? = nil,
            refundStatus: String? = nil, refundAmount: String? = nil, tradeNo: String? = nil, gmtRefundPay: String? = nil
        ) {
            (self.code, self.msg, self.subCode, self.subMsg) = (code, msg, subCode, subMsg)
            (self.outRequestNo, self.refundStatus, self.refundAmount, self.tradeNo, self.gmtRefundPay) =
                (outRequestNo, refundStatus, refundAmount, tradeNo, gmtRefundPay)
        }

        enum CodingKeys: String, CodingKey {
            case code, msg, subCode = "sub_code", subMsg = "sub_msg", outRequestNo = "out_request_no",
                refundStatus = "refund_status", refundAmount = "refund_amount", tradeNo = "trade_no", gmtRefundPay = "gmt_refund_pay"
        }
    }

    /// A bill query's answer.
    public struct BillLink: Codable, Sendable {
        public var code: String
        public var msg: String?
        public var subCode: String?
        public var subMsg: String?
        public var billDownloadUrl: String?

        public init(code: String, msg: String? = nil, subCode: String? = nil, subMsg: String? = nil, billDownloadUrl: String? = nil) {
            (self.code, self.msg, self.subCode, self.subMsg, self.billDownloadUrl) = (code, msg, subCode, subMsg, billDownloadUrl)
        }

        enum CodingKeys: String, CodingKey {
            case code, msg, subCode = "sub_code", subMsg = "sub_msg", billDownloadUrl = "bill_download_url"
        }
    }

    /// The member name of a method's answer: `alipay.trade.query` → `alipay_trade_query_response`.
    public static func responseKey(of method: String) -> String {
        method.replacingOccurrences(of: ".", with: "_") + "_response"
    }

    /// The gateway's timestamp format, Beijing time: `2026-11-20 10:00:00`.
    public static func timestamp(epochSeconds: Int64) -> String {
        Timestamp(epochSeconds: epochSeconds, utcOffsetSeconds: 8 * 3600).wallClock.description
    }
}
