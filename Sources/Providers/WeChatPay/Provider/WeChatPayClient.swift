import AsyncHTTPClient
import CryptoExtras
import Foundation
import NIOCore
import NIOHTTP1
import ReconClock
import ReconCore
import ReconProviders

/// The WeChat Pay APIv3 client: order, combine and refund queries (provider-formats §1–3).
///
/// Every request is signed with the merchant's key (`WECHATPAY2-SHA256-RSA2048`, PKCS#1 v1.5).
/// Every answer is verified against the WeChat Pay public key: the serial must be the configured
/// one, the timestamp within five minutes of now, and the signature must cover the raw body. An
/// answer that fails any check is ``ProviderReply/Content/untrusted(reason:)``.
public struct WeChatPayClient: PaymentProvider {
    public let provider = ProviderID.wechatPay
    public let hasCombinePayments = true
    /// The API's base URL, such as `https://api.mch.weixin.qq.com`.
    public var baseURL: String { endpoint.baseURL }
    let credentials: [String: WeChatPayCredentials]
    let endpoint: ProviderEndpoint

    /// The most an answer's timestamp may differ from now, in seconds.
    public static let maxClockSkew: Int64 = 300

    /// Creates a client.
    /// - Parameters:
    ///   - credentials: Each merchant's keys.
    ///   - clock: The time, for signing and for checking answers.
    public init(
        baseURL: String, credentials: [WeChatPayCredentials], http: HTTPClient, timeout: TimeAmount = .seconds(10),
        clock: any RunClock
    ) {
        self.credentials = Dictionary(credentials.map { ($0.merchantID, $0) }, uniquingKeysWith: { $1 })
        self.endpoint = ProviderEndpoint(baseURL: baseURL, http: http, timeout: timeout, clock: clock)
    }

    public func serves(_ merchant: MerchantRef) -> Bool {
        merchant.provider == provider && credentials[merchant.merchantID] != nil
    }

