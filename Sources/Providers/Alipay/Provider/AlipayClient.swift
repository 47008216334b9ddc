import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ReconClock
import ReconCore
import ReconProviders

/// Alipay's gateway client (docs/alipay-api.md): `alipay.trade.query`,
/// `alipay.trade.fastpay.refund.query` and the bill download.
///
/// Every request is form-encoded and signed `RSA2` with the app's private key. Every answer's
/// `…_response` text must verify against the Alipay public key, or the answer is
/// ``ProviderReply/Content/untrusted(reason:)`` and never used.
public struct AlipayClient: PaymentProvider {
    public let provider = ProviderID.alipay
    /// The gateway's URL.
    public var baseURL: String { endpoint.baseURL }
    let credentials: [String: AlipayCredentials]
    let endpoint: ProviderEndpoint

    /// Creates a client.
    public init(
        baseURL: String, credentials: [AlipayCredentials], http: HTTPClient, timeout: TimeAmount = .seconds(10), clock: any RunClock
    ) {
        self.credentials = Dictionary(credentials.map { ($0.pid, $0) }, uniquingKeysWith: { $1 })
        self.endpoint = ProviderEndpoint(baseURL: baseURL, http: http, timeout: timeout, clock: clock)
    }

    public func serves(_ merchant: MerchantRef) -> Bool {
        merchant.provider == provider && credentials[merchant.merchantID] != nil
    }

