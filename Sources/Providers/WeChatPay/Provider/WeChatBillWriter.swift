import ReconCore

/// One transaction to put in a WeChat Pay trade bill.
public struct WeChatBillRow: Sendable {
    /// Payment or refund.
    public var kind: BillEntry.Kind
    /// The payment time, or the time the refund was initiated, on the bill's (Beijing) clock.
    public var time: LocalDateTime
    /// `商户订单号`.
    public var outTradeNo: String
    /// `微信订单号`.
    public var transactionID: String
    /// The order amount of a payment, or the requested amount of a refund, in major units.
    public var amount: FixedDecimal
    /// `货币种类`.
    public var currency: String
    /// `手续费`: positive on payments, negative (a returned fee) on refunds.
    public var fee: FixedDecimal
    /// `商户退款单号` of a refund.
    public var outRefundNo: String?
    /// `微信退款单号` of a refund.
    public var refundID: String?
    /// `退款状态` of a refund: `SUCCESS`, `PROCESSING`, `FAIL` or `CHANGE`.
    public var refundStatus: String
    /// `交易状态` override (`REVOKED`); `SUCCESS` or `REFUND` by kind otherwise.
    public var tradeStatus: String?
    /// `商品名称`: free text, may contain commas.
    public var goods: String
    /// `商户数据包`: free text.
    public var attach: String
    /// `特约商户号`: the sub-merchant, in a service provider's bill; `0` otherwise.
    public var subMerchantID: String?

    /// Creates a row.
    public init(
        kind: BillEntry.Kind, time: LocalDateTime, outTradeNo: String, transactionID: String, amount: FixedDecimal,
        currency: String = "CNY", fee: FixedDecimal = .zero, outRefundNo: String? = nil, refundID: String? = nil,
        refundStatus: String = "SUCCESS", tradeStatus: String? = nil, goods: String = "", attach: String = "",
        subMerchantID: String? = nil
    ) {
        self.subMerchantID = subMerchantID
        self.kind = kind
        self.time = time
        self.outTradeNo = outTradeNo
        self.transactionID = transactionID
        self.amount = amount
        self.currency = currency
        self.fee = fee
        self.outRefundNo = outRefundNo
        self.refundID = refundID
        self.refundStatus = refundStatus
        self.tradeStatus = tradeStatus
        self.goods = goods
        self.attach = attach
    }
}

/// Writes WeChat Pay trade bills byte for byte as the API serves them: UTF-8 with a BOM, CRLF
/// line ends, every data field prefixed with a backtick, and a summary block whose totals are the
/// sums of the rows.
///
/// Rows are written one at a time, so bills of millions of rows stream to disk.
public struct WeChatBillWriter: Sendable {
    /// The column generation.
    public enum Generation: String, Sendable, CaseIterable {
        /// The current columns (`应结订单金额`, `订单金额`, …).
        case current
        /// The legacy columns of merchants that never enabled 免充值券 (`总金额`, …).
        case legacy
    }

    /// The bill type.
    public enum BillType: String, Sendable, CaseIterable {
        /// Payments and refunds.
        case all = "ALL"
        /// Payments only.
        case success = "SUCCESS"
        /// Refunds only.
        case refund = "REFUND"
    }

    /// The bill type written.
    public let type: BillType
    /// The column generation written.
    public let generation: Generation
    /// `商户号`.
    public let merchantID: String
    /// `公众账号ID`.
    public var appID = "wx2421b1c4370ec43b"
    /// The line end: CRLF by default.
    public var lineEnd = "\r\n"
    /// How many detail rows were written.
    public private(set) var rowCount = 0
    private var sums: [String: FixedDecimal] = [:]

    /// Creates a writer.
    public init(type: BillType, generation: Generation = .current, merchantID: String) {
        self.type = type
        self.generation = generation
        self.merchantID = merchantID
    }

