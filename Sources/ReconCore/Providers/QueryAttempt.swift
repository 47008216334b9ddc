
/// One call to a provider, as the store records it.
public struct QueryAttempt: Hashable, Sendable {
    /// What was asked about: `order`, `refund` or `combine`.
    public var subject: String
    /// The order, refund or combine order number.
    public var key: String
    /// The merchant.
    public var merchant: MerchantRef
    /// 1 for the first attempt of an item.
    public var attempt: Int
    /// When the call was made.
    public var at: Timestamp
    /// The request id it was sent with.
    public var requestID: String
    /// The HTTP status, if an answer came.
    public var httpStatus: Int?
    /// The provider's code, if it sent one.
    public var code: String?
    /// The state the answer maps to, if any.
    public var state: String?
    /// The SHA-256 of the raw answer body, in hex.
    public var bodySHA256: String?
    /// What went wrong, if anything: a timeout, a signature that did not verify, ….
    public var error: String?

    /// Creates a record.
    public init(
        subject: String, key: String, merchant: MerchantRef, attempt: Int, at: Timestamp, requestID: String,
        httpStatus: Int? = nil, code: String? = nil, state: String? = nil, bodySHA256: String? = nil, error: String? = nil
    ) {
        self.subject = subject
        self.key = key
        self.merchant = merchant
        self.attempt = attempt
        self.at = at
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.code = code
        self.state = state
        self.bodySHA256 = bodySHA256
        self.error = error
    }
}
