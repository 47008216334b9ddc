import ReconCore

extension ErrorCatalog {
    /// The payment gateway's codes: `0`, `S01`–`S11`, `C01`–`C27`, `M01`–`M04`, `P01`, `E01`–`E03`
    /// (provider-docs 004, "Error Codes").
    ///
    /// `C26` and `C27` appear only in the document's handling advice ("concurrency-related errors,
    /// recommend retrying later"), so their text is that advice. `C06` (duplicate serial number),
    /// `C10` (order already paid) and `C24` (status not allowed) say an earlier call may have
    /// succeeded, so an order left with one of them is queried like one left with `E02`.
    public static let gateway = ErrorCatalog(
        id: "gateway",
        title: "Payment gateway API",
        source: "provider-docs/004_7c3245fcdfb83169.txt",
        providers: [.gateway],
        codes: [
            ErrorCode("0", .ok, english: "Interface response successful"),
            ErrorCode("S01", .configOrAuth, english: "Invalid IP address", solution: "Check if merchant has configured IP whitelist and add calling server IP to whitelist"),
            ErrorCode("S02", .configOrAuth, english: "Request timestamp deviation from server time too large", solution: "Sync client system time, ensure time difference within allowed range (±10 minutes)"),
            ErrorCode("S03", .configOrAuth, english: "Signature verification failed", solution: "Check signature algorithm, key, and parameter order, confirm parameters involved in signature have not been modified"),
            ErrorCode("S04", .rateLimited, english: "Interface call frequency exceeded", solution: "Reduce call frequency, follow platform frequency limit rules"),
            ErrorCode("S05", .configOrAuth, english: "Data decryption failed", solution: "Check code encryption logic or check if key settings are correct"),
            ErrorCode("S06", .configOrAuth, english: "Insufficient permissions", solution: "Contact administrator to apply for permissions or check if permissions are correct"),
            ErrorCode("S07", .configOrAuth, english: "TMK key does not exist or key expired", solution: "Re-obtain TMK"),
            ErrorCode("S08", .configOrAuth, english: "Working key does not exist or key expired", solution: "Re-obtain working key"),
            ErrorCode("S09", .configOrAuth, english: "Login session expired or not logged in", solution: "Log in again"),
            ErrorCode("S10", .configOrAuth, english: "Request authentication failed", solution: "Check key settings or authentication algorithm calculation is correct"),
            ErrorCode("S11", .retryLater, english: "Duplicate request", solution: "Use different X-Request-Id to initiate request again, or wait 10 minutes before retrying"),
            ErrorCode("C01", .finalFailure, english: "Request parameter missing", solution: "Ensure all required parameters are provided"),
            ErrorCode("C02", .finalFailure, english: "Request JSON format error", solution: "Check JSON structure, bracket matching, and data type validity"),
            ErrorCode("C03", .configOrAuth, english: "Merchant does not exist or is disabled", solution: "Check if merchant ID is correct and confirm merchant status"),
            ErrorCode("C06", .queryToConfirm, english: "Duplicate request serial number", solution: "Ensure uniqueness of merchant request number, avoid duplicate submission"),
            ErrorCode("C08", .retryLater, english: "Transaction locked (prevent concurrent operations)", solution: "Wait for current operation to complete before initiating new request, recommend business layer locking control"),
            ErrorCode("C10", .queryToConfirm, english: "Order already paid", solution: "Confirm order status through order query interface, no need to repeat operation"),
            ErrorCode("C12", .notFound, english: "Order does not exist", solution: "Check if order number is correct and order’s merchant"),
            ErrorCode("C14", .finalFailure, english: "Transaction amount exceeds allowed range", solution: "Check platform’s amount limit rules for this merchant/payment method, adjust request amount"),
            ErrorCode("C15", .finalFailure, english: "Refund amount exceeds original order amount or refundable balance", solution: "Verify original order amount and refunded amount, ensure total refund amount does not exceed refundable limit"),
            ErrorCode("C24", .queryToConfirm, english: "Original transaction status not allowed", solution: "Check transaction status"),
            ErrorCode("M01", .configOrAuth, english: "Interface call permission insufficient or not activated", solution: "Apply for corresponding interface permission or renew"),
            ErrorCode("M02", .configOrAuth, english: "Application does not exist or unavailable", solution: "Check if appId is correct and confirm application status on open platform"),
            ErrorCode("M04", .configOrAuth, english: "Merchant has not activated this payment product or payment parameters not configured or configured incorrectly", solution: "Confirm merchant has activated corresponding payment product, complete payment parameter configuration"),
            ErrorCode("P01", .queryToConfirm, english: "Bank channel exception", solution: "Call order query interface to confirm transaction status, if unpaid order can retry"),
            ErrorCode("E01", .queryToConfirm, english: "System busy, please try again later", solution: "Call order query interface to confirm transaction status, if unpaid order can retry"),
            ErrorCode("E02", .queryToConfirm, english: "Network timeout or error", solution: "Call order query interface to confirm transaction status, if unpaid order can retry"),
            ErrorCode("E03", .queryToConfirm, english: "Unknown exception", solution: "Call order query interface to confirm transaction status, if unpaid order can retry"),
            ErrorCode("C26", .retryLater, english: "Concurrency-related error", solution: "When encountering C08,C26,C27 and other concurrency-related errors, recommend retrying later"),
            ErrorCode("C27", .retryLater, english: "Concurrency-related error", solution: "When encountering C08,C26,C27 and other concurrency-related errors, recommend retrying later"),
        ]
    )
}
