import AlipayProvider
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReconClock
import ReconCore
import ReconProviders
import SimulatorKit

/// Alipay's gateway as the simulator serves it: `POST /gateway.do` dispatched by `method`
/// (`alipay.trade.query`, `alipay.trade.fastpay.refund.query`,
/// `alipay.data.dataservice.bill.downloadurl.query`), and `GET /downloadBillFile.resource?token=`,
/// whose links expire 30 seconds after the query. Requests must be signed by an app whose public
/// key is in the keys folder; answers are signed with the platform key over their `…_response` text.
struct AlipayRoutes: Sendable {
    static let gateway = "/gateway.do"
    static let download = "/downloadBillFile.resource"

    let server: SimulatorServer
    /// The key answers are signed with.
    let platformKey: _RSA.Signing.PrivateKey
    var state: SimulatorState { server.state }
    var clock: any RunClock { server.clock }

    /// The common parameters of a gateway call.
    struct Form: Decodable {
        var appID: String?
        var method: String?
        var signType: String?
        var timestamp: String?
        var charset: String?
        var format: String?
        var version: String?
        var bizContent: String?
        var sign: String?

        enum CodingKeys: String, CodingKey {
            case appID = "app_id", method, signType = "sign_type", timestamp, charset, format, version, bizContent = "biz_content", sign
        }

        /// The parameters the signature covers, by name.
        var signed: [String: String] {
            var parameters: [String: String] = [:]
            for (key, value) in [
                ("app_id", appID), ("method", method), ("sign_type", signType), ("timestamp", timestamp), ("charset", charset),
                ("format", format), ("version", version), ("biz_content", bizContent),
            ] { parameters[key] = value }
            return parameters
        }
    }

    func register(on group: RouterGroup<SimulatorContext>) {
        group.post("/gateway.do") { request, context in await answer(request, context) }
        group.get("/downloadBillFile.resource") { request, _ in await download(request) }
    }

