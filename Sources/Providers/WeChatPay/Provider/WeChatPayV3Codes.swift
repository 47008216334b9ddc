import ReconCore

extension ErrorCatalog {
    /// WeChat Pay APIv3 codes: the tables of provider-docs 003 (combine order, public and business
    /// codes), then the codes provider-formats §1.4, §2.3 and §4.4 name for order query and bill
    /// download, and the APIv2 spellings stores still record.
    ///
    /// `OUT_TRADE_NO_USED` means an order with that number already exists and may be paid, so it is
    /// queried like `SYSTEM_ERROR`.
    public static let wechatPayV3 = ErrorCatalog(
        id: "wechatpay-v3",
        title: "WeChat Pay APIv3",
        source: "provider-docs/003_77402864c936c014.txt",
        providers: [.wechatPay],
        codes: [
            ErrorCode("PARAM_ERROR", .finalFailure, http: 400, chinese: "参数错误", solution: "请根据错误提示正确传入参数"),
            ErrorCode("INVALID_REQUEST", .finalFailure, http: 400, chinese: "HTTP 请求不符合微信支付 APIv3 接口规则", solution: "请参阅接口规则检查传入的参数"),
            ErrorCode("SIGN_ERROR", .configOrAuth, http: 401, chinese: "验证不通过", solution: "请参阅签名常见问题排查"),
            ErrorCode("SYSTEM_ERROR", .queryToConfirm, http: 500, chinese: "系统异常,请稍后重试", solution: "请稍后重试"),
            ErrorCode("APPID_MCHID_NOT_MATCH", .configOrAuth, http: 400, chinese: "AppID和mch_id不匹配", solution: "请确认AppID和mch_id是否匹配,参考:查询商户号绑定的APPID账号"),
            ErrorCode("INVALID_REQUEST", .finalFailure, http: 400, chinese: "无效请求", solution: "请根据接口返回的详细信息检查"),
            ErrorCode("MCH_NOT_EXISTS", .configOrAuth, http: 400, chinese: "商户号不存在", solution: "请检查商户号是否正确,商户号获取方式请参考:普通商户模式开发必要参数说明"),
            ErrorCode("ORDER_CLOSED", .finalFailure, http: 400, chinese: "订单已关闭", solution: "当前订单已关闭,请重新下单"),
            ErrorCode("SIGN_ERROR", .configOrAuth, http: 401, chinese: "签名错误", solution: "请检查签名参数和方法是否都符合签名算法要求,参考:如何生成签名"),
            ErrorCode("NOAUTH", .configOrAuth, http: 403, chinese: "商户无权限", solution: "请商户联系对接运营申请此接口相关权限,参考:快速开始-步骤3"),
            ErrorCode("OUT_TRADE_NO_USED", .queryToConfirm, http: 403, chinese: "商户订单号重复", solution: "请核实商户订单号是否重复提交"),
            ErrorCode("RULELIMIT", .rateLimited, http: 403, chinese: "业务规则限制", solution: "因业务规则限制请求频率,请查看接口返回的详细信息"),
            ErrorCode("FREQUENCY_LIMITED", .rateLimited, http: 429, chinese: "频率超限", solution: "请降低请求接口频率"),
            ErrorCode("OPENID_MISMATCH", .finalFailure, http: 500, chinese: "OpenID和AppID不匹配", solution: "请确认OpenID和AppID是否匹配,参考:OpenID获取"),
            ErrorCode("SYSTEMERROR", .queryToConfirm, http: 500, chinese: "系统错误", solution: "系统异常,请用相同参数重新调用"),
            ErrorCode("ORDER_NOT_EXIST", .notFound, http: 404, english: "Order does not exist", chinese: "订单不存在", solution: "Check the order number and mchid; an order created less than a minute ago may not be visible yet", source: "provider-formats §1.4, §2.3"),
            ErrorCode("NO_AUTH", .configOrAuth, http: 403, english: "No permission", chinese: "商户无权限", solution: "Check the merchant id, sub_mchid and the API permissions", source: "provider-formats §1.4, §4.4"),
            ErrorCode("RULE_LIMIT", .rateLimited, http: 403, english: "Business rule limit", chinese: "业务规则限制", source: "provider-formats §2.3"),
            ErrorCode("RATELIMIT_EXCEEDED", .rateLimited, http: 429, english: "Rate limit exceeded", source: "provider-formats §1.4"),
            ErrorCode("SERVICE_UNAVAILABLE", .retryLater, http: 503, english: "Service unavailable", source: "provider-formats §1.4"),
            ErrorCode("STATEMENT_CREATING", .retryLater, http: 400, english: "The bill is being generated", chinese: "账单生成中", solution: "Apply again later (about every 30 minutes) until it succeeds or answers NO_STATEMENT_EXIST", source: "provider-formats §4.3, §4.4"),
            ErrorCode("NO_STATEMENT_EXIST", .notFound, http: 400, english: "No bill for that day: the merchant had no trade or refund", chinese: "请求的账单文件不存在", solution: "An empty day, not a failure", source: "provider-formats §4.3, §4.4"),
            ErrorCode("RESOURCE_NOT_EXISTS", .notFound, http: 404, english: "Refund does not exist", chinese: "退款单不存在", source: "WeChat Pay APIv3 refund query (not in the provider notes)"),
            ErrorCode("ORDERNOTEXIST", .notFound, english: "Order does not exist (APIv2)", source: "provider-formats §2.3"),
        ]
    )
}
