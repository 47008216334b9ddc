import ReconCore

extension ErrorCatalog {
    /// Alipay's open-platform codes (docs/alipay-api.md): the gateway's `code` and the `sub_code`s
    /// (kept upper-case, as every catalog's codes are; lookups ignore case) the trade query, the refund query and the bill download answer with.
    ///
    /// `20000` and `ACQ.SYSTEM_ERROR` leave a payment's outcome unknown, so an order left with
    /// them is queried; `ACQ.TRADE_NOT_EXIST` is what an order the buyer never opened answers.
    public static let alipay = ErrorCatalog(
        id: "alipay",
        title: "Alipay open platform",
        source: "alipay-api.md",
        providers: [.alipay],
        codes: [
            ErrorCode("10000", .ok, english: "Success", chinese: "接口调用成功"),
            ErrorCode("20000", .queryToConfirm, english: "Service unavailable", chinese: "服务不可用", solution: "Query the order to learn whether the call took effect, then retry"),
            ErrorCode("20001", .configOrAuth, english: "Insufficient authorization", chinese: "授权权限不足", solution: "Check the app's authorization token"),
            ErrorCode("40001", .finalFailure, english: "Missing required parameter", chinese: "缺少必选参数"),
            ErrorCode("40002", .finalFailure, english: "Invalid parameter", chinese: "非法的参数"),
            ErrorCode("40004", .finalFailure, english: "Business failed; the sub_code says why", chinese: "业务处理失败"),
            ErrorCode("40006", .configOrAuth, english: "Insufficient permissions", chinese: "权限不足", solution: "Sign the product's contract, or grant the app the interface"),
            ErrorCode("ISP.UNKNOW-ERROR", .queryToConfirm, english: "Service temporarily unavailable", chinese: "服务暂不可用", solution: "Query the order, then retry"),
            ErrorCode("AOP.UNKNOW-ERROR", .queryToConfirm, english: "Service temporarily unavailable", chinese: "服务暂不可用", solution: "Query the order, then retry"),
            ErrorCode("ISV.MISSING-SIGNATURE", .configOrAuth, english: "The request is not signed", chinese: "缺少签名参数"),
            ErrorCode("ISV.INVALID-SIGNATURE", .configOrAuth, english: "The request's signature does not verify", chinese: "无效签名", solution: "Check the app's private key and that Alipay holds its public key"),
            ErrorCode("ISV.INVALID-APP-ID", .configOrAuth, english: "Invalid app_id", chinese: "无效的AppID参数"),
            ErrorCode("ISV.INSUFFICIENT-ISV-PERMISSIONS", .configOrAuth, english: "The app may not call this interface", chinese: "ISV权限不足"),
            ErrorCode("ISV.INVALID_ARGUMENTS", .finalFailure, english: "Invalid arguments (a bill of today or the current month)", chinese: "入参不合法", solution: "Ask for a past day's bill"),
            ErrorCode("ISP.BILL_NOT_EXIST", .notFound, english: "No bill for that day: the merchant had no trade or refund", chinese: "账单不存在", solution: "An empty day, not a failure"),
            ErrorCode("ACQ.SYSTEM_ERROR", .queryToConfirm, english: "System error, such as a timeout", chinese: "系统错误", solution: "Query the order and go by its state"),
            ErrorCode("ACQ.INVALID_PARAMETER", .finalFailure, english: "A parameter is not valid", chinese: "参数无效", solution: "Fix the request and send it again"),
            ErrorCode("ACQ.TRADE_NOT_EXIST", .notFound, english: "The trade does not exist", chinese: "交易不存在", solution: "An unpaid page or QR order does not exist at Alipay until the buyer opens it: it stays pending until its own expiry"),
            ErrorCode("ACQ.ACCESS_FORBIDDEN", .configOrAuth, english: "No right to use the product: no contract, or it expired", chinese: "无权限使用接口"),
            ErrorCode("ACQ.PARTNER_ERROR", .configOrAuth, english: "Invalid app_id for the merchant", chinese: "应用APP_ID填写错误"),
            ErrorCode("ACQ.EXIST_FORBIDDEN_WORD", .finalFailure, english: "The order's title or description holds a forbidden word", chinese: "订单信息中包含违禁词"),
            ErrorCode("ACQ.TOTAL_FEE_EXCEED", .finalFailure, english: "The amount is over the limit", chinese: "订单总金额超过限额"),
            ErrorCode("ACQ.CONTEXT_INCONSISTENT", .finalFailure, english: "The order's details differ from the trade Alipay holds", chinese: "交易信息被篡改"),
            ErrorCode("ACQ.TRADE_HAS_SUCCESS", .queryToConfirm, english: "The trade was already paid", chinese: "交易已被支付", solution: "Query the order: it may well be paid"),
            ErrorCode("ACQ.TRADE_HAS_CLOSE", .finalFailure, english: "The trade exists and is closed", chinese: "交易已经关闭"),
            ErrorCode("ACQ.BUYER_SELLER_EQUAL", .finalFailure, english: "The buyer and the seller are the same", chinese: "买卖家不能相同"),
            ErrorCode("ACQ.TRADE_BUYER_NOT_MATCH", .finalFailure, english: "The trade exists with another buyer", chinese: "交易买家不匹配"),
            ErrorCode("ACQ.BUYER_ENABLE_STATUS_FORBID", .finalFailure, english: "The buyer may not pay", chinese: "买家状态非法"),
            ErrorCode("ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", .finalFailure, english: "The buyer is over the daily limit", chinese: "买家付款日限额超限"),
        ])
}