    public func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        let number = ProviderEndpoint.escape(outTradeNo), id = ProviderEndpoint.escape(merchant.merchantID)
        // A sub-merchant's order is asked about by its service provider (服务商), through the partner API.
        let path = credentials[merchant.merchantID]?.serviceProviderID.map {
            "/v3/pay/partner/transactions/out-trade-no/\(number)?sp_mchid=\(ProviderEndpoint.escape($0))&sub_mchid=\(id)"
        } ?? "/v3/pay/transactions/out-trade-no/\(number)?mchid=\(id)"
        return try await get(path, merchant: merchant, as: WeChatPayWire.Transaction.self) { order in
            let word = order.tradeState ?? ""
            return ProviderAnswer(
                state: Self.orderState(word), providerWord: word, amount: try Self.money(order.amount, \.total, "total"),
                transactionID: order.transactionId, time: order.successTime.flatMap { Timestamp(rfc3339: $0) })
        }
    }

    public func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply? {
        let path = "/v3/combine-transactions/out-trade-no/\(ProviderEndpoint.escape(combineOutTradeNo))"
        return try await get(path, merchant: merchant, as: WeChatPayWire.Combine.self) { combine in
            let listed = combine.subOrders ?? []
            guard listed.count <= 10 else {
                throw InvalidAnswer("the combine answer lists \(listed.count) sub-orders; a combine payment has at most 10")
            }
            let subOrders = try listed.map { sub in
                let word = sub.tradeState ?? ""
                return ProviderAnswer.SubOrder(
                    outTradeNo: sub.outTradeNo ?? "", merchantID: sub.subMchid ?? sub.mchid ?? "", state: Self.orderState(word), providerWord: word,
                    amount: try Self.money(sub.amount, \.totalAmount, "total_amount"), transactionID: sub.transactionId,
                    time: sub.successTime.flatMap { Timestamp(rfc3339: $0) })
            }
            return ProviderAnswer(state: nil, providerWord: "COMBINE", subOrders: subOrders)
        }
    }

    public func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        let path = "/v3/refund/domestic/refunds/\(ProviderEndpoint.escape(outRefundNo))" + Self.subMerchant(merchant, credentials, first: true)
        return try await get(path, merchant: merchant, as: WeChatPayWire.Refund.self) { refund in
            let word = refund.status ?? ""
            return ProviderAnswer(
                state: Self.refundState(word), providerWord: word, amount: try Self.money(refund.amount, \.refund, "refund"),
                transactionID: refund.refundId, time: refund.successTime.flatMap { Timestamp(rfc3339: $0) })
        }
    }

    /// The `sub_mchid` query parameter a service provider adds for its sub-merchant `merchant`,
    /// starting with `?` when `first`, else `&`; empty for a direct merchant.
    static func subMerchant(_ merchant: MerchantRef, _ credentials: [String: WeChatPayCredentials], first: Bool) -> String {
        guard credentials[merchant.merchantID]?.serviceProviderID != nil else { return "" }
        return (first ? "?" : "&") + "sub_mchid=" + ProviderEndpoint.escape(merchant.merchantID)
    }

    /// The job's state for a `trade_state`; `nil` for a word it does not know.
    public static func orderState(_ word: String) -> ProviderState? {
        switch word {
        case "SUCCESS", "REFUND": .paid
        case "NOTPAY", "USERPAYING", "ACCEPT": .pending
        case "CLOSED", "REVOKED": .closed
        case "PAYERROR": .failed
        default: nil
        }
    }

    /// The job's state for a refund `status`; `nil` for a word it does not know.
    public static func refundState(_ word: String) -> ProviderState? {
        switch word {
        case "SUCCESS": .refundSucceeded
        case "PROCESSING": .refundProcessing
        case "CLOSED", "ABNORMAL": .refundFailed
        default: nil
        }
    }

    // MARK: - One call

    private func get<Body: Decodable>(
        _ path: String, merchant: MerchantRef, as body: Body.Type, parse: (Body) throws -> ProviderAnswer
    ) async throws -> ProviderReply {
        let nonce = WeChatPaySignature.nonce()
        guard let keys = credentials[merchant.merchantID] else {
            return ProviderReply(
                requestID: nonce, httpStatus: 0, bodySHA256: "",
                content: .refused(code: "NO_CREDENTIALS", message: "no WeChat Pay keys are configured for merchant \(merchant.merchantID)"))
        }
        let answer = try await signedGet(baseURL + path, canonical: path, keys: keys, nonce: nonce, exchange: endpoint.exchange)
        let requestID = answer.headers.first(name: "Request-ID") ?? nonce
        func reply(_ content: ProviderReply.Content) -> ProviderReply {
            ProviderReply(requestID: requestID, httpStatus: answer.status, bodySHA256: answer.bodySHA256, content: content)
        }
        if let problem = await verify(answer, keys: keys) {
            // An answer without signature headers may still say why it was refused; it never gives a state.
            if answer.status >= 400, problem == Self.unsigned {
                let error = Self.errorBody(answer.body)
                if WeChatPayPlugin.codes.category(of: error?.code ?? "", provider: .wechatPay) != .notFound {
                    return reply(.refused(code: error?.code, message: error?.message))
                }
            }
            return reply(.untrusted(reason: problem))
        }
        guard (200..<300).contains(answer.status) else {
            let error = Self.errorBody(answer.body)
            if answer.status == 404, let code = error?.code,
                WeChatPayPlugin.codes.category(of: code, provider: .wechatPay) == .notFound
            {
                return reply(.answer(ProviderAnswer(state: .notFound, providerWord: code)))
            }
            return reply(.refused(code: error?.code, message: error?.message))
        }
        switch ProviderJSON.decode(Body.self, from: answer.body) {
        case .failure(let problem):
            return reply(.untrusted(reason: problem.reason))
        case .success(let decoded):
            do {
                return reply(.answer(try parse(decoded)))
            } catch let error as InvalidAnswer {
                return reply(.untrusted(reason: error.reason))
            }
        }
    }

    /// Sends a GET signed with the merchant's key.
    func signedGet(
        _ url: String, canonical: String, keys: WeChatPayCredentials, nonce: String, exchange: HTTPExchange,
        accept: String = "application/json"
    ) async throws -> HTTPExchange.Answer {
        let timestamp = endpoint.clock.epochSeconds()
        let message = WeChatPaySignature.requestMessage(
            method: "GET", canonicalURL: canonical, timestamp: timestamp, nonce: nonce, body: [UInt8]())
        let signature = try WeChatPaySignature.sign(message, with: keys.privateKey)
        let headers = [
            ("Authorization", WeChatPaySignature.authorization(
                merchantID: keys.signingMerchantID, serialNumber: keys.serialNumber, timestamp: timestamp, nonce: nonce,
                signature: signature)),
            ("Accept", accept), ("User-Agent", "order-recon"),
        ]
        return try await endpoint.exchange.send(method: .GET, url: url, headers: headers, body: nil, requestID: nonce)
    }

    static let unsigned = "the answer carries no Wechatpay-Signature headers"

    /// Why an answer cannot be trusted, or `nil` when it verifies. With platform certificates, a
    /// serial not yet known fetches the list once (``WeChatPayClient/refreshCertificates(_:)``).
    func verify(_ answer: HTTPExchange.Answer, keys: WeChatPayCredentials) async -> String? {
        guard let signed = Self.signedHeaders(answer) else { return Self.unsigned }
        let key: _RSA.Signing.PublicKey
        switch keys.platform.source {
        case .publicKey(let id, let publicKey):
            guard signed.serial == id else {
                return "the answer is signed with key \(signed.serial), not the configured WeChat Pay key \(id)"
            }
            key = publicKey
        case .certificates:
            let now = endpoint.clock.epochSeconds()
            var found = keys.platform.certificate(signed.serial, at: now)
            var listProblem: String?
            if found == nil, keys.platform.mayRefetch(for: signed.serial) {
                do {
                    try await refreshCertificates(keys)
                } catch {
                    listProblem = "\(error)"
                }
                found = keys.platform.certificate(signed.serial, at: now)
            }
            guard let found else {
                return "the answer is signed with certificate \(signed.serial), which is not a valid platform certificate now"
                    + (listProblem.map { " (the certificate list could not be used: \($0))" } ?? "")
            }
            key = found.key
        }
        return check(answer, signed, with: key, name: keys.platform.name)
    }

    /// The signature headers of an answer.
    static func signedHeaders(_ answer: HTTPExchange.Answer) -> (timestamp: String, nonce: String, signature: String, serial: String)? {
        let headers = answer.headers
        guard let timestamp = headers.first(name: "Wechatpay-Timestamp"), let nonce = headers.first(name: "Wechatpay-Nonce"),
            let signature = headers.first(name: "Wechatpay-Signature"), let serial = headers.first(name: "Wechatpay-Serial")
        else { return nil }
        return (timestamp, nonce, signature, serial)
    }

    /// Why a signed answer does not verify with `key`: its timestamp is more than five minutes
    /// from now, or its signature does not cover its body; `nil` when it verifies.
    func check(
        _ answer: HTTPExchange.Answer, _ signed: (timestamp: String, nonce: String, signature: String, serial: String),
        with key: _RSA.Signing.PublicKey, name: String
    ) -> String? {
        guard let seconds = Int64(signed.timestamp), abs(endpoint.clock.epochSeconds() - seconds) < Self.maxClockSkew else {
            return "the answer's timestamp \(signed.timestamp) is more than five minutes from now"
        }
        let message = WeChatPaySignature.responseMessage(timestamp: signed.timestamp, nonce: signed.nonce, body: answer.body)
        guard WeChatPaySignature.isValid(signed.signature, for: message, with: key) else {
            return "the answer's signature does not verify with \(name)"
        }
        return nil
    }

    static func errorBody(_ body: [UInt8]) -> (code: String?, message: String?)? {
        guard case .success(let failure) = ProviderJSON.decode(WeChatPayWire.Failure.self, from: body) else { return nil }
        return (failure.code, failure.message)
    }

    /// An amount in minor units from one field of an amount object, with the object's `currency`
    /// (CNY when absent); `nil` when the answer has none.
    /// - Throws: ``InvalidAnswer`` when the amount is not one an order can have, or its currency
    ///   is not an ISO 4217 code.
    private static func money(_ amount: WeChatPayWire.Amount?, _ field: KeyPath<WeChatPayWire.Amount, Int64?>, _ name: String) throws -> Money? {
        guard let amount, let minor = amount[keyPath: field] else { return nil }
        var currency = Currency.cny
        if let code = amount.currency {
            guard let parsed = Currency(code: code) else { throw InvalidAnswer("amount.currency '\(code)' is not an ISO 4217 code") }
            currency = parsed
        }
        let money = Money(minorUnits: minor, currency: currency)
        guard money.isValidAmount else { throw InvalidAnswer("amount.\(name) \(minor) is not a \(Money.validAmountText)") }
        return money
    }

}
