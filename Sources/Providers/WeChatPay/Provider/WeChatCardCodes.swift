import ReconCore

extension ErrorCatalog {
    /// WeChat card and coupon return codes (provider-docs 001).
    public static let wechatCard = ErrorCatalog(
        id: "wechat-card",
        title: "WeChat cards and coupons",
        source: "provider-docs/001_49aac465c61d6854.txt",
        providers: [.wechatPay],
        codes: [
            ErrorCode("-1", .retryLater, english: "The system is busy, so developers are asked to try again later."),
            ErrorCode("0", .ok, english: "The request was successful"),
            ErrorCode("40009", .finalFailure, english: "The picture file is very long."),
            ErrorCode("40013", .configOrAuth, english: "For illegal Appid, please check the correctness of the AppID, avoid abnormal characters, and pay attention to the case."),
            ErrorCode("40053", .finalFailure, english: "Invalid actioninfo, please verify that the parameters are correct."),
            ErrorCode("40071", .finalFailure, english: "An unlawful type of voucher."),
            ErrorCode("40072", .finalFailure, english: "An illegal way to encode."),
            ErrorCode("40078", .finalFailure, english: "Illegal voucher status."),
            ErrorCode("40079", .finalFailure, english: "It's an illegal time."),
            ErrorCode("40080", .finalFailure, english: "Illegal CardExt."),
            ErrorCode("40099", .finalFailure, english: "The voucher has been cancelled."),
            ErrorCode("40100", .finalFailure, english: "An unlawful time period."),
            ErrorCode("40116", .finalFailure, english: "Illegal code."),
            ErrorCode("40122", .finalFailure, english: "Illegal inventory quantity."),
            ErrorCode("40124", .finalFailure, english: "The membership card sets the custom_field field that has been checked."),
            ErrorCode("40127", .finalFailure, english: "The coupons were deleted or re-gifted by the user."),
            ErrorCode("41012", .finalFailure, english: "Missing cardid parameter."),
            ErrorCode("45030", .configOrAuth, english: "The cardid has no interface permissions."),
            ErrorCode("45031", .finalFailure, english: "The inventory is 0."),
            ErrorCode("45033", .finalFailure, english: "The number of times the user receives exceeds the limit get_limit"),
            ErrorCode("41011", .finalFailure, english: "Required fields are missing."),
            ErrorCode("45021", .finalFailure, english: "If fields exceed the length limit, refer to the field explaination for the corresponding interface."),
            ErrorCode("40056", .finalFailure, english: "Illegal code."),
            ErrorCode("43009", .configOrAuth, english: "No custom SN permissions, please go to the public platform to apply."),
            ErrorCode("43010", .configOrAuth, english: "No stored value permissions, please go to the public platform to apply."),
        ]
    )
}
