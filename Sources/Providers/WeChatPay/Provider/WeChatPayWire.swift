import Foundation
import ReconCore

/// WeChat Pay APIv3's JSON bodies (provider-formats §1–3 and §5), as the client reads them and the
/// simulator writes them. Fields the job does not read are left out; an answer may carry more.
public enum WeChatPayWire {
    /// An amount object: an order's `total`, a sub-order's `total_amount`, a refund's `refund`.
    public struct Amount: Codable, Sendable, Equatable {
        public var total: Int64?
        public var payerTotal: Int64?
        public var totalAmount: Int64?
        public var payerAmount: Int64?
        public var refund: Int64?
        public var currency: String?
        public var payerCurrency: String?

        enum CodingKeys: String, CodingKey {
            case total, payerTotal = "payer_total", totalAmount = "total_amount", payerAmount = "payer_amount", refund,
                currency, payerCurrency = "payer_currency"
        }

        public init(
            total: Int64? = nil, payerTotal: Int64? = nil, totalAmount: Int64? = nil, payerAmount: Int64? = nil,
            refund: Int64? = nil, currency: String? = nil, payerCurrency: String? = nil
        ) {
            self.total = total
            self.payerTotal = payerTotal
            self.totalAmount = totalAmount
            self.payerAmount = payerAmount
            self.refund = refund
            self.currency = currency
            self.payerCurrency = payerCurrency
        }
    }

    /// `GET /v3/pay/transactions/out-trade-no/{no}`.
    public struct Transaction: Codable, Sendable {
        public var appid: String?
        public var mchid: String?
        /// The sub-merchant, in a service provider's (partner) answer or combine sub-order.
        public var subMchid: String?
        public var outTradeNo: String?
        public var tradeState: String?
        public var tradeStateDesc: String?
        public var tradeType: String?
        public var transactionId: String?
        public var successTime: String?
        public var amount: Amount?

        enum CodingKeys: String, CodingKey {
            case appid, mchid, subMchid = "sub_mchid", outTradeNo = "out_trade_no", tradeState = "trade_state", tradeStateDesc = "trade_state_desc",
                tradeType = "trade_type", transactionId = "transaction_id", successTime = "success_time", amount
        }

        public init(
            appid: String? = nil, mchid: String? = nil, subMchid: String? = nil, outTradeNo: String? = nil, tradeState: String? = nil,
            tradeStateDesc: String? = nil, tradeType: String? = nil, transactionId: String? = nil, successTime: String? = nil,
            amount: Amount? = nil
        ) {
            self.appid = appid
            self.mchid = mchid
            self.subMchid = subMchid
            self.outTradeNo = outTradeNo
            self.tradeState = tradeState
            self.tradeStateDesc = tradeStateDesc
            self.tradeType = tradeType
            self.transactionId = transactionId
            self.successTime = successTime
            self.amount = amount
        }
    }

    /// `GET /v3/combine-transactions/out-trade-no/{no}`: the sub-orders are transactions.
    public struct Combine: Codable, Sendable {
        public var combineAppid: String?
        public var combineMchid: String?
        public var combineOutTradeNo: String?
        public var subOrders: [Transaction]?

        enum CodingKeys: String, CodingKey {
            case combineAppid = "combine_appid", combineMchid = "combine_mchid", combineOutTradeNo = "combine_out_trade_no",
                subOrders = "sub_orders"
        }

        public init(combineAppid: String?, combineMchid: String?, combineOutTradeNo: String?, subOrders: [Transaction]) {
            self.combineAppid = combineAppid
            self.combineMchid = combineMchid
            self.combineOutTradeNo = combineOutTradeNo
            self.subOrders = subOrders
        }
    }

    /// `GET /v3/refund/domestic/refunds/{no}`.
    public struct Refund: Codable, Sendable {
        public var outRefundNo: String?
        public var outTradeNo: String?
        public var refundId: String?
        public var status: String?
        public var successTime: String?
        public var amount: Amount?

        enum CodingKeys: String, CodingKey {
            case outRefundNo = "out_refund_no", outTradeNo = "out_trade_no", refundId = "refund_id", status,
                successTime = "success_time", amount
        }

        public init(
            outRefundNo: String?, outTradeNo: String?, refundId: String?, status: String?, successTime: String?, amount: Amount?
        ) {
            self.outRefundNo = outRefundNo
            self.outTradeNo = outTradeNo
            self.refundId = refundId
            self.status = status
            self.successTime = successTime
            self.amount = amount
        }
    }

    /// `GET /v3/bill/tradebill`: where to download the bill, and its hash.
    public struct BillLink: Codable, Sendable {
        public var hashType: String?
        public var hashValue: String?
        public var downloadUrl: String?

        enum CodingKeys: String, CodingKey {
            case hashType = "hash_type", hashValue = "hash_value", downloadUrl = "download_url"
        }

        public init(hashType: String?, hashValue: String?, downloadUrl: String?) {
            self.hashType = hashType
            self.hashValue = hashValue
            self.downloadUrl = downloadUrl
        }
    }

    /// Every refusal: a code and a message.
    public struct Failure: Codable, Sendable {
        public var code: String?
        public var message: String?

        public init(code: String?, message: String?) {
            self.code = code
            self.message = message
        }
    }

    /// `GET /v3/certificates`: the platform certificates, each sealed with the merchant's APIv3 key.
    public struct Certificates: Codable, Sendable {
        public struct Sealed: Codable, Sendable {
            public var algorithm: String
            public var nonce: String
            public var associatedData: String?
            public var ciphertext: String

            public init(algorithm: String, nonce: String, associatedData: String?, ciphertext: String) {
                (self.algorithm, self.nonce, self.associatedData, self.ciphertext) = (algorithm, nonce, associatedData, ciphertext)
            }

            enum CodingKeys: String, CodingKey { case algorithm, nonce, associatedData = "associated_data", ciphertext }
        }

        public struct Entry: Codable, Sendable {
            public var serialNo: String
            public var effectiveTime: String?
            public var expireTime: String?
            public var encryptCertificate: Sealed

            public init(serialNo: String, effectiveTime: String?, expireTime: String?, encryptCertificate: Sealed) {
                (self.serialNo, self.effectiveTime, self.expireTime, self.encryptCertificate) = (serialNo, effectiveTime, expireTime, encryptCertificate)
            }

            enum CodingKeys: String, CodingKey {
                case serialNo = "serial_no", effectiveTime = "effective_time", expireTime = "expire_time", encryptCertificate = "encrypt_certificate"
            }
        }

        public var data: [Entry]

        public init(data: [Entry]) { self.data = data }
    }
}
