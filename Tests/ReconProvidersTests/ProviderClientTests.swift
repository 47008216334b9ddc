import AsyncHTTPClient
import Crypto
import Foundation
import GatewayProvider
import NIOCore
import NIOHTTP1
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing
import WeChatPayProvider
import WeChatPaySimulator

@Suite("Provider clients against the simulator, over HTTP on loopback")
struct ProviderClientTests {
    static let wechat = MerchantRef(provider: .wechatPay, merchantID: "1900000109")
    static let gateway = MerchantRef(provider: .gateway, merchantID: "800100200")

    static func describe(_ reply: ProviderReply) -> String {
        switch reply.content {
        case .answer(let answer):
            "\(answer.state?.rawValue ?? "unknown") \(answer.providerWord) \(answer.amount.map { String($0.minorUnits) } ?? "-")"
        case .refused(let code, _): "refused \(code ?? "-") \(reply.httpStatus)"
        case .untrusted: "untrusted"
        }
    }

    @Test("WeChat Pay order, combine and refund queries map the provider's words, amounts and times")
    func wechatQueries() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await sim.withClients { client, _ in
                let paid = try await client.queryOrder(outTradeNo: "W-PAID", merchant: Self.wechat)
                #expect(Self.describe(paid) == "PAID SUCCESS 3300")
                #expect(paid.content == .answer(
                    ProviderAnswer(state: .paid, providerWord: "SUCCESS", amount: Money(minorUnits: 3300, currency: .cny),
                                   transactionID: "4200000001", time: Timestamp(rfc3339: "2026-11-20T09:00:02+08:00"))))
                #expect(paid.httpStatus == 200 && paid.bodySHA256.count == 64 && !paid.requestID.isEmpty)
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "W-NOTPAY", merchant: Self.wechat)) == "PENDING NOTPAY 1200")
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "W-CLOSED", merchant: Self.wechat)) == "CLOSED CLOSED 800")
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "W-ODD", merchant: Self.wechat)) == "unknown TELEPORTED 800")
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "NOPE", merchant: Self.wechat)) == "NOT_FOUND ORDER_NOT_EXIST -")
                let combine = try #require(try await client.queryCombine(combineOutTradeNo: "COMBINE-1", merchant: Self.wechat))
                guard case .answer(let answer) = combine.content else { Issue.record("combine: \(combine)"); return }
                #expect(answer.subOrders.map { "\($0.outTradeNo) \($0.merchantID) \($0.state?.rawValue ?? "-")" } == [
                    "C-1 1900000109 PAID", "C-2 1900000110 CLOSED",
                ])
                let refund = try await client.queryRefund(outRefundNo: "W-PAID-R1", outTradeNo: "W-PAID", merchant: Self.wechat)
                #expect(Self.describe(refund) == "REFUND_SUCCESS SUCCESS 1000")
                let missing = try await client.queryRefund(outRefundNo: "NOPE", outTradeNo: "W-PAID", merchant: Self.wechat)
                #expect(Self.describe(missing) == "NOT_FOUND RESOURCE_NOT_EXISTS -")
            }
        }
    }

    @Test("gateway order and refund queries read code, msg and data.transactionStatus")
    func gatewayQueries() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await sim.withClients { _, client in
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "G-PAID", merchant: Self.gateway)) == "PAID SUCCESS 12000")
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "G-PENDING", merchant: Self.gateway)) == "PENDING PENDING 3500")
                #expect(Self.describe(try await client.queryOrder(outTradeNo: "NOPE", merchant: Self.gateway)) == "NOT_FOUND C12 -")
                let refund = try await client.queryRefund(outRefundNo: "G-PAID-R1", outTradeNo: "G-PAID", merchant: Self.gateway)
                #expect(Self.describe(refund) == "REFUND_PROCESSING PROCESSING 2000")
                #expect(try await client.queryCombine(combineOutTradeNo: "X", merchant: Self.gateway) == nil)
            }
        }
    }

    @Test(
        "each injected fault reaches the client as the reply or error it should",
        arguments: [
            ("bad signature", { var f = Faults(); f.badSignatureRate = 1; return f }(), "untrusted", "untrusted"),
            ("5xx", { var f = Faults(); f.serverErrorRate = 1; return f }(), "refused - 502", "refused - 503"),
            ("429", { var f = Faults(); f.tooManyRate = 1; return f }(), "refused FREQUENCY_LIMITED 429", "refused S04 429"),
            ("outcome-unknown code", { var f = Faults(); f.errorRate = 1; return f }(), "refused SYSTEM_ERROR 500", "refused E0? 200"),
            ("slow answer", { var f = Faults(); f.slowRate = 1; f.slowDelayMilliseconds = 300; return f }(), "PAID SUCCESS 3300",
             "PAID SUCCESS 12000"),
            ("timeout", { var f = Faults(); f.timeoutRate = 1; return f }(), "timeout", "timeout"),
        ] as [(String, Faults, String, String)])
    func faults(name: String, faults: Faults, wechat: String, gateway: String) async throws {
        try await SimulatorHarness.with(SimScenario.basic, faults: faults) { sim in
            // A slow answer must arrive even on a loaded machine; only the never-answered call needs a short limit.
            try await sim.withClients(timeout: name == "timeout" ? 1 : 10) { wechatClient, gatewayClient in
                func run(_ call: () async throws -> ProviderReply) async -> String {
                    do { return Self.describe(try await call()) } catch let error as ProviderTransportError {
                        return error.isTimeout ? "timeout" : "transport \(error.detail)"
                    } catch { return "error \(error)" }
                }
                let fromWeChat = await run { try await wechatClient.queryOrder(outTradeNo: "W-PAID", merchant: Self.wechat) }
                let fromGateway = await run { try await gatewayClient.queryOrder(outTradeNo: "G-PAID", merchant: Self.gateway) }
                #expect(fromWeChat == wechat, "\(name)")
                if gateway.contains("?") {
                    #expect(["refused E01 200", "refused E02 200", "refused E03 200", "refused P01 200"].contains(fromGateway), "\(name)")
                } else {
                    #expect(fromGateway == gateway, "\(name)")
                }
            }
        }
    }

    @Test("an answer signed with another key, or stamped outside the allowed skew, is never trusted")
    func untrustedAnswers() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await SimulatorHarness.withHTTP(concurrency: 2) { http in
                let wrongSerial = WeChatPayClient(
                    baseURL: sim.baseURL, credentials: [try sim.wechatCredentials("1900000109", platformKeyID: "PUB_KEY_ID_OTHER")],
                    http: http, clock: sim.clock)
                #expect(Self.describe(try await wrongSerial.queryOrder(outTradeNo: "W-PAID", merchant: Self.wechat)) == "untrusted")
                // The simulator's clock runs ten minutes ahead of the true time and the client's
                // 250 s ahead: the simulator accepts the request (within its five minutes) and its
                // answer, stamped 350 s ahead of the client, fails the client's five-minute window.
                let truth = ManualClock()
                let reply = try await SimulatorHarness.with(SimScenario.basic, clock: truth.shifted(by: 600)) { skewed in
                    try await skewed.withClients(clock: truth.shifted(by: 250)) { client, _ in
                        return try await client.queryOrder(outTradeNo: "W-PAID", merchant: Self.wechat)
                    }
                }
                guard case .untrusted(let reason) = reply.content else { Issue.record("trusted: \(reply)"); return }
                #expect(reason.contains("more than five minutes"))
            }
        }
    }

    @Test("the gateway refuses a stale timestamp with S02, a bad signature with S03 and a repeated request id with S11")
    func gatewaySecurity() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await SimulatorHarness.withHTTP(concurrency: 2) { http in
                // The client's clock is 11 minutes behind the gateway's: the gateway refuses the
                // request with S02. Its answer is stamped 11 minutes ahead of the client, so it
                // cannot verify, but a configuration refusal is still a refusal, never a state.
                let stale = GatewayClient(
                    baseURL: sim.baseURL, credentials: [try sim.gatewayCredentials("800100200")], http: http,
                    clock: ManualClock(start: sim.clock.now() - 11 * 60))
                let staleReply = try await stale.queryOrder(outTradeNo: "G-PAID", merchant: Self.gateway)
                #expect(Self.describe(staleReply) == "refused S02 200")
                let wrongSecret = GatewayClient(
                    baseURL: sim.baseURL, credentials: [GatewayCredentials(merchantNo: "800100200", secret: .init(data: Data("nope".utf8)))],
                    http: http, clock: sim.clock)
                let forged = try await wrongSecret.queryOrder(outTradeNo: "G-PAID", merchant: Self.gateway)
                // The gateway's S03 is signed with the real secret, so it cannot verify; it is still a
                // refusal (which stops the merchant's queries), never a state.
                #expect(Self.describe(forged) == "refused S03 200")
                guard case .refused(_, let message) = forged.content else { return }
                #expect(message?.contains("unverified") == true)
                // Replaying a signed request with the same X-Request-Id.
                let secret = try sim.gatewayCredentials("800100200").secret
                let body = Array(#"{"merchantNo":"800100200","outTradeNo":"G-PAID"}"#.utf8)
                let stamp = sim.clock.epochSeconds()
                var request = HTTPClientRequest(url: sim.baseURL + "/api/v1/order/query")
                request.method = .POST
                request.headers.add(name: "X-Merchant-No", value: "800100200")
                request.headers.add(name: "X-Timestamp", value: String(stamp))
                request.headers.add(name: "X-Request-Id", value: "fixed-id")
                request.headers.add(name: "X-Signature", value: GatewaySignature.sign(
                    GatewaySignature.requestMessage(method: "POST", path: "/api/v1/order/query", timestamp: stamp, requestID: "fixed-id", body: body),
                    secret: secret))
                request.body = .bytes(body)
                var codes: [String] = []
                for _ in 0..<2 {
                    let response = try await http.execute(request, timeout: .seconds(5))
                    let data = try await response.body.collect(upTo: 1 << 16)
                    let json = try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as! [String: Any]
                    codes.append(json["code"] as! String)
                }
                #expect(codes == ["0", "S11"])
            }
        }
    }
}
