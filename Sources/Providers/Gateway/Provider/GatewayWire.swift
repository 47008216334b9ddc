import Foundation
import ReconCore

/// The gateway's JSON bodies (docs/gateway-api.md), as the client writes requests and reads
/// answers and the simulator does the reverse.
public enum GatewayWire {
    /// `POST /api/v1/order/query`.
    public struct OrderQuery: Codable, Sendable {
        public var merchantNo: String
        public var outTradeNo: String

        public init(merchantNo: String, outTradeNo: String) {
            self.merchantNo = merchantNo
            self.outTradeNo = outTradeNo
        }
    }

    /// `POST /api/v1/refund/query`.
    public struct RefundQuery: Codable, Sendable {
        public var merchantNo: String
        public var outRefundNo: String
        public var outTradeNo: String?

        public init(merchantNo: String, outRefundNo: String, outTradeNo: String?) {
            self.merchantNo = merchantNo
            self.outRefundNo = outRefundNo
            self.outTradeNo = outTradeNo
        }
    }

    /// Every answer: `code` (`0` when the call worked; a number is read as its digits), `msg`,
    /// and a query's `data`.
    public struct Answer: Codable, Sendable {
        public var code: String?
        public var msg: String?
        public var data: Transaction?

        enum CodingKeys: String, CodingKey { case code, msg, data }

        public init(code: String, msg: String, data: Transaction? = nil) {
            self.code = code
            self.msg = msg
            self.data = data
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let number = try? container.decodeIfPresent(Int64.self, forKey: .code) {
                code = String(number)
            } else {
                code = try container.decodeIfPresent(String.self, forKey: .code)
            }
            msg = try container.decodeIfPresent(String.self, forKey: .msg)
            data = try container.decodeIfPresent(Transaction.self, forKey: .data)
        }
    }

    /// A payment's or a refund's state, amount (a decimal in major units, as text) and times.
    public struct Transaction: Codable, Sendable {
        public var outTradeNo: String?
        public var outRefundNo: String?
        public var transactionStatus: String?
        public var currency: String?
        public var amount: String?
        public var transactionId: String?
        public var successTime: String?

        public init(
            outTradeNo: String?, outRefundNo: String? = nil, transactionStatus: String, currency: String, amount: String,
            transactionId: String?, successTime: String?
        ) {
            self.outTradeNo = outTradeNo
            self.outRefundNo = outRefundNo
            self.transactionStatus = transactionStatus
            self.currency = currency
            self.amount = amount
            self.transactionId = transactionId
            self.successTime = successTime
        }
    }
}
