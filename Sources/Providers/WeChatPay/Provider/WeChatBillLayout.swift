import ReconBills
import ReconCore

/// The columns of a WeChat Pay trade bill, found by name in its header.
///
/// The bill type (ALL, SUCCESS, REFUND) and the column generation (current, or the legacy set of
/// merchants that never enabled 免充值券) are told apart by which names the header has; no
/// column is ever taken by position.
struct WeChatBillLayout: Sendable {
    enum BillType: String, Sendable {
        case all = "ALL"
        case success = "SUCCESS"
        case refund = "REFUND"
    }

    let type: BillType
    let generation: String
    let names: [String]

    let time: Int
    let merchant: Int
    let subMerchant: Int?
    let transactionID: Int
    let outTradeNo: Int
    let status: Int
    let currency: Int
    /// The order amount of a payment row (订单金额, or 总金额 in legacy bills).
    let paymentAmount: Int
    let outRefundNo: Int?
    /// The requested amount of a refund row (申请退款金额, or 退款金额 in legacy bills).
    let refundAmount: Int?
    let refundStatus: Int?
    let fee: Int?
    /// Every amount column, summed to check the summary.
    let amountColumns: [Int]

    var columnCount: Int { names.count }

    var format: BillFormat {
        BillFormat(
            provider: .wechatPay, type: type.rawValue, generation: generation,
            kinds: type == .all ? [.payment, .refund] : type == .success ? [.payment] : [.refund])
    }

    /// `true` when a header looks like a WeChat Pay trade bill's.
    static func matches(_ header: [String]) -> Bool {
        header.contains("交易时间") && header.contains("商户订单号") && header.contains("交易状态")
    }

    /// Amount columns a summary total may refer to.
    static let amountNames: Set<String> = [
        "应结订单金额", "代金券金额", "退款金额", "充值券退款金额", "手续费", "订单金额", "申请退款金额",
        "总金额", "企业红包金额", "企业红包退款金额", "代金券或立减优惠金额", "代金券或立减优惠退款金额",
    ]

    /// The detail column each known summary column adds up; `nil` marks the row count.
    static let summaryMeaning: [String: String?] = [
        "总交易单数": nil,
        "应结订单总金额": "应结订单金额",
        "退款总金额": "退款金额",
        "充值券退款总金额": "充值券退款金额",
        "手续费总金额": "手续费",
        "订单总金额": "订单金额",
        "申请退款总金额": "申请退款金额",
        "总交易额": "总金额",
        "总退款金额": "退款金额",
        "总企业红包退款金额": "企业红包退款金额",
        "总代金券或立减优惠退款金额": "代金券或立减优惠退款金额",
        "代金券总金额": "代金券金额",
    ]

    /// Finds the columns, or explains which ones are missing.
    init(header: [String], file: String) throws {
        names = header
        func index(_ candidates: String...) -> Int? {
            for name in candidates { if let found = header.firstIndex(of: name) { return found } }
            return nil
        }
        type = header.contains("退款申请时间") ? .refund : header.contains("微信退款单号") ? .all : .success
        if header.contains("应结订单金额") {
            generation = "current"
        } else if header.contains("总金额") {
            generation = "legacy"
        } else {
            throw BillError.unknownFormat(
                file: file, firstLine: header.joined(separator: ","),
                hint: "It looks like a WeChat Pay bill but has neither 应结订单金额 (current columns) nor 总金额 (legacy).")
        }
        var missing: [String] = []
        func require(_ candidates: String...) -> Int {
            for name in candidates { if let found = header.firstIndex(of: name) { return found } }
            missing.append(candidates.joined(separator: " or "))
            return -1
        }
        time = require("交易时间")
        merchant = require("商户号")
        subMerchant = index("特约商户号", "子商户号")
        transactionID = require("微信订单号")
        outTradeNo = require("商户订单号")
        status = require("交易状态")
        currency = require("货币种类")
        paymentAmount = generation == "current" ? require("订单金额", "应结订单金额") : require("总金额")
        if type == .success {
            outRefundNo = nil
            refundAmount = nil
            refundStatus = nil
        } else {
            outRefundNo = require("商户退款单号")
            refundAmount = generation == "current" ? require("申请退款金额", "退款金额") : require("退款金额")
            refundStatus = require("退款状态")
        }
        fee = index("手续费")
        amountColumns = header.indices.filter { Self.amountNames.contains(header[$0]) }
        guard missing.isEmpty else {
            throw BillError.unknownFormat(
                file: file, firstLine: header.joined(separator: ","),
                hint: "It looks like a WeChat Pay \(type.rawValue) bill but lacks \(missing.joined(separator: ", ")).")
        }
    }
}
