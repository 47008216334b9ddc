import AsyncHTTPClient
import Foundation
import ProviderPlugins
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
            .init(provider: "wechatpay", merchantID: sub, outTradeNo: "S-C1", state: "SUCCESS", amountMinor: 300,
                  transactionID: "4200000301", successTime: "2026-11-19T11:00:00+08:00", combineOutTradeNo: "S-COMBINE"),
            .init(provider: "wechatpay", merchantID: sub, outTradeNo: "S-C2", state: "SUCCESS", amountMinor: 700,
                  transactionID: "4200000302", successTime: "2026-11-19T11:00:00+08:00", combineOutTradeNo: "S-COMBINE"),
        ],
        refunds: [
            .init(provider: "wechatpay", merchantID: sub, outRefundNo: "S-PAID-R1", outTradeNo: "S-PAID", state: "SUCCESS",
                  amountMinor: 1000, successTime: "2026-11-19T12:00:00+08:00"),
        ],
        bills: [
            .init(provider: "wechatpay", merchantID: sub, day: "2026-11-19", path: Repository.fixture("bills/wechatpay/ALL-current.csv")),
            .init(provider: "wechatpay", merchantID: serviceProvider, day: "2026-11-19", path: Repository.fixture("bills/wechatpay/ALL-legacy.csv")),
        ])

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

    @Test("the service provider's own bill, asked for with its sub-merchant's keys and no sub_mchid, covers all its sub-merchants")
    func serviceProviderBill() async throws {
        let folder = TemporaryDirectory()
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try client(sim, http: http)
                let provider = MerchantRef(provider: .wechatPay, merchantID: Self.serviceProvider)
                let bill = try await client.downloadBill(day: CivilDate("2026-11-19")!, merchant: provider, into: folder.path)
                let expected = try Data(contentsOf: URL(fileURLWithPath: Repository.fixture("bills/wechatpay/ALL-legacy.csv")))
                #expect(bill == .saved(path: folder.file("wechatpay_1900000100_2026-11-19_ALL.csv"), bytes: expected.count))
                let stranger = MerchantRef(provider: .wechatPay, merchantID: "1900000999")
                await #expect { _ = try await client.downloadBill(day: CivilDate("2026-11-19")!, merchant: stranger, into: folder.path) } throws: {
                    "\($0)".contains("or, for a service provider's bill, its sub-merchants with sp_mchid 1900000999")
                }
            }
        }
    }

    @Test("a sub-merchant's combine payment is asked about once, by the service provider, and each sub-order names the sub-merchant")
    func combine() async throws {
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try client(sim, http: http)
                let reply = try await client.queryCombine(combineOutTradeNo: "S-COMBINE", merchant: Self.merchant)
                guard case .answer(let answer)? = reply?.content else { Issue.record("\(String(describing: reply))"); return }
                #expect(answer.subOrders.map(\.merchantID) == [Self.sub, Self.sub])
                let items = ["S-C1", "S-C2"].map { key in
                    PendingItem(.order(Sample.order(key, "3.00", .pending, merchant: Self.merchant, combine: "S-COMBINE")), reason: .pendingStatus)
                }
                let run = await QueryEngine(
                    providers: [client], settings: QuerySettings(concurrency: 2, maxAttempts: 2), book: Providers.directory.book,
                    clock: sim.clock
                ).run(items)
                #expect(run.attempts.count == 1)
                #expect(run.outcomes.map { outcome -> String in
                    guard case .answered(let answer) = outcome.result else { return "\(outcome.result)" }
                    return "\(outcome.item.key) \(answer.state?.rawValue ?? "") \(answer.amount?.minorUnits ?? 0)"
                } == ["S-C1 PAID 300", "S-C2 PAID 700"])
            }
        }
    }
}
