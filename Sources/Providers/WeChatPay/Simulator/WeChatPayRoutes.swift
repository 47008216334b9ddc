import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import SimulatorKit
import WeChatPayProvider

/// WeChat Pay APIv3 as the simulator serves it: `GET /v3/pay/transactions/out-trade-no/{no}?mchid=`,
/// `GET /v3/combine-transactions/out-trade-no/{no}`, `GET /v3/refund/domestic/refunds/{no}`,
/// `GET /v3/bill/tradebill?bill_date=&bill_type=&tar_type=` and `GET /v3/billdownload/file?token=`.
/// Requests must be signed by a merchant whose public key is in the keys folder; answers are signed
/// with the platform key.
struct WeChatPayRoutes: Sendable {
    let server: SimulatorServer
    /// The key answers are signed with.
    let platformKey: _RSA.Signing.PrivateKey
    /// The platform certificate of that key, for merchants that verify with certificates.
    let certificate: WeChatPayPlatformCertificate
    /// The key id answers name in `Wechatpay-Serial`: the public key's id, or the certificate's
    /// serial for a merchant with an APIv3 key in the keys folder.
    @TaskLocal static var serial = SimulatorKeys.platformKeyID
    var state: SimulatorState { server.state }
    var keys: SimulatorKeyRing { server.keys }
    var clock: any RunClock { server.clock }

    enum Route { case order, partnerOrder, combine, refund, billApply, billDownload, certificates }

    func register(on group: RouterGroup<SimulatorContext>) {
        group.get("/v3/pay/transactions/out-trade-no/:key") { request, context in await answer(request, context, route: .order) }
        group.get("/v3/pay/partner/transactions/out-trade-no/:key") { request, context in
            await answer(request, context, route: .partnerOrder)
        }
        group.get("/v3/combine-transactions/out-trade-no/:key") { request, context in await answer(request, context, route: .combine) }
        group.get("/v3/refund/domestic/refunds/:key") { request, context in await answer(request, context, route: .refund) }
        group.get("/v3/bill/tradebill") { request, context in await answer(request, context, route: .billApply) }
        group.get("/v3/billdownload/file") { request, context in await answer(request, context, route: .billDownload) }
        group.get("/v3/certificates") { request, context in await answer(request, context, route: .certificates) }
    }

    func answer(_ request: Request, _ context: SimulatorContext, route: Route) async -> Response {
        let fault = context.fault
        // The request must be signed by a known merchant.
        guard let authorization = request.headers[.authorization],
            let fields = WeChatPaySignature.parseAuthorization(authorization), let merchant = fields["mchid"],
            let nonce = fields["nonce_str"], let stamp = fields["timestamp"], let signature = fields["signature"],
            let timestamp = Int64(stamp)
        else {
            return wechatError(.unauthorized, "SIGN_ERROR", "Authorization 头缺失或格式错误", bad: fault == .badSignature)
        }
        guard let merchantKey = keys.key(keys.folder.wechatPublicKey(merchant), read: KeyFile.publicKey(at:)) else {
            return wechatError(.badRequest, "MCH_NOT_EXISTS", "商户号不存在", bad: fault == .badSignature)
        }
        let message = WeChatPaySignature.requestMessage(
            method: "GET", canonicalURL: request.uri.string, timestamp: timestamp, nonce: nonce, body: [UInt8]())
        guard abs(clock.epochSeconds() - timestamp) < WeChatPayClient.maxClockSkew,
            WeChatPaySignature.isValid(signature, for: message, with: merchantKey)
        else {
            return wechatError(.unauthorized, "SIGN_ERROR", "签名错误", bad: fault == .badSignature)
        }
        let apiv3 = keys.key(keys.folder.wechatAPIv3Key(merchant), read: KeyFile.secret(at:))
        return await Self.$serial.withValue(apiv3 == nil ? SimulatorKeys.platformKeyID : certificate.serial) {
            await respond(request, context, route: route, merchant: merchant, apiv3: apiv3)
        }
    }