    func answer(_ request: Request, _ context: SimulatorContext) async -> Response {
        let bytes = (try? await request.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        guard let form = try? URLEncodedFormDecoder().decode(Form.self, from: bytes), let method = form.method, let app = form.appID else {
            return signed("alipay.unknown", AlipayWire.Status(code: "40001", msg: "Missing Required Arguments", subCode: "isv.missing-method"), bad: false)
        }
        let bad = context.fault == .badSignature
        guard let key = server.keys.key(server.keys.folder.alipayAppPublicKey(app), read: KeyFile.publicKey(at:)) else {
            return signed(method, AlipayWire.Status(code: "40002", msg: "Invalid Arguments", subCode: "isv.invalid-app-id"), bad: bad)
        }
        guard let sign = form.sign, AlipaySignature.isValid(sign, for: Array(AlipaySignature.content(of: form.signed).utf8), with: key) else {
            return signed(method, AlipayWire.Status(code: "40002", msg: "Invalid Arguments", subCode: "isv.invalid-signature"), bad: bad)
        }
        let pid = SimulatorKeys.alipayPID(forApp: app)
        let content = Array((form.bizContent ?? "{}").utf8)
        if method != "alipay.data.dataservice.bill.downloadurl.query", !(await state.admit("alipay/\(pid)", now: clock.uptime())) {
            return server.plain(.tooManyRequests, "429 Too Many Requests")
        }
        switch context.fault {
        case .tooMany: return server.plain(.tooManyRequests, "429 Too Many Requests")
        case .errorCode: return signed(method, AlipayWire.Status(code: "20000", msg: "Service Currently Unavailable", subCode: "isp.unknow-error"), bad: bad)
        default: break
        }
        switch method {
        case "alipay.trade.query":
            guard let query = try? ProviderJSON.decode(AlipayWire.TradeQuery.self, from: content).get() else { return invalid(method, bad) }
            guard let order = await state.order("alipay", pid, query.outTradeNo) else {
                return signed(method, AlipayWire.Trade(code: "40004", msg: "Business Failed", subCode: "ACQ.TRADE_NOT_EXIST", subMsg: "交易不存在", outTradeNo: query.outTradeNo), bad: bad)
            }
            return signed(
                method,
                AlipayWire.Trade(
                    code: "10000", msg: "Success", outTradeNo: order.outTradeNo, tradeNo: order.transactionID, tradeStatus: order.state,
                    totalAmount: Money(minorUnits: order.amountMinor, currency: .cny).amountText,
                    sendPayDate: order.successTime.flatMap(Self.beijing)),
                bad: bad)
        case "alipay.trade.fastpay.refund.query":
            guard let query = try? ProviderJSON.decode(AlipayWire.RefundQuery.self, from: content).get() else { return invalid(method, bad) }
            guard let refund = await state.refund("alipay", pid, query.outRequestNo), refund.outTradeNo == query.outTradeNo else {
                return signed(method, AlipayWire.Refund(code: "10000", msg: "Success", outRequestNo: query.outRequestNo), bad: bad)
            }
            return signed(
                method,
                AlipayWire.Refund(
                    code: "10000", msg: "Success", outRequestNo: refund.outRefundNo, refundStatus: refund.state == "SUCCESS" ? "REFUND_SUCCESS" : nil,
                    refundAmount: Money(minorUnits: refund.amountMinor, currency: .cny).amountText, tradeNo: refund.refundID,
                    gmtRefundPay: refund.successTime.flatMap(Self.beijing)),
                bad: bad)
        case "alipay.data.dataservice.bill.downloadurl.query":
            guard let query = try? ProviderJSON.decode(AlipayWire.BillQuery.self, from: content).get(), query.billType == "trade" else {
                return invalid(method, bad)
            }
            guard let bill = await state.bill("alipay", pid, query.billDate) else {
                return signed(method, AlipayWire.BillLink(code: "40004", msg: "Business Failed", subCode: "isp.bill_not_exist", subMsg: "账单不存在"), bad: bad)
            }
            let token = await state.token(for: bill, at: clock.uptime(), validFor: 30)
            let host = request.head.authority ?? "127.0.0.1"
            return signed(
                method, AlipayWire.BillLink(code: "10000", msg: "Success", billDownloadUrl: "http://\(host)\(Self.download)?token=\(token)"), bad: bad)
        default:
            return signed(method, AlipayWire.Status(code: "40002", msg: "Invalid Arguments", subCode: "isv.invalid-method"), bad: bad)
        }
    }

    /// The ZIP of a link that has not expired; Alipay's page "下载超时" after 30 seconds.
    func download(_ request: Request) async -> Response {
        guard let token = request.uri.queryParameters.get("token").map({ String($0) }),
            let bill = await state.bill(forToken: token, at: clock.uptime()),
            let data = FileManager.default.contents(atPath: bill.path)
        else {
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "<html><body>下载超时，请重新下载</body></html>")))
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: SimulatorServer.faulted(Array(data), faults: state.faults))))
    }

    func invalid(_ method: String, _ bad: Bool) -> Response {
        signed(method, AlipayWire.Status(code: "40002", msg: "Invalid Arguments", subCode: "ACQ.INVALID_PARAMETER"), bad: bad)
    }

    /// `{"<method>_response":<answer>,"sign":"…"}`, the sign over the answer's exact text.
    func signed(_ method: String, _ answer: some Encodable, bad: Bool) -> Response {
        let text = ProviderJSON.encode(answer)
        let sign = (try? AlipaySignature.sign(bad ? text + [0x20] : text, with: platformKey)) ?? ""
        let body = Array("{\"\(AlipayWire.responseKey(of: method))\":".utf8) + text + Array(",\"sign\":\"\(sign)\"}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An RFC 3339 time as the gateway writes it: Beijing, no offset.
    static func beijing(_ rfc3339: String) -> String? {
        Timestamp(rfc3339: rfc3339).map { AlipayWire.timestamp(epochSeconds: $0.epochSeconds) }
    }
}
