import AsyncHTTPClient
import Foundation
import ProviderTestSupport
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing
import WeChatPayProvider
import WeChatPaySimulator

/// A WeChat Pay service provider (服务商) calling for its sub-merchants with its own keys: the
/// partner order query, the refund query and the day's bill, each named by `sub_mchid`.
@Suite("WeChat Pay service providers")
struct ServiceProviderTests {
    static let serviceProvider = SimulatorHarness.serviceProvider
    static let sub = "1900000201"
    static let merchant = MerchantRef(provider: .wechatPay, merchantID: sub)
    static let scenario = Scenario(
        orders: [
            .init(provider: "wechatpay", merchantID: sub, outTradeNo: "S-PAID", state: "SUCCESS", amountMinor: 4200,
                  transactionID: "4200004200", successTime: "2026-11-19T10:00:00+08:00"),
        ],
        refunds: [
            .init(provider: "wechatpay", merchantID: sub, outRefundNo: "S-PAID-R1", outTradeNo: "S-PAID", state: "SUCCESS",
                  amountMinor: 1000, successTime: "2026-11-19T12:00:00+08:00"),
        ],
        bills: [.init(provider: "wechatpay", merchantID: sub, day: "2026-11-19", path: Repository.fixture("bills/wechatpay/ALL-current.csv"))])

    func client(_ sim: SimulatorHarness, http: HTTPClient) throws -> WeChatPayClient {
        let credentials = WeChatPayCredentials(
            merchantID: Self.sub, serialNumber: SimulatorKeys.merchantSerial,
            privateKey: try KeyFile.privateKey(at: sim.keys.wechatPrivateKey(Self.serviceProvider)),
            platform: WeChatPayPlatform(.publicKey(id: SimulatorKeys.platformKeyID, key: try KeyFile.publicKey(at: sim.keys.platformPublicKey))),
            serviceProviderID: Self.serviceProvider)
        return WeChatPayClient(baseURL: sim.baseURL, credentials: [credentials], http: http, clock: sim.clock)
    }

    @Test("the sub-merchant's order, refund and bill are reached through the service provider's keys")
    func partner() async throws {
        let folder = TemporaryDirectory()
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try client(sim, http: http)
                let order = try await client.queryOrder(outTradeNo: "S-PAID", merchant: Self.merchant)
                guard case .answer(let paid) = order.content else { Issue.record("\(order)"); return }
                #expect(paid.state == .paid && paid.amount == Money(minorUnits: 4200, currency: .cny))
                let refund = try await client.queryRefund(outRefundNo: "S-PAID-R1", outTradeNo: "S-PAID", merchant: Self.merchant)
                guard case .answer(let refunded) = refund.content else { Issue.record("\(refund)"); return }
                #expect(refunded.state == .refundSucceeded)
                let missing = try await client.queryOrder(outTradeNo: "S-NONE", merchant: Self.merchant)
                guard case .answer(let none) = missing.content else { Issue.record("\(missing)"); return }
                #expect(none.state == .notFound)
                let bill = try await client.downloadBill(day: CivilDate("2026-11-19")!, merchant: Self.merchant, into: folder.path)
                #expect(bill == .saved(path: folder.file("wechatpay_1900000201_2026-11-19_ALL.csv"), bytes: try Data(contentsOf: URL(fileURLWithPath: Repository.fixture("bills/wechatpay/ALL-current.csv"))).count))
            }
        }
    }
}