    /// The answer to a request signed by `merchant`, whose APIv3 key is `apiv3` when it has one.
    func respond(_ request: Request, _ context: SimulatorContext, route: Route, merchant: String, apiv3: SymmetricKey?) async -> Response {
        let fault = context.fault
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
        // The sub-merchant a service provider asks about (`sub_mchid`), if any.
        let subMerchant = request.uri.queryParameters.get("sub_mchid").map { String($0) }
        switch route {
        case .order:
            guard let order = await state.order("wechatpay", merchant, key),
                request.uri.queryParameters.get("mchid") == merchant
            else { return wechatError(.notFound, "ORDER_NOT_EXIST", "订单不存在", bad: bad) }
            return wechatJSON(Self.transaction(order, merchant: merchant), bad: bad)
        case .partnerOrder:
            // The service provider signs; the order is its sub-merchant's.
            guard request.uri.queryParameters.get("sp_mchid") == merchant, let sub = subMerchant,
                let order = await state.order("wechatpay", sub, key)
            else { return wechatError(.notFound, "ORDER_NOT_EXIST", "订单不存在", bad: bad) }
            return wechatJSON(Self.transaction(order, merchant: sub), bad: bad)
        case .combine:
            let members = await state.combine("wechatpay", key)
            guard !members.isEmpty else { return wechatError(.notFound, "ORDER_NOT_EXIST", "订单不存在", bad: bad) }
            return wechatJSON(
                WeChatPayWire.Combine(
                    combineAppid: "wxd678efh567hg6787", combineMchid: merchant, combineOutTradeNo: key,
                    subOrders: members.map { Self.subOrder($0, signer: merchant) }), bad: bad)
        case .refund:
            guard let refund = await state.refund("wechatpay", subMerchant ?? merchant, key) else {
                return wechatError(.notFound, "RESOURCE_NOT_EXISTS", "退款单不存在", bad: bad)
            }
            return wechatJSON(
                WeChatPayWire.Refund(
                    outRefundNo: refund.outRefundNo, outTradeNo: refund.outTradeNo, refundId: refund.refundID ?? "50000000" + refund.outRefundNo,
                    status: refund.state, successTime: refund.successTime,
                    amount: WeChatPayWire.Amount(refund: refund.amountMinor, currency: refund.currency)), bad: bad)
        case .billApply:
            let day = request.uri.queryParameters.get("bill_date").map { String($0) } ?? ""
            guard CivilDate(day) != nil else { return wechatError(.badRequest, "PARAM_ERROR", "bill_date 格式错误", bad: bad) }
            guard let bill = await state.bill("wechatpay", subMerchant ?? merchant, day) else {
                return wechatError(.badRequest, "NO_STATEMENT_EXIST", "请求的账单文件不存在", bad: bad)
            }
            if await state.stillCreating("wechatpay|\(merchant)|\(day)") {
                return wechatError(.badRequest, "STATEMENT_CREATING", "账单生成中", bad: bad)
            }
            guard let data = SimulatorServer.billBytes(bill) else {
                return wechatError(.internalServerError, "SYSTEM_ERROR", "系统异常,请稍后重试", bad: bad)
            }
            let token = await state.token(for: bill)
            let gzip = request.uri.queryParameters.get("tar_type") == "GZIP"
            let host = request.head.authority ?? "127.0.0.1"
            return wechatJSON(
                WeChatPayWire.BillLink(
                    hashType: "SHA1", hashValue: Insecure.SHA1.hash(data: data).hexString,
                    downloadUrl: "http://\(host)/v3/billdownload/file?token=\(token)\(gzip ? "&tartype=gzip" : "")"), bad: bad)
        case .certificates:
            guard let apiv3 else { return wechatError(.forbidden, "NO_AUTH", "商户未设置APIv3密钥", bad: bad) }
            return wechatJSON(certificate.list(sealedWith: apiv3), bad: bad)
        case .billDownload:
            guard let token = request.uri.queryParameters.get("token").map({ String($0) }),
                let bill = await state.bill(forToken: token), let data = SimulatorServer.billBytes(bill)
            else { return wechatError(.badRequest, "INVALID_REQUEST", "下载链接已失效", bad: false) }
            var bytes = SimulatorServer.faulted(data, faults: state.faults)
            let gzip = request.uri.queryParameters.get("tartype") == "gzip"
            if gzip { bytes = Gzip.compress(bytes) }
            var headers = HTTPFields()
            headers[.contentType] = gzip ? "application/x-gzip" : "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func transaction(_ order: Scenario.Order, merchant: String) -> WeChatPayWire.Transaction {
        let paid = WeChatPayClient.orderState(order.state) == .paid
        return WeChatPayWire.Transaction(
            appid: "wxd678efh567hg6787", mchid: merchant, outTradeNo: order.outTradeNo, tradeState: order.state,
            tradeStateDesc: stateText(order.state), tradeType: paid ? "JSAPI" : nil,
            transactionId: paid ? order.transactionID ?? "42000000" + order.outTradeNo : nil, successTime: paid ? order.successTime : nil,
            amount: WeChatPayWire.Amount(
                total: order.amountMinor, payerTotal: paid ? order.amountMinor : nil, currency: paid ? order.currency : nil,
                payerCurrency: order.currency))
    }

    /// A combine answer's sub-order; one of a sub-merchant, in a service provider's (`signer`'s)
    /// combine payment, names both.
    static func subOrder(_ order: Scenario.Order, signer: String) -> WeChatPayWire.Transaction {
        let paid = WeChatPayClient.orderState(order.state) == .paid
        let partner = order.merchantID != signer
        return WeChatPayWire.Transaction(
            mchid: partner ? signer : order.merchantID, subMchid: partner ? order.merchantID : nil, outTradeNo: order.outTradeNo, tradeState: order.state, tradeType: "JSAPI",
            transactionId: paid ? order.transactionID ?? "42000000" + order.outTradeNo : nil, successTime: paid ? order.successTime : nil,
            amount: WeChatPayWire.Amount(
                totalAmount: order.amountMinor, payerAmount: order.amountMinor, currency: order.currency, payerCurrency: order.currency))
    }

    static func stateText(_ state: String) -> String {
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

    func wechatJSON(_ body: some Encodable, bad: Bool) -> Response {
        signedWeChat(.ok, ProviderJSON.encode(body), bad: bad)
    }

    func wechatError(_ status: HTTPResponse.Status, _ code: String, _ message: String, bad: Bool) -> Response {
        signedWeChat(status, ProviderJSON.encode(WeChatPayWire.Failure(code: code, message: message)), bad: bad)
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
        headers[HTTPField.Name("Wechatpay-Serial")!] = Self.serial
        headers[HTTPField.Name("Wechatpay-Signature-Type")!] = WeChatPaySignature.scheme
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
