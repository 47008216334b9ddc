import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import UnixSignals
import NIOCore
import ReconClock
import ReconBills
import ReconCore
import ReconProviders

/// Serves WeChat Pay APIv3 and the gateway's API on loopback from a scenario, signing answers the
/// way the providers do and injecting the faults asked for.
///
/// WeChat Pay: `GET /v3/pay/transactions/out-trade-no/{no}?mchid=`, `GET /v3/combine-transactions/out-trade-no/{no}`,
/// `GET /v3/refund/domestic/refunds/{no}`, `GET /v3/bill/tradebill?bill_date=&bill_type=&tar_type=` and
/// `GET /v3/billdownload/file?token=`. The gateway: `POST /api/v1/order/query`, `POST /api/v1/refund/query`
/// and `GET /api/v1/bill/file?merchantNo=&billDate=` (docs/gateway-api.md).
public struct ProviderSimulator: Sendable {
    let state: SimulatorState
    let keys: SimulatorKeys
    let platformKey: _RSA.Signing.PrivateKey
    let clock: any RunClock

    /// Creates a simulator; reads the platform key from `keys`.
    public init(
        scenario: Scenario, keys: SimulatorKeys, faults: Faults = Faults(), seed: UInt64 = 1,
        clock: any RunClock
    ) throws {
        self.state = SimulatorState(scenario: scenario, faults: faults, seed: seed)
        self.keys = keys
        self.platformKey = try KeyFile.privateKey(at: keys.platformPrivateKey)
        self.clock = clock
    }

    /// Counters of what was served.
    public var counters: (requests: Int, rateLimited: Int, faulted: Int) {
        get async { await state.counters }
    }

