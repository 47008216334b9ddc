import Foundation
import GatewayProvider
import Logging
import ReconClock
import ReconCore
import ReconJob
import ReconTestSupport
import Testing
import WeChatPayProvider

/// A temporary copy of the demo: store, bills and a report folder, ready to run.
final class DemoWorkspace {
    let directory = TemporaryDirectory("order-recon-job")
    let store: String
    let bills: String
    let reports: String

    init() throws {
        store = try DemoStore.make(at: directory.file("store.sqlite"))
        bills = directory.file("bills")
        reports = directory.file("reports")
        try FileManager.default.copyItem(atPath: Repository.fixture("demo/bills"), toPath: bills)
    }

    static let merchants = [
        MerchantRef(provider: .wechatPay, merchantID: "1900000109"), MerchantRef(provider: .wechatPay, merchantID: "1900000110"),
        MerchantRef(provider: .gateway, merchantID: "800100200"),
    ]

    var config: ReconConfig {
        ReconConfig(storePath: store, billPaths: [bills], reportsFolder: reports, merchants: Self.merchants)
    }

    func run(_ days: [CivilDate], config: ReconConfig? = nil, clock: any RunClock = ManualClock()) async throws -> RunResult {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await ReconciliationRun(config: config ?? self.config, logger: logger, clock: clock).run(days: days)
    }

    /// Runs `days` expecting the run to fail; checks that it left no report, and returns the
    /// error as the command shows it.
    func failure(_ days: [CivilDate], config: ReconConfig? = nil) async throws -> ReconError {
        var caught: (any Error)?
        do {
            _ = try await run(days, config: config)
        } catch {
            caught = error
        }
        let error = ReconError.wrapping(try #require(caught))
        #expect(reportFiles.isEmpty)
        return error
    }

    /// The demo's configuration without the provider leg.
    var configWithoutQueries: ReconConfig {
        var config = config
        config.providers.queriesEnabled = false
        return config
    }

    func bill(_ name: String) -> String { bills + "/" + name }

    func replace(in name: String, _ target: String, with replacement: String) throws {
        let text = try String(contentsOfFile: bill(name), encoding: .utf8)
        precondition(text.contains(target), "\(target) not in \(name)")
        try text.replacingOccurrences(of: target, with: replacement).write(toFile: bill(name), atomically: true, encoding: .utf8)
    }

    /// Every file under the report folder.
    var reportFiles: [String] {
        (FileManager.default.enumerator(atPath: reports)?.allObjects as? [String] ?? []).sorted()
    }
}

let days18to20 = CivilDate("2026-11-18")!.through(CivilDate("2026-11-20")!)
