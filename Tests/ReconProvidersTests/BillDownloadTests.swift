import Foundation
import GatewayProvider
import ProviderSimulator
import ProviderTestSupport
import ReconBills
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing
import WeChatPayProvider

@Suite("Bill downloads from the simulator")
struct BillDownloadTests {
    static let wechat = MerchantRef(provider: .wechatPay, merchantID: "1900000109")
    static let gateway = MerchantRef(provider: .gateway, merchantID: "800100200")
    static let day = CivilDate("2026-11-19")!

    /// The demo's bills of 2026-11-19, one of them stored gzip-compressed.
    static let scenario = Scenario(bills: [
        .init(provider: "wechatpay", merchantID: "1900000109", day: "2026-11-19",
              path: Repository.fixture("demo/bills/wechatpay_1900000109_2026-11-19_ALL.csv.gz")),
        .init(provider: "gateway", merchantID: "800100200", day: "2026-11-19",
              path: Repository.fixture("demo/bills/gateway_800100200_2026-11-19.csv")),
    ])

    static func original(_ name: String) throws -> [UInt8] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Repository.fixture("demo/bills/" + name))))
        return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, name: name) : bytes
    }

    @Test("a WeChat Pay bill is applied for, downloaded as gzip, unpacked and saved once its SHA-1 matches")
    func wechat() async throws {
        let folder = TemporaryDirectory("downloads")
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await sim.withClients { wechat, _ in
                let result = try await wechat.downloadBill(day: Self.day, merchant: Self.wechat, into: folder.path)
                let path = folder.file("wechatpay_1900000109_2026-11-19_ALL.csv")
                #expect(result == .saved(path: path, bytes: try Self.original("wechatpay_1900000109_2026-11-19_ALL.csv.gz").count))
                #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == (try Self.original("wechatpay_1900000109_2026-11-19_ALL.csv.gz")))
                let none = try await wechat.downloadBill(day: CivilDate("2026-11-17")!, merchant: Self.wechat, into: folder.path)
                #expect(none == .noBill(code: "NO_STATEMENT_EXIST"))
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["wechatpay_1900000109_2026-11-19_ALL.csv"])
    }

    @Test("a gateway bill is saved once its signed SHA-256 matches")
    func gateway() async throws {
        let folder = TemporaryDirectory("downloads")
        try await SimulatorHarness.with(Self.scenario) { sim in
            try await sim.withClients { _, gateway in
                let result = try await gateway.downloadBill(day: Self.day, merchant: Self.gateway, into: folder.path)
                let path = folder.file("gateway_800100200_2026-11-19.csv")
                #expect(result == .saved(path: path, bytes: try Self.original("gateway_800100200_2026-11-19.csv").count))
                let later = try await gateway.downloadBill(day: CivilDate("2026-11-17")!, merchant: Self.gateway, into: folder.path)
                #expect(later == .notReady(code: "C12", message: "Bill not published yet"))
            }
        }
    }

    @Test("a bill still being generated answers STATEMENT_CREATING, then downloads")
    func notReadyThenReady() async throws {
        var faults = Faults()
        faults.statementCreatingCount = 1
        let folder = TemporaryDirectory("downloads")
        try await SimulatorHarness.with(Self.scenario, faults: faults) { sim in
            try await sim.withClients { wechat, _ in
                let first = try await wechat.downloadBill(day: Self.day, merchant: Self.wechat, into: folder.path)
                #expect(first == .notReady(code: "STATEMENT_CREATING", message: "账单生成中"))
                guard case .saved = try await wechat.downloadBill(day: Self.day, merchant: Self.wechat, into: folder.path) else {
                    Issue.record("the second application did not download")
                    return
                }
            }
        }
    }

    @Test(
        "a truncated or tampered bill is refused and nothing is saved",
        arguments: [("truncated", true, false), ("tampered", false, true)])
    func damaged(name: String, truncate: Bool, tamper: Bool) async throws {
        var faults = Faults()
        faults.truncateBills = truncate
        faults.tamperBills = tamper
        let folder = TemporaryDirectory("downloads")
        try await SimulatorHarness.with(Self.scenario, faults: faults) { sim in
            try await sim.withClients { wechat, gateway in
                await #expect {
                    _ = try await wechat.downloadBill(day: Self.day, merchant: Self.wechat, into: folder.path)
                } throws: { error in
                    let text = "\(error)"
                    return text.contains("wechatpay/1900000109 bill of 2026-11-19") && text.contains("Nothing was saved")
                        && (text.contains("SHA-1") || text.contains("gzip"))
                }
                await #expect {
                    _ = try await gateway.downloadBill(day: Self.day, merchant: Self.gateway, into: folder.path)
                } throws: { error in
                    "\(error)".contains("gateway/800100200 bill of 2026-11-19: the bill's SHA-256 is")
                }
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "\(name)")
    }
}
