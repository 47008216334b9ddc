@testable import AlipayProvider
import AlipaySimulator
import AsyncHTTPClient
import Foundation
import NIOCore
import ProviderTestSupport
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing

/// The Alipay client against the simulator's gateway on loopback: signed form calls, answers
/// verified over their `…_response` text, every `trade_status`, refunds and the expiring bill link.
@Suite("The Alipay client")
struct AlipayClientTests {
    static let pid = SimulatorHarness.alipayMerchants[0]
    static let merchant = MerchantRef(provider: .alipay, merchantID: pid)
    static let bill = Repository.fixture("bills/alipay/alipay_2088021109625633_2019-09-16.csv.zip")
    static let scenario = Scenario(
        orders: [
            .init(provider: "alipay", merchantID: pid, outTradeNo: "A-PAID", state: "TRADE_SUCCESS", amountMinor: 1234,
                  transactionID: "2026112022001400001", successTime: "2026-11-20T10:00:02+08:00"),
            .init(provider: "alipay", merchantID: pid, outTradeNo: "A-DONE", state: "TRADE_FINISHED", amountMinor: 500,
                  successTime: "2026-11-20T11:00:00+08:00"),
            .init(provider: "alipay", merchantID: pid, outTradeNo: "A-WAIT", state: "WAIT_BUYER_PAY", amountMinor: 800),
            .init(provider: "alipay", merchantID: pid, outTradeNo: "A-CLOSED", state: "TRADE_CLOSED", amountMinor: 800),
            .init(provider: "alipay", merchantID: pid, outTradeNo: "A-REFUNDED", state: "TRADE_CLOSED", amountMinor: 900,
                  successTime: "2026-11-20T12:00:00+08:00"),
        ],
        refunds: [
            .init(provider: "alipay", merchantID: pid, outRefundNo: "R-1", outTradeNo: "A-REFUNDED", state: "SUCCESS", amountMinor: 900,
                  successTime: "2026-11-20T13:00:00+08:00"),
        ],
        bills: [.init(provider: "alipay", merchantID: pid, day: "2019-09-16", path: bill)])

    @Test("every trade_status maps to its state; an order Alipay does not hold stays pending")
    func orders() async throws {
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try sim.alipayClient(http: http)
                func answer(_ number: String) async throws -> ProviderAnswer? {
                    guard case .answer(let answer) = try await client.queryOrder(outTradeNo: number, merchant: Self.merchant).content else { return nil }
                    return answer
                }
                let paid = try #require(try await answer("A-PAID"))
                #expect(paid.state == .paid && paid.amount == Money(minorUnits: 1234, currency: .cny))
                #expect(paid.transactionID == "2026112022001400001" && paid.time == Timestamp(rfc3339: "2026-11-20T10:00:02+08:00"))
                #expect(try await answer("A-DONE")?.state == .paid)
                #expect(try await answer("A-WAIT")?.state == .pending)
                #expect(try await answer("A-CLOSED")?.state == .closed)
                #expect(try await answer("A-REFUNDED")?.state == .paid)
                let unknown = try #require(try await answer("A-NEVER-OPENED"))
                #expect(unknown.state == .pending && unknown.providerWord == "ACQ.TRADE_NOT_EXIST")
            }
        }
    }

    @Test("a refund is found by its request number; one Alipay does not hold is not found")
    func refunds() async throws {
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try sim.alipayClient(http: http)
                let found = try await client.queryRefund(outRefundNo: "R-1", outTradeNo: "A-REFUNDED", merchant: Self.merchant)
                guard case .answer(let answer) = found.content else { Issue.record("\(found)"); return }
                #expect(answer.state == .refundSucceeded && answer.amount == Money(minorUnits: 900, currency: .cny))
                let missing = try await client.queryRefund(outRefundNo: "R-9", outTradeNo: "A-REFUNDED", merchant: Self.merchant)
                guard case .answer(let none) = missing.content else { Issue.record("\(missing)"); return }
                #expect(none.state == .notFound)
            }
        }
    }

    @Test("an answer whose sign does not cover its text is never used")
    func tampered() async throws {
        var faults = Faults()
        faults.badSignatureRate = 1
        try await SimulatorHarness.with(Self.scenario, faults: faults) { sim in
            try await SimulatorHarness.withHTTP { http in
                let reply = try await sim.alipayClient(http: http).queryOrder(outTradeNo: "A-PAID", merchant: Self.merchant)
                guard case .untrusted(let reason) = reply.content else { Issue.record("\(reply)"); return }
                #expect(reason.contains("does not verify with the Alipay public key"))
            }
        }
    }

    @Test("the day's bill is downloaded from its link, checked and saved; a day without one is empty")
    func bill() async throws {
        let folder = TemporaryDirectory()
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try sim.alipayClient(http: http)
                let saved = try await client.downloadBill(day: CivilDate("2019-09-16")!, merchant: Self.merchant, into: folder.path)
                #expect(saved == .saved(path: folder.file("alipay_2088021109625633_2019-09-16.csv.zip"), bytes: 1489))
                let none = try await client.downloadBill(day: CivilDate("2019-09-17")!, merchant: Self.merchant, into: folder.path)
                #expect(none == .noBill(code: "isp.bill_not_exist"))
            }
        }
    }

    @Test("a bill link fetched more than 30 seconds after the query has expired")
    func expiredLink() async throws {
        let clock = ManualClock()
        try await SimulatorHarness.with(Self.scenario, clock: clock) { sim in
            try await SimulatorHarness.withHTTP { http in
                let app = SimulatorKeys.alipayAppID(for: Self.pid)
                let keys = AlipayCredentials(
                    pid: Self.pid, appID: app, privateKey: try KeyFile.privateKey(at: sim.keys.alipayAppPrivateKey(app)),
                    alipayPublicKey: try KeyFile.publicKey(at: sim.keys.alipayPlatformPublicKey))
                let client = AlipayClient(baseURL: sim.baseURL + "/gateway.do", credentials: [keys], http: http, clock: clock)
                let method = "alipay.data.dataservice.bill.downloadurl.query"
                let answer = try await client.post(method, AlipayWire.BillQuery(billDate: "2019-09-16"), keys: keys, requestID: "r1")
                let text = try AlipayClient.verified(answer.body, method: method, keys: keys).get()
                let link = try #require(try ProviderJSON.decode(AlipayWire.BillLink.self, from: Array(text)).get().billDownloadUrl)
                func fetch() async throws -> [UInt8] {
                    let response = try await http.execute(HTTPClientRequest(url: link), timeout: .seconds(10))
                    return Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                }
                #expect(try await fetch().starts(with: [0x50, 0x4B, 0x03, 0x04]))
                clock.advance(by: 31)
                #expect(String(decoding: try await fetch(), as: UTF8.self).contains("下载超时"))
            }
        }
    }
}