    /// Serves until the task is cancelled.
    /// - Parameters:
    ///   - host: The address to listen on: `127.0.0.1` or `::1`.
    ///   - port: The port, or 0 for any free one.
    ///   - stopOnSignals: Whether SIGTERM and SIGINT stop the server gracefully (for the executable).
    ///   - onReady: Called with the port once the server listens.
    public func run(
        host: String = "127.0.0.1", port: Int = 0, stopOnSignals: Bool = false, onReady: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let router = Router()
        let simulator = self
        router.get("/v3/pay/transactions/out-trade-no/:key") { request, context in
            await simulator.wechat(request, context, route: .order)
        }
        router.get("/v3/combine-transactions/out-trade-no/:key") { request, context in
            await simulator.wechat(request, context, route: .combine)
        }
        router.get("/v3/refund/domestic/refunds/:key") { request, context in
            await simulator.wechat(request, context, route: .refund)
        }
        router.get("/v3/bill/tradebill") { request, context in await simulator.wechat(request, context, route: .billApply) }
        router.get("/v3/billdownload/file") { request, context in await simulator.wechat(request, context, route: .billDownload) }
        router.post("/api/v1/order/query") { request, context in await simulator.gateway(request, context, route: .order) }
        router.post("/api/v1/refund/query") { request, context in await simulator.gateway(request, context, route: .refund) }
        router.get("/api/v1/bill/file") { request, context in await simulator.gateway(request, context, route: .bill) }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "provider-sim"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) },
            logger: Logger(label: "provider-sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService(gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [])
    }

    // MARK: - WeChat Pay

    enum WeChatRoute { case order, combine, refund, billApply, billDownload }

    func wechat(_ request: Request, _ context: BasicRequestContext, route: WeChatRoute) async -> Response {
        let faults = state.faults
        if faults.latencyMilliseconds > 0 { try? await clock.sleep(seconds: Double(faults.latencyMilliseconds) / 1_000) }
        let fault = route == .billDownload ? nil : await state.nextFault()
        switch fault {
        case .timeout:
            try? await Task.sleep(for: .seconds(3_600))
            return Response(status: .gatewayTimeout)
        case .serverError:
            return plain(.badGateway, "502 Bad Gateway")
        case .slow:
            try? await clock.sleep(seconds: Double(faults.slowDelayMilliseconds) / 1_000)
        default: break
        }
        // The request must be signed by a known merchant.
        guard let authorization = request.headers[.authorization],
            let fields = WeChatPaySignature.parseAuthorization(authorization), let merchant = fields["mchid"],
            let nonce = fields["nonce_str"], let stamp = fields["timestamp"], let signature = fields["signature"],
            let timestamp = Int64(stamp)
        else {
            return wechatError(.unauthorized, "SIGN_ERROR", "Authorization 头缺失或格式错误", bad: fault == .badSignature)
        }
        guard let merchantKey = try? KeyFile.publicKey(at: keys.wechatPublicKey(merchant)) else {
            return wechatError(.badRequest, "MCH_NOT_EXISTS", "商户号不存在", bad: fault == .badSignature)
        }
        let message = WeChatPaySignature.requestMessage(
            method: "GET", canonicalURL: request.uri.string, timestamp: timestamp, nonce: nonce, body: [UInt8]())
        guard abs(clock.epochSeconds() - timestamp) < WeChatPayClient.maxClockSkew,
            WeChatPaySignature.isValid(signature, for: message, with: merchantKey)
        else {
            return wechatError(.unauthorized, "SIGN_ERROR", "签名错误", bad: fault == .badSignature)
        }
        if route != .billDownload, !(await state.admit("wechatpay/\(merchant)", now: clock.uptime())) {
            return wechatError(.tooManyRequests, "FREQUENCY_LIMITED", "频率超限", bad: false)
        }
        switch fault {
        case .tooMany: return wechatError(.tooManyRequests, "FREQUENCY_LIMITED", "频率超限", bad: false)
        case .errorCode: return wechatError(.internalServerError, "SYSTEM_ERROR", "系统异常,请稍后重试", bad: false)
        default: break
        }
        let bad = fault == .badSignature
        let key = (context.parameters.get("key") ?? "").removingPercentEncoding ?? ""
        switch route {
        case .order:
            guard let order = await state.order("wechatpay", merchant, key),
                request.uri.queryParameters.get("mchid") == merchant
            else { return wechatError(.notFound, "ORDER_NOT_EXIST", "订单不存在", bad: bad) }
            return wechatJSON(Self.wechatTransaction(order, merchant: merchant), bad: bad)
        case .combine:
            let members = await state.combine("wechatpay", key)
            guard !members.isEmpty else { return wechatError(.notFound, "ORDER_NOT_EXIST", "订单不存在", bad: bad) }
            return wechatJSON(
                [
                    "combine_appid": "wxd678efh567hg6787", "combine_mchid": merchant, "combine_out_trade_no": key,
                    "sub_orders": members.map { Self.wechatSubOrder($0) },
                ], bad: bad)
        case .refund:
            guard let refund = await state.refund("wechatpay", merchant, key) else {
                return wechatError(.notFound, "RESOURCE_NOT_EXISTS", "退款单不存在", bad: bad)
            }
            var body: [String: Any] = [
                "out_refund_no": refund.outRefundNo, "out_trade_no": refund.outTradeNo, "status": refund.state,
                "refund_id": refund.refundID ?? "50000000" + refund.outRefundNo,
                "amount": ["refund": refund.amountMinor, "currency": refund.currency],
            ]
            if let time = refund.successTime { body["success_time"] = time }
            return wechatJSON(body, bad: bad)
        case .billApply:
            let day = request.uri.queryParameters.get("bill_date").map { String($0) } ?? ""
            guard CivilDate(day) != nil else { return wechatError(.badRequest, "PARAM_ERROR", "bill_date 格式错误", bad: bad) }
            guard let bill = await state.bill("wechatpay", merchant, day) else {
                return wechatError(.badRequest, "NO_STATEMENT_EXIST", "请求的账单文件不存在", bad: bad)
            }
            if await state.stillCreating("wechatpay|\(merchant)|\(day)") {
                return wechatError(.badRequest, "STATEMENT_CREATING", "账单生成中", bad: bad)
            }
            guard let data = Self.billBytes(bill) else {
                return wechatError(.internalServerError, "SYSTEM_ERROR", "系统异常,请稍后重试", bad: bad)
            }
            let token = await state.token(for: bill)
            let gzip = request.uri.queryParameters.get("tar_type") == "GZIP"
            let host = request.head.authority ?? "127.0.0.1"
            return wechatJSON(
                [
                    "hash_type": "SHA1", "hash_value": Insecure.SHA1.hash(data: data).hexString,
                    "download_url": "http://\(host)/v3/billdownload/file?token=\(token)\(gzip ? "&tartype=gzip" : "")",
                ], bad: bad)
        case .billDownload:
            guard let token = request.uri.queryParameters.get("token").map { String($0) },
                let bill = await state.bill(forToken: token), let data = Self.billBytes(bill)
            else { return wechatError(.badRequest, "INVALID_REQUEST", "下载链接已失效", bad: false) }
            var bytes = Self.faulted(data, faults: faults)
            let gzip = request.uri.queryParameters.get("tartype") == "gzip"
            if gzip { bytes = Gzip.compress(bytes) }
            var headers = HTTPFields()
            headers[.contentType] = gzip ? "application/x-gzip" : "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func wechatTransaction(_ order: Scenario.Order, merchant: String) -> [String: Any] {
        var body: [String: Any] = [
            "appid": "wxd678efh567hg6787", "mchid": merchant, "out_trade_no": order.outTradeNo, "trade_state": order.state,
            "trade_state_desc": wechatStateText(order.state), "attach": "", "promotion_detail": [[String: Any]](),
        ]
        let paid = order.state == "SUCCESS" || order.state == "REFUND"
        var amount: [String: Any] = ["total": order.amountMinor, "payer_currency": order.currency]
        if paid {
            amount["currency"] = order.currency
            amount["payer_total"] = order.amountMinor
            body["transaction_id"] = order.transactionID ?? "42000000" + order.outTradeNo
            body["trade_type"] = "JSAPI"
            body["bank_type"] = "OTHERS"
            body["payer"] = ["openid": "o4GgauJP_mgWEWictzA15WT15XXX"]
            if let time = order.successTime { body["success_time"] = time }
        } else {
            body["scene_info"] = ["device_id": ""]
        }
        body["amount"] = amount
        return body
    }

    static func wechatSubOrder(_ order: Scenario.Order) -> [String: Any] {
        var sub: [String: Any] = [
            "mchid": order.merchantID, "out_trade_no": order.outTradeNo, "trade_state": order.state, "trade_type": "JSAPI",
            "attach": "",
            "amount": [
                "total_amount": order.amountMinor, "payer_amount": order.amountMinor, "currency": order.currency,
                "payer_currency": order.currency,
            ] as [String: Any],
        ]
        if order.state == "SUCCESS" || order.state == "REFUND" {
            sub["transaction_id"] = order.transactionID ?? "42000000" + order.outTradeNo
            if let time = order.successTime { sub["success_time"] = time }
        }
        return sub
    }

    static func wechatStateText(_ state: String) -> String {
        switch state {
        case "SUCCESS": "支付成功"
        case "REFUND": "转入退款"
        case "NOTPAY": "订单未支付"
        case "CLOSED": "已关闭"
        case "REVOKED": "已撤销"
        case "USERPAYING": "用户支付中"
        case "PAYERROR": "支付失败"
        default: state
        }
    }

    func wechatJSON(_ object: [String: Any], bad: Bool) -> Response {
        signedWeChat(.ok, Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()), bad: bad)
    }

    func wechatError(_ status: HTTPResponse.Status, _ code: String, _ message: String, bad: Bool) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["code": code, "message": message], options: [.sortedKeys])) ?? Data()
        return signedWeChat(status, Array(body), bad: bad)
    }

    /// An answer signed with the platform key; with `bad`, the signature covers other bytes.
    func signedWeChat(_ status: HTTPResponse.Status, _ body: [UInt8], bad: Bool) -> Response {
        let timestamp = String(clock.epochSeconds())
        let nonce = WeChatPaySignature.nonce()
        let signed = bad ? body + Array(" ".utf8) : body
        let signature = (try? WeChatPaySignature.sign(
            WeChatPaySignature.responseMessage(timestamp: timestamp, nonce: nonce, body: signed), with: platformKey)) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("Request-ID")!] = UUID().uuidString
        headers[HTTPField.Name("Wechatpay-Timestamp")!] = timestamp
        headers[HTTPField.Name("Wechatpay-Nonce")!] = nonce
        headers[HTTPField.Name("Wechatpay-Signature")!] = signature
        headers[HTTPField.Name("Wechatpay-Serial")!] = SimulatorKeys.platformKeyID
        headers[HTTPField.Name("Wechatpay-Signature-Type")!] = WeChatPaySignature.scheme
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A bill file's bytes, unpacked when the file is gzip.
    static func billBytes(_ bill: Scenario.Bill) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: bill.path) else { return nil }
        let bytes = Array(data)
        return Gzip.isCompressed(bytes) ? try? Gzip.decompress(bytes, name: bill.path) : bytes
    }

    /// A bill as the faults leave it: cut before its summary, or with one amount changed.
    static func faulted(_ bytes: [UInt8], faults: Faults) -> [UInt8] {
        var bytes = bytes
        // The first digit 1–8 after the header line becomes one more.
        let body = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
        if faults.tamperBills, let digit = bytes[body...].firstIndex(where: { $0 >= 0x31 && $0 <= 0x38 }) {
            bytes[digit] += 1
        }
        if faults.truncateBills { bytes = Array(bytes.prefix(bytes.count * 2 / 3)) }
        return bytes
    }

    func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: - Gateway

    enum GatewayRoute { case order, refund, bill }

    func gateway(_ request: Request, _ context: BasicRequestContext, route: GatewayRoute) async -> Response {
        let faults = state.faults
        if faults.latencyMilliseconds > 0 { try? await clock.sleep(seconds: Double(faults.latencyMilliseconds) / 1_000) }
        let fault = route == .bill ? nil : await state.nextFault()
        switch fault {
        case .timeout:
            try? await Task.sleep(for: .seconds(3_600))
            return Response(status: .gatewayTimeout)
        case .serverError:
            return plain(.serviceUnavailable, "503 Service Unavailable")
        case .slow:
            try? await clock.sleep(seconds: Double(faults.slowDelayMilliseconds) / 1_000)
        default: break
        }
        let requestID = request.headers[HTTPField.Name("X-Request-Id")!] ?? ""
        let body = (try? await request.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
        guard let merchant = request.headers[HTTPField.Name("X-Merchant-No")!],
            let secret = try? KeyFile.secret(at: keys.gatewaySecret(merchant))
        else {
            return gatewayPlainCode("C03", "Merchant does not exist or is disabled", requestID: requestID)
        }
        let bad = fault == .badSignature
        func answer(_ code: String, _ message: String, data: [String: Any]? = nil, status: HTTPResponse.Status = .ok) -> Response {
            var object: [String: Any] = ["code": code, "msg": message]
            if let data { object["data"] = data }
            let bytes = Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
            return signedGateway(status, bytes, requestID: requestID, secret: secret, bad: bad, contentType: "application/json")
        }
        guard let stamp = request.headers[HTTPField.Name("X-Timestamp")!], let timestamp = Int64(stamp),
            let signature = request.headers[HTTPField.Name("X-Signature")!], !requestID.isEmpty
        else { return answer("C01", "Request parameter missing") }
        let path = route == .bill ? request.uri.string : request.uri.path
        let message = GatewaySignature.requestMessage(
            method: request.method.rawValue, path: path, timestamp: timestamp, requestID: requestID, body: body)
        guard GatewaySignature.isValid(signature, for: message, secret: secret) else {
            return answer("S03", "Signature verification failed")
        }
        guard abs(clock.epochSeconds() - timestamp) <= GatewayClient.maxClockSkew else {
            return answer("S02", "Request timestamp deviation from server time too large")
        }
        guard await state.firstUse(of: requestID) else { return answer("S11", "Duplicate request") }
        if route != .bill, !(await state.admit("gateway/\(merchant)", now: clock.uptime())) {
            return answer("S04", "Interface call frequency exceeded", status: .tooManyRequests)
        }
        switch fault {
        case .tooMany: return answer("S04", "Interface call frequency exceeded", status: .tooManyRequests)
        case .errorCode:
            let code = await state.pick(["P01", "E01", "E02", "E03"])
            let text = ["P01": "Bank channel exception", "E01": "System busy, please try again later",
                        "E02": "Network timeout or error", "E03": "Unknown exception"][code]!
            return answer(code, text)
        default: break
        }
        let fields = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        switch route {
        case .order:
            guard let key = fields["outTradeNo"] as? String, fields["merchantNo"] as? String == merchant else {
                return answer("C01", "Request parameter missing")
            }
            guard let order = await state.order("gateway", merchant, key) else { return answer("C12", "Order does not exist") }
            var data: [String: Any] = [
                "outTradeNo": order.outTradeNo, "transactionStatus": order.state, "currency": order.currency,
                "amount": Self.decimal(order.amountMinor, currency: order.currency),
            ]
            if let id = order.transactionID { data["transactionId"] = id }
            if let time = order.successTime { data["successTime"] = time }
            return answer("0", "success", data: data)
        case .refund:
            guard let key = fields["outRefundNo"] as? String, fields["merchantNo"] as? String == merchant else {
                return answer("C01", "Request parameter missing")
            }
            guard let refund = await state.refund("gateway", merchant, key) else { return answer("C12", "Order does not exist") }
            var data: [String: Any] = [
                "outRefundNo": refund.outRefundNo, "outTradeNo": refund.outTradeNo, "transactionStatus": refund.state,
                "currency": refund.currency, "amount": Self.decimal(refund.amountMinor, currency: refund.currency),
            ]
            if let id = refund.refundID { data["transactionId"] = id }
            if let time = refund.successTime { data["successTime"] = time }
            return answer("0", "success", data: data)
        case .bill:
            let day = request.uri.queryParameters.get("billDate").map { String($0) } ?? ""
            guard request.uri.queryParameters.get("merchantNo").map { String($0) } == merchant, CivilDate(day) != nil else {
                return answer("C01", "Request parameter missing")
            }
            guard let bill = await state.bill("gateway", merchant, day), !(await state.stillCreating("gateway|\(merchant)|\(day)")),
                let data = Self.billBytes(bill)
            else { return answer("C12", "Bill not published yet") }
            let bytes = Self.faulted(data, faults: faults)
            var response = signedGateway(
                .ok, bytes, requestID: requestID, secret: secret, bad: bad, contentType: "text/csv; charset=utf-8")
            response.headers[HTTPField.Name("X-Content-SHA256")!] = SHA256.hash(data: data).hexString
            return response
        }
    }

    func signedGateway(
        _ status: HTTPResponse.Status, _ body: [UInt8], requestID: String, secret: SymmetricKey, bad: Bool, contentType: String
    ) -> Response {
        let timestamp = String(clock.epochSeconds())
        let signed = bad ? body + [0x20] : body
        let signature = GatewaySignature.sign(
            GatewaySignature.responseMessage(timestamp: timestamp, requestID: requestID, body: signed), secret: secret)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[HTTPField.Name("X-Timestamp")!] = timestamp
        headers[HTTPField.Name("X-Request-Id")!] = requestID
        headers[HTTPField.Name("X-Signature")!] = signature
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An unsigned refusal, for a merchant the simulator has no secret for.
    func gatewayPlainCode(_ code: String, _ message: String, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Request-Id")!] = requestID
        let body = (try? JSONSerialization.data(withJSONObject: ["code": code, "msg": message], options: [.sortedKeys])) ?? Data()
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(body))))
    }

    /// Minor units as a decimal string in major units.
    static func decimal(_ minor: Int64, currency code: String) -> String {
        let digits = Currency(code: code)?.minorUnitDigits ?? 2
        guard digits > 0 else { return String(minor) }
        let scale = Int64((0..<digits).reduce(1) { value, _ in value * 10 })
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        let fraction = String(magnitude % UInt64(scale))
        return "\(sign)\(magnitude / UInt64(scale)).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}