    public func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await call("alipay.trade.query", AlipayWire.TradeQuery(outTradeNo: outTradeNo), merchant: merchant, as: AlipayWire.Trade.self) {
            trade in
            if trade.code != "10000" {
                // An unpaid page or QR order exists at Alipay only once the buyer opens it.
                return trade.subCode.map(ErrorCatalog.normalized) == "ACQ.TRADE_NOT_EXIST"
                    ? .answer(ProviderAnswer(state: .pending, providerWord: "ACQ.TRADE_NOT_EXIST")) : nil
            }
            guard let word = trade.tradeStatus else { return .untrusted(reason: "code 10000 without trade_status") }
            let paidAt = trade.sendPayDate.flatMap(Self.beijingTime)
            let amount: Money?
            switch Self.yuan(trade.totalAmount, "total_amount") {
            case .failure(let problem): return .untrusted(reason: problem.reason)
            case .success(let value): amount = value
            }
            return .answer(
                ProviderAnswer(
                    state: Self.tradeState(word, paid: paidAt != nil), providerWord: word, amount: amount,
                    transactionID: trade.tradeNo, time: paidAt))
        }
    }

    public func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply? { nil }

    public func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await call(
            "alipay.trade.fastpay.refund.query", AlipayWire.RefundQuery(outTradeNo: outTradeNo, outRequestNo: outRefundNo),
            merchant: merchant, as: AlipayWire.Refund.self
        ) { refund in
            guard refund.code == "10000" else { return nil }
            // Alipay answers a refund it does not hold without refund_status.
            guard let word = refund.refundStatus else { return .answer(ProviderAnswer(state: .notFound, providerWord: "NO_REFUND_STATUS")) }
            let amount: Money?
            switch Self.yuan(refund.refundAmount, "refund_amount") {
            case .failure(let problem): return .untrusted(reason: problem.reason)
            case .success(let value): amount = value
            }
            return .answer(
                ProviderAnswer(
                    state: word == "REFUND_SUCCESS" ? .refundSucceeded : nil, providerWord: word, amount: amount,
                    transactionID: refund.tradeNo, time: refund.gmtRefundPay.flatMap(Self.beijingTime)))
        }
    }

    /// The job's state for a `trade_status`: `TRADE_CLOSED` is a paid order fully refunded when
    /// it was paid (`send_pay_date`), else one closed unpaid; `nil` for a word it does not know.
    public static func tradeState(_ word: String, paid: Bool) -> ProviderState? {
        switch word {
        case "WAIT_BUYER_PAY": .pending
        case "TRADE_SUCCESS", "TRADE_FINISHED": .paid
        case "TRADE_CLOSED": paid ? .paid : .closed
        default: nil
        }
    }

    /// An answer's amount in yuan (`"88.88"`), `nil` when the answer has none; a failure when it
    /// is not an amount an order can have.
    static func yuan(_ text: String?, _ field: String) -> Result<Money?, InvalidAnswer> {
        guard let text else { return .success(nil) }
        guard let money = Money(parsing: text, currency: .cny), money.isValidAmount else {
            return .failure(InvalidAnswer("\(field) '\(text)' is not an amount in yuan"))
        }
        return .success(money)
    }

    /// A gateway time, `yyyy-MM-dd HH:mm:ss` in Beijing.
    static func beijingTime(_ text: String) -> Timestamp? {
        LocalDateTime(text).map { ZoneRules.shanghai.timestamp(for: $0) }
    }

    // MARK: - One call

    /// Sends `method` for `merchant` and reads its answer: `read` turns a verified answer into the
    /// reply's content, or `nil` for a refusal with the answer's own code.
    func call<Answer: Decodable>(
        _ method: String, _ content: some Encodable, merchant: MerchantRef, as type: Answer.Type,
        read: (Answer) -> ProviderReply.Content?
    ) async throws -> ProviderReply {
        let requestID = UUID().uuidString.lowercased()
        guard let keys = credentials[merchant.merchantID] else {
            return ProviderReply(
                requestID: requestID, httpStatus: 0, bodySHA256: "",
                content: .refused(code: "NO_CREDENTIALS", message: "no Alipay app is configured for merchant \(merchant.merchantID)"))
        }
        let answer = try await post(method, content, keys: keys, requestID: requestID)
        func reply(_ content: ProviderReply.Content) -> ProviderReply {
            ProviderReply(requestID: requestID, httpStatus: answer.status, bodySHA256: answer.bodySHA256, content: content)
        }
        switch Self.verified(answer.body, method: method, keys: keys) {
        case .failure(let problem):
            let status = try? ProviderJSON.decode(AlipayWire.Status.self, from: Array(Self.errorText(answer.body, method: method) ?? [])).get()
            if answer.status == 429 || answer.status >= 500 { return reply(.refused(code: status?.subCode ?? status?.code, message: status?.msg)) }
            // A refusal of the app's own signature or id cannot be verified either; it stops the
            // merchant's queries and never gives a state.
            if let code = status?.subCode ?? status?.code, AlipayPlugin.codes.category(of: code, provider: .alipay) == .configOrAuth {
                return reply(.refused(code: code, message: (status?.subMsg ?? status?.msg).map { "\($0) (unverified: \(problem))" }))
            }
            return reply(.untrusted(reason: problem.description))
        case .success(let text):
            switch ProviderJSON.decode(Answer.self, from: Array(text)) {
            case .failure(let problem): return reply(.untrusted(reason: problem.reason))
            case .success(let parsed):
                if let content = read(parsed) { return reply(content) }
                let status = try? ProviderJSON.decode(AlipayWire.Status.self, from: Array(text)).get()
                return reply(.refused(code: status?.subCode ?? status?.code, message: status?.subMsg ?? status?.msg))
            }
        }
    }

    /// Posts a signed form to the gateway.
    func post(_ method: String, _ content: some Encodable, keys: AlipayCredentials, requestID: String) async throws -> HTTPExchange.Answer {
        var parameters = [
            "app_id": keys.appID, "method": method, "format": "JSON", "charset": "utf-8", "sign_type": "RSA2",
            "timestamp": AlipayWire.timestamp(epochSeconds: endpoint.clock.epochSeconds()), "version": "1.0",
            "biz_content": String(decoding: ProviderJSON.encode(content), as: UTF8.self),
        ]
        parameters["sign"] = try AlipaySignature.sign(Array(AlipaySignature.content(of: parameters).utf8), with: keys.privateKey)
        let body = Array(Self.form(parameters).utf8)
        return try await endpoint.exchange.send(
            method: .POST, url: baseURL, headers: [("Content-Type", "application/x-www-form-urlencoded;charset=utf-8"), ("Accept", "application/json")],
            body: body, requestID: requestID)
    }

    /// `parameters` as a form body, sorted, each value escaped but letters, digits and `-._~`.
    static func form(_ parameters: [String: String]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return parameters.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    /// The text of the answer's `…_response` when its `sign` verifies with the Alipay public key.
    static func verified(_ body: [UInt8], method: String, keys: AlipayCredentials) -> Result<ArraySlice<UInt8>, VerifyProblem> {
        guard let text = AlipaySignature.rawValue(of: AlipayWire.responseKey(of: method), in: body) else {
            return .failure(VerifyProblem("the answer has no \(AlipayWire.responseKey(of: method))"))
        }
        guard let signField = AlipaySignature.rawValue(of: "sign", in: body),
            let sign = try? JSONDecoder().decode(String.self, from: Data(signField))
        else { return .failure(VerifyProblem("the answer carries no sign")) }
        guard AlipaySignature.isValid(sign, for: text, with: keys.alipayPublicKey) else {
            return .failure(VerifyProblem("the answer's sign does not verify with the Alipay public key"))
        }
        return .success(text)
    }

    /// The text of the `…_response` (or `error_response`) an unverified answer holds, to name its code.
    static func errorText(_ body: [UInt8], method: String) -> ArraySlice<UInt8>? {
        AlipaySignature.rawValue(of: AlipayWire.responseKey(of: method), in: body) ?? AlipaySignature.rawValue(of: "error_response", in: body)
    }

    /// Why an answer is not trusted.
    struct VerifyProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
