import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing
@testable import WeChatPayProvider
import WeChatPaySimulator

/// A WeChat Pay merchant not yet on the WeChat Pay public key: its answers are checked with the
/// platform certificates `GET /v3/certificates` serves, sealed with its APIv3 key.
@Suite("WeChat Pay platform certificates")
struct PlatformCertificateTests {
    static let merchantID = SimulatorHarness.certificateMerchant
    static let merchant = MerchantRef(provider: .wechatPay, merchantID: merchantID)
    static let scenario = Scenario(orders: [
        .init(provider: "wechatpay", merchantID: merchantID, outTradeNo: "C-PAID", state: "SUCCESS", amountMinor: 700,
              transactionID: "4200000700", successTime: "2026-11-20T10:00:00+08:00"),
    ])

    /// The merchant's client, with `apiv3Key` (its own by default).
    func client(_ sim: SimulatorHarness, http: HTTPClient, apiv3Key: SymmetricKey? = nil, clock: (any RunClock)? = nil) throws -> WeChatPayClient {
        let credentials = WeChatPayCredentials(
            merchantID: Self.merchantID, serialNumber: SimulatorKeys.merchantSerial,
            privateKey: try KeyFile.privateKey(at: sim.keys.wechatPrivateKey(Self.merchantID)),
            platform: WeChatPayPlatform(.certificates(apiv3Key: try apiv3Key ?? KeyFile.secret(at: sim.keys.wechatAPIv3Key(Self.merchantID)))))
        return WeChatPayClient(baseURL: sim.baseURL, credentials: [credentials], http: http, clock: clock ?? sim.clock)
    }

    @Test("answers verify with the certificate the list holds, fetched once and kept")
    func verifies() async throws {
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let client = try client(sim, http: http)
                for _ in 0..<2 {
                    let reply = try await client.queryOrder(outTradeNo: "C-PAID", merchant: Self.merchant)
                    guard case .answer(let answer) = reply.content else { Issue.record("\(reply)"); return }
                    #expect(answer.state == .paid && answer.amount == Money(minorUnits: 700, currency: .cny))
                }
                // The list was fetched once: one call for it, two queries.
                #expect(await sim.simulator.counters.requests == 3)
            }
        }
    }

    @Test("a certificate list whose signature does not cover it is refused, and no answer is trusted")
    func tamperedList() async throws {
        var faults = Faults()
        faults.badSignatureRate = 1
        try await SimulatorHarness.with(Self.scenario, faults: faults) { sim in
            try await SimulatorHarness.withHTTP { http in
                let reply = try await client(sim, http: http).queryOrder(outTradeNo: "C-PAID", merchant: Self.merchant)
                guard case .untrusted(let reason) = reply.content else { Issue.record("\(reply)"); return }
                #expect(reason.contains("the certificate list could not be used: the answer's signature does not verify with certificate"))
            }
        }
    }

    @Test("a list sealed with another APIv3 key does not open")
    func wrongKey() async throws {
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                let other = SymmetricKey(data: Data("0123456789abcdef0123456789ABCDEF".utf8))
                let reply = try await client(sim, http: http, apiv3Key: other).queryOrder(outTradeNo: "C-PAID", merchant: Self.merchant)
                guard case .untrusted(let reason) = reply.content else { Issue.record("\(reply)"); return }
                #expect(reason.contains("does not decrypt with the APIv3 key"))
            }
        }
    }

    @Test("a certificate past its validity is not used")
    func expired() async throws {
        let clock = ManualClock(start: 1_938_000_000)  // 2031-05-31, after the certificate's 2031-01-01
        try await SimulatorHarness.with(Self.scenario, clock: clock) { sim in
            try await SimulatorHarness.withHTTP { http in
                let reply = try await client(sim, http: http).queryOrder(outTradeNo: "C-PAID", merchant: Self.merchant)
                guard case .untrusted(let reason) = reply.content else { Issue.record("\(reply)"); return }
                #expect(reason.contains("which is not a valid platform certificate now"))
            }
        }
    }

    @Test("an APIv3 key file others may read, or not of 32 characters, is refused")
    func keyFile() async throws {
        let folder = TemporaryDirectory()
        let exposed = folder.write("exposed.apiv3", "0123456789abcdef0123456789ABCDEF\n")
        chmod(exposed, 0o644)
        let short = folder.write("short.apiv3", "too-short\n")
        chmod(short, 0o600)
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await SimulatorHarness.withHTTP { http in
                for (file, words) in [(exposed, "chmod 600"), (short, "32 characters")] {
                    let account = WeChatPayAccount(
                        baseURL: sim.baseURL, platformKeyID: nil, platformPublicKeyFile: nil,
                        merchants: [.init(merchantID: Self.merchantID, serialNumber: SimulatorKeys.merchantSerial,
                                          privateKeyFile: sim.keys.wechatPrivateKey(Self.merchantID), apiv3KeyFile: file)])
                    #expect { _ = try account.connect(http: http, timeout: .seconds(5), clock: sim.clock) } throws: { "\($0)".contains(words) }
                }
            }
        }
    }
}

/// How often unknown serials may make a client fetch the certificate list.
@Suite("Platform certificate refetches")
struct PlatformRefetchTests {
    @Test("a serial is fetched for once, and no more than eight serials are")
    func capped() {
        let platform = WeChatPayPlatform(.certificates(apiv3Key: SymmetricKey(data: Data(repeating: 1, count: 32))))
        #expect(platform.mayRefetch(for: "A") && !platform.mayRefetch(for: "A"))
        let more = (1...20).map { platform.mayRefetch(for: "S\($0)") }
        #expect(more.filter { $0 }.count == WeChatPayPlatform.maxRefetches - 1)
    }
}