    /// The column names, in order.
    public var columns: [String] {
        switch (generation, type) {
        case (.current, .all):
            return ["交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额",
                "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率", "订单金额", "申请退款金额", "费率备注"]
        case (.current, .success):
            return ["交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "商品名称", "商户数据包", "手续费", "费率", "订单金额",
                "费率备注"]
        case (.current, .refund):
            return ["交易时间", "公众账号ID", "商户号", "特约商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "应结订单金额", "代金券金额", "退款申请时间", "退款成功时间", "微信退款单号", "商户退款单号",
                "退款金额", "充值券退款金额", "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率", "订单金额", "申请退款金额",
                "费率备注"]
        case (.legacy, .all):
            return ["交易时间", "公众账号ID", "商户号", "子商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "总金额", "企业红包金额", "微信退款单号", "商户退款单号", "退款金额", "企业红包退款金额",
                "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率"]
        case (.legacy, .success):
            return ["交易时间", "公众账号ID", "商户号", "子商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "总金额", "企业红包金额", "商品名称", "商户数据包", "手续费", "费率"]
        case (.legacy, .refund):
            return ["交易时间", "公众账号ID", "商户号", "子商户号", "设备号", "微信订单号", "商户订单号", "用户标识", "交易类型",
                "交易状态", "付款银行", "货币种类", "总金额", "企业红包金额", "退款申请时间", "退款成功时间", "微信退款单号", "商户退款单号",
                "退款金额", "企业红包退款金额", "退款类型", "退款状态", "商品名称", "商户数据包", "手续费", "费率"]
        }
    }

    /// The summary column names, in order.
    public var summaryColumns: [String] {
        switch generation {
        case .current: ["总交易单数", "应结订单总金额", "退款总金额", "充值券退款总金额", "手续费总金额", "订单总金额", "申请退款总金额"]
        case .legacy: ["总交易单数", "总交易额", "总退款金额", "总企业红包退款金额", "手续费总金额"]
        }
    }

    /// The byte-order mark and the header line.
    public var header: String { "\u{FEFF}" + columns.joined(separator: ",") + lineEnd }

    /// One detail line (with its line end), and the row's amounts added to the summary.
    public mutating func line(for row: WeChatBillRow) -> String {
        let isRefund = row.kind == .refund
        let zero = "0.00"
        let amount = row.amount.description
        var values: [String: String] = [
            "交易时间": row.time.description, "公众账号ID": appID, "商户号": merchantID, "特约商户号": row.subMerchantID ?? "0", "子商户号": row.subMerchantID ?? "0",
            "设备号": "", "微信订单号": row.transactionID, "商户订单号": row.outTradeNo, "用户标识": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "交易类型": "JSAPI", "交易状态": row.tradeStatus ?? (isRefund ? "REFUND" : "SUCCESS"), "付款银行": "OTHERS",
            "货币种类": row.currency,
            "应结订单金额": isRefund ? zero : amount, "代金券金额": zero, "总金额": isRefund ? zero : amount, "企业红包金额": zero,
            "退款申请时间": isRefund ? row.time.description : "", "退款成功时间": isRefund ? row.time.description : "",
            "微信退款单号": row.refundID ?? "0", "商户退款单号": row.outRefundNo ?? "0",
            "退款金额": isRefund ? amount : zero, "充值券退款金额": zero, "企业红包退款金额": zero,
            "退款类型": isRefund ? "ORIGINAL" : "", "退款状态": isRefund ? row.refundStatus : "",
            "商品名称": row.goods, "商户数据包": row.attach, "手续费": row.fee.rescaled(to: 5)?.description ?? row.fee.description,
            "费率": "0.60%", "订单金额": isRefund ? zero : amount, "申请退款金额": isRefund ? amount : zero, "费率备注": "",
        ]
        if type == .refund {
            values["应结订单金额"] = zero
            values["订单金额"] = zero
        }
        rowCount += 1
        for name in columns where WeChatBillLayout.amountNames.contains(name) {
            let value = FixedDecimal(values[name]!)!
            sums[name] = (sums[name] ?? .zero).adding(value) ?? value
        }
        return columns.map { "`" + values[$0]! }.joined(separator: ",") + lineEnd
    }

    /// The summary header and its line of totals, each with a line end.
    public func summary() -> String {
        let values = summaryColumns.map { name -> String in
            guard let meaning = WeChatBillLayout.summaryMeaning[name] else { return "0" }
            guard let column = meaning else { return String(rowCount) }
            let sum = sums[column] ?? .zero
            return (column == "手续费" ? sum.rescaled(to: 5) : sum.rescaled(to: 2))?.description ?? sum.description
        }
        return summaryColumns.joined(separator: ",") + lineEnd + values.map { "`" + $0 }.joined(separator: ",") + lineEnd
    }

    /// A whole bill in one string.
    public static func bill(
        type: BillType, generation: Generation = .current, merchantID: String, rows: [WeChatBillRow]
    ) -> String {
        var writer = WeChatBillWriter(type: type, generation: generation, merchantID: merchantID)
        var text = writer.header
        for row in rows { text += writer.line(for: row) }
        return text + writer.summary()
    }
}
