import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import ReconClock
import ReconCore
import ReconProviders

/// The gateway's API client: order and refund queries (docs/gateway-api.md).
///
/// Every request carries a fresh `X-Request-Id` (a repeated one is refused with `S11`), the time
/// (`S02` beyond ±10 minutes) and an HMAC-SHA256 signature over them and the body. Every answer
/// must carry a valid signature by the same secret over its timestamp, request id and body, or it
/// is ``ProviderReply/Content/untrusted(reason:)``. `code 0` only means the call worked: the
/// state is `data.transactionStatus`.
public struct GatewayClient: PaymentProvider {
    public let provider = ProviderID.gateway
    /// The API's base URL.
    public var baseURL: String { endpoint.baseURL }
    let credentials: [String: GatewayCredentials]
    let endpoint: ProviderEndpoint

    /// The most an answer's timestamp may differ from now, in seconds (the gateway's own ±10 minutes).
    public static let maxClockSkew: Int64 = 600

    /// Creates a client.
    public init(
        baseURL: String, credentials: [GatewayCredentials], http: HTTPClient, timeout: TimeAmount = .seconds(10),
        clock: any RunClock
    ) {
        self.credentials = Dictionary(credentials.map { ($0.merchantNo, $0) }, uniquingKeysWith: { $1 })
        self.endpoint = ProviderEndpoint(baseURL: baseURL, http: http, timeout: timeout, clock: clock)
    }

    public func serves(_ merchant: MerchantRef) -> Bool {
        merchant.provider == provider && credentials[merchant.merchantID] != nil
    }

    public func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await post(
            "/api/v1/order/query", GatewayWire.OrderQuery(merchantNo: merchant.merchantID, outTradeNo: outTradeNo), merchant: merchant
        ) { Self.orderState($0) }
    }

    public func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply? { nil }

    public func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await post(
            "/api/v1/refund/query",
            GatewayWire.RefundQuery(merchantNo: merchant.merchantID, outRefundNo: outRefundNo, outTradeNo: outTradeNo), merchant: merchant
        ) { Self.refundState($0) }
    }

    /// The job's state for an order's `transactionStatus`; `nil` for a word it does not know.
    public static func orderState(_ word: String) -> ProviderState? {
        switch word {
        case "SUCCESS", "REFUNDED", "PARTIALLY_REFUNDED": .paid
        case "PENDING", "PROCESSING": .pending
        case "CLOSED", "REVOKED": .closed
        case "FAILED": .failed
        default: nil
        }
    }

    /// The job's state for a refund's `transactionStatus`; `nil` for a word it does not know.
    public static func refundState(_ word: String) -> ProviderState? {
        switch word {
        case "SUCCESS": .refundSucceeded
        case "PROCESSING", "PENDING": .refundProcessing
        case "FAILED", "CLOSED": .refundFailed
        default: nil
        }
    }

    // MARK: - One call

    private func post(
        _ path: String, _ query: some Encodable, merchant: MerchantRef, state: (String) -> ProviderState?
    ) async throws -> ProviderReply {
        let requestID = UUID().uuidString.lowercased()
        guard let keys = credentials[merchant.merchantID] else {
            return ProviderReply(
                requestID: requestID, httpStatus: 0, bodySHA256: "",
                content: .refused(code: "NO_CREDENTIALS", message: "no gateway secret is configured for merchant \(merchant.merchantID)"))
        }
        let body = ProviderJSON.encode(query)
        let timestamp = endpoint.clock.epochSeconds()
        let signature = GatewaySignature.sign(
            GatewaySignature.requestMessage(method: "POST", path: path, timestamp: timestamp, requestID: requestID, body: body),
            secret: keys.secret)
        let headers = [
            ("Content-Type", "application/json"), ("Accept", "application/json"), ("X-Merchant-No", keys.merchantNo),
            ("X-Timestamp", String(timestamp)), ("X-Request-Id", requestID), ("X-Signature", signature),
        ]
        let answer = try await endpoint.exchange.send(method: .POST, url: baseURL + path, headers: headers, body: body, requestID: requestID)
        func reply(_ content: ProviderReply.Content) -> ProviderReply {
            ProviderReply(requestID: requestID, httpStatus: answer.status, bodySHA256: answer.bodySHA256, content: content)
        }
        let decoded = ProviderJSON.decode(GatewayWire.Answer.self, from: answer.body)
        let json = try? decoded.get()
        if let problem = verify(answer, requestID: requestID, keys: keys) {
            // An unsigned refusal (a proxy's 5xx or 429, say) can be retried; it never gives a state.
            if answer.status == 429 || answer.status >= 500 || problem == Self.unsigned && answer.status >= 400 {
                return reply(.refused(code: json?.code, message: json?.msg))
            }
            // With a wrong secret, the gateway's own S03 or S10 cannot verify either. Taken as a
            // refusal, it stops the merchant's queries; it never gives a state.
            if let code = json?.code, GatewayPlugin.codes.category(of: code, provider: .gateway) == .configOrAuth {
                return reply(.refused(code: code, message: json?.msg.map { "\($0) (unverified: \(problem))" }))
            }
            return reply(.untrusted(reason: problem))
        }
        let parsed: GatewayWire.Answer
        switch decoded {
        case .failure(let problem): return reply(.untrusted(reason: problem.reason))
        case .success(let answer): parsed = answer
        }
        let code = parsed.code
        guard code == "0" else {
            if let code, GatewayPlugin.codes.category(of: code, provider: .gateway) == .notFound {
                return reply(.answer(ProviderAnswer(state: .notFound, providerWord: code)))
            }
            return reply(.refused(code: code, message: parsed.msg))
        }
        guard let data = parsed.data, let word = data.transactionStatus else {
            return reply(.untrusted(reason: "code 0 without data.transactionStatus"))
        }
        var amount: Money?
        if let decimal = data.amount {
            guard let code = data.currency, let currency = Currency(code: code) else {
                return reply(.untrusted(reason: "data.currency '\(data.currency ?? "")' is not an ISO 4217 code"))
            }
            guard let money = Money(parsing: decimal, currency: currency), money.isValidAmount else {
                return reply(.untrusted(reason: "data.amount '\(decimal)' is not an amount from 0 to \(Money(minorUnits: Money.maximumMinorUnits, currency: currency))"))
            }
            amount = money
        }
        return reply(
            .answer(
                ProviderAnswer(
                    state: state(word), providerWord: word, amount: amount, transactionID: data.transactionId,
                    time: data.successTime.flatMap { Timestamp(rfc3339: $0) })))
    }

    static let unsigned = "the answer carries no X-Signature header"

    func verify(_ answer: HTTPExchange.Answer, requestID: String, keys: GatewayCredentials) -> String? {
        guard let signature = answer.headers.first(name: "X-Signature"), let timestamp = answer.headers.first(name: "X-Timestamp")
        else { return Self.unsigned }
        guard answer.headers.first(name: "X-Request-Id") == requestID else {
            return "the answer is for request \(answer.headers.first(name: "X-Request-Id") ?? "(none)"), not \(requestID)"
        }
        guard let seconds = Int64(timestamp), abs(endpoint.clock.epochSeconds() - seconds) <= Self.maxClockSkew else {
            return "the answer's timestamp \(timestamp) is more than ten minutes from now"
        }
        let message = GatewaySignature.responseMessage(timestamp: timestamp, requestID: requestID, body: answer.body)
        guard GatewaySignature.isValid(signature, for: message, secret: keys.secret) else {
            return "the answer's signature does not verify with the merchant's secret"
        }
        return nil
    }
}
