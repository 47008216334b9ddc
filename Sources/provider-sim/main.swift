import ArgumentParser
import Foundation
import ProviderSimulator
import ReconClock
import ReconCore
import SimulatorKit
import WeChatPaySimulator

/// `provider-sim`: serves the providers' APIs on loopback, for the demo and tests.
@main
struct ProviderSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider-sim",
        abstract: "A local simulator of the WeChat Pay and gateway APIs, with fault injection.",
        subcommands: [Serve.self, Keys.self], defaultSubcommand: Serve.self)

    /// `provider-sim keys`.
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write test keys for the simulator and order-recon (private keys and secrets with mode 0600).")

        @Option(help: "The folder to write the keys to.")
        var out: String

        @Option(help: "A merchant to make keys for, as provider/merchant-id, such as wechatpay/1900000109 (repeatable).")
        var merchant: [String] = []

        @Option(
            name: .customLong("wechatpay-certificates"),
            help: "A WeChat Pay merchant id that verifies answers with platform certificates: an APIv3 key is written for it (repeatable).")
        var certificateMerchants: [String] = []

        func validate() throws {
            for id in certificateMerchants where !Identifier.isCode(id) || !id.allSatisfy(\.isNumber) {
                throw ValidationError("'\(Printable.escaped(id))' is not a WeChat Pay merchant id (digits).")
            }
            for text in merchant {
                let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
                let served = ProviderSimulator.names
                guard parts.count == 2, served.contains(parts[0]), Identifier.isCode(parts[1]) else {
                    throw ValidationError(
                        "'\(Printable.escaped(text))' is not a merchant: write provider/merchant-id, the provider one of "
                            + served.joined(separator: ", ") + ".")
                }
            }
        }

        func run() async throws {
            let merchants = merchant.map { text in
                let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
                return MerchantRef(provider: ProviderID(rawValue: parts[0]), merchantID: parts[1])
            }
            try ProviderSimulator.generateKeys(for: merchants, in: SimulatorKeys(folder: out))
            try SimulatorKeys(folder: out).generateWeChatPayAPIv3Keys(certificateMerchants)
            print("keys written to \(out)")
        }
    }

    /// `provider-sim serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve a scenario until SIGTERM or SIGINT.")

        @Option(help: "The scenario: JSON, or SQLite with sim_orders, sim_refunds and sim_bills tables.")
        var scenario: String

        @Option(help: "The folder of keys written by `provider-sim keys`.")
        var keys: String

        @Option(help: "The address to listen on: 127.0.0.1 or ::1.")
        var host = "127.0.0.1"

        @Option(help: "The port; 0 picks a free one.")
        var port = 0

        @Option(name: .customLong("port-file"), help: "Write the port to this file once listening.")
        var portFile: String?

        @Option(help: "Seed of the fault dice.")
        var seed: UInt64 = 1

        @OptionGroup var faults: FaultOptions

        func validate() throws {
            guard host == "127.0.0.1" || host == "::1" || host == "localhost" else {
                throw ValidationError("The simulator serves loopback only: use 127.0.0.1 or ::1.")
            }
        }

        func run() async throws {
            let simulator = try ProviderSimulator(
                scenario: try Scenario.load(path: scenario), keys: SimulatorKeys(folder: keys), faults: faults.faults(), seed: seed, clock: SystemClock())
            let portFile = portFile
            let host = host
            try await simulator.run(host: host, port: port, stopOnSignals: true) { port in
                FileHandle.standardOutput.write(Data("provider-sim listening on http://\(host):\(port)\n".utf8))
                if let portFile { try? String(port).write(toFile: portFile, atomically: true, encoding: .utf8) }
            }
            let counters = await simulator.counters
            print("provider-sim stopped: \(counters.requests) requests, \(counters.rateLimited) refused over the rate limit, \(counters.faulted) faulted")
        }
    }
}
