import Crypto
import Foundation
import GatewayProvider
import HTTPTypes
import Hummingbird
import NIOCore
import ReconClock
import ReconCore
import ReconProviders
import SimulatorKit

/// The gateway's API as the simulator serves it (docs/gateway-api.md): `POST /api/v1/order/query`,
/// `POST /api/v1/refund/query` and `GET /api/v1/bill/file?merchantNo=&billDate=`, each request and
/// answer signed with the merchant's secret.
struct GatewayRoutes: Sendable {
    let server: SimulatorServer
    var state: SimulatorState { server.state }
    var keys: SimulatorKeyRing { server.keys }
    var clock: any RunClock { server.clock }

    enum Route { case order, refund, bill }

    func register(on group: RouterGroup<SimulatorContext>) {
        group.post("/api/v1/order/query") { request, context in await answer(request, context, route: .order) }
        group.post("/api/v1/refund/query") { request, context in await answer(request, context, route: .refund) }
        group.get("/api/v1/bill/file") { request, context in await answer(request, context, route: .bill) }
    }

    func answer(_ request: Request, _ context: SimulatorContext, route: Route) async -> Response {
        let fault = context.fault
        let requestID = request.headers[HTTPField.Name("X-Request-Id")!] ?? ""
        let body = (try? await request.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
        guard let merchant = request.headers[HTTPField.Name("X-Merchant-No")!],
            let secret = keys.key(keys.folder.gatewaySecret(merchant), read: KeyFile.secret(at:))
        else {
            return gatewayPlainCode("C03", "Merchant does not exist or is disabled", requestID: requestID)
        }
        let bad = fault == .badSignature
        func answer(_ code: String, _ message: String, data: GatewayWire.Transaction? = nil, status: HTTPResponse.Status = .ok) -> Response {
            let bytes = ProviderJSON.encode(GatewayWire.Answer(code: code, msg: message, data: data))
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
        switch route {
        case .order:
            guard let query = try? ProviderJSON.decode(GatewayWire.OrderQuery.self, from: body).get(), query.merchantNo == merchant else {
                return answer("C01", "Request parameter missing")
            }
            guard let order = await state.order("gateway", merchant, query.outTradeNo) else {
                return answer("C12", "Order does not exist")
            }
            return answer(
                "0", "success",
                data: GatewayWire.Transaction(
                    outTradeNo: order.outTradeNo, transactionStatus: order.state, currency: order.currency,
                    amount: Self.decimal(order.amountMinor, currency: order.currency), transactionId: order.transactionID,
                    successTime: order.successTime))
        case .refund:
            guard let query = try? ProviderJSON.decode(GatewayWire.RefundQuery.self, from: body).get(), query.merchantNo == merchant else {
                return answer("C01", "Request parameter missing")
            }
            guard let refund = await state.refund("gateway", merchant, query.outRefundNo) else {
                return answer("C12", "Order does not exist")
            }
            return answer(
                "0", "success",
                data: GatewayWire.Transaction(
                    outTradeNo: refund.outTradeNo, outRefundNo: refund.outRefundNo, transactionStatus: refund.state,
                    currency: refund.currency, amount: Self.decimal(refund.amountMinor, currency: refund.currency),
                    transactionId: refund.refundID, successTime: refund.successTime))
        case .bill:
            let day = request.uri.queryParameters.get("billDate").map { String($0) } ?? ""
            guard request.uri.queryParameters.get("merchantNo").map({ String($0) }) == merchant, CivilDate(day) != nil else {
                return answer("C01", "Request parameter missing")
            }
            guard let bill = await state.bill("gateway", merchant, day), !(await state.stillCreating("gateway|\(merchant)|\(day)")),
                let data = SimulatorServer.billBytes(bill)
            else { return answer("C12", "Bill not published yet") }
            let bytes = SimulatorServer.faulted(data, faults: state.faults)
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
        let body = ProviderJSON.encode(GatewayWire.Answer(code: code, msg: message))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
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
