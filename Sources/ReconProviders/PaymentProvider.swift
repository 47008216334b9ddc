import ReconCore

/// A payment provider's query API, as the query engine uses it.
///
/// Implementations sign each request, verify each response before trusting it, and map the
/// provider's words to ``ProviderState``. They throw only ``ProviderTransportError``, for calls
/// that got no HTTP answer; every HTTP answer, good or bad, comes back as a ``ProviderReply``.
public protocol PaymentProvider: Sendable {
    /// The provider the client serves.
    var provider: ProviderID { get }

    /// Whether the client has keys for a merchant; the engine does not ask about the others.
    func serves(_ merchant: MerchantRef) -> Bool

    /// Asks for the state of an order by the merchant's order number.
    func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply

    /// Whether the provider has combine payments, whose sub-orders are asked about together
    /// (``queryCombine(combineOutTradeNo:merchant:)``) when the store names their combine number.
    var hasCombinePayments: Bool { get }
    /// Asks for the sub-orders of a combine payment; `nil` when the provider has no combine payments.
    func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply?

    /// Asks for the state of a refund by the merchant's refund number.
    func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply
}

extension PaymentProvider {
    public var hasCombinePayments: Bool { false }
    public func serves(_ merchant: MerchantRef) -> Bool { merchant.provider == provider }
}

/// One HTTP answer of a provider, with what the job makes of it.
public struct ProviderReply: Hashable, Sendable {
    /// What the answer means.
    public enum Content: Hashable, Sendable {
        /// A trusted answer. Its state is `nil` when the provider used a word the job does not know.
        case answer(ProviderAnswer)
        /// The provider refused the call with a code (`SYSTEM_ERROR`, `E01`, `S04`, …), or with
        /// only an HTTP status when it sent no code.
        case refused(code: String?, message: String?)
        /// The answer cannot be trusted: its signature or timestamp did not verify, or it could not
        /// be read. It is never used.
        case untrusted(reason: String)
    }

    /// The request id this attempt was sent with.
    public var requestID: String
    /// The HTTP status.
    public var httpStatus: Int
    /// The SHA-256 of the raw body, in hex.
    public var bodySHA256: String
    /// What the answer means.
    public var content: Content

    /// Creates a reply.
    public init(requestID: String, httpStatus: Int, bodySHA256: String, content: Content) {
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.bodySHA256 = bodySHA256
        self.content = content
    }

    /// The provider's code, if it sent one.
    public var code: String? {
        switch content {
        case .refused(let code, _): code
        case .answer(let answer): answer.state == .notFound ? answer.providerWord : nil
        case .untrusted: nil
        }
    }
}

/// A call that got no HTTP answer.
public struct ProviderTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request id of the attempt.
    public var requestID: String
    /// Whether the call ran out of time (rather than failing to connect or breaking off).
    public var isTimeout: Bool
    /// What happened, without any secret.
    public var detail: String
    /// Whether no connection to the provider could be made at all: refused, no route, a name
    /// that does not resolve, a TLS handshake that failed, or a connect timeout.
    public var failedToConnect: Bool

    /// Creates an error.
    public init(requestID: String, isTimeout: Bool, detail: String, failedToConnect: Bool = false) {
        self.requestID = requestID
        self.isTimeout = isTimeout
        self.detail = detail
        self.failedToConnect = failedToConnect
    }

    public var description: String {
        failedToConnect ? "could not connect (\(detail))" : isTimeout ? "timed out (\(detail))" : "no answer (\(detail))"
    }
}

/// A verified answer whose content the job cannot use (an amount out of range, a currency it does
/// not know): the client reports it as untrusted, so it is retried and never applied.
public struct InvalidAnswer: Error, Sendable {
    /// What is wrong with it.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }
}
