import AlipaySimulator
import GatewaySimulator
import Hummingbird
import Logging
import ReconClock
import ReconCore
import SimulatorKit
import UnixSignals
import WeChatPaySimulator

/// Serves the providers' APIs on loopback from a scenario, signing answers the way the providers
/// do and injecting the faults asked for.
///
/// Each provider's routes are in its own folder; ``FaultMiddleware`` adds latency and draws the
/// fault of every request in front of each of them.
public struct ProviderSimulator: Sendable {
    /// The providers served, one line each.
    package static let providers: [any SimulatedProvider.Type] = [
        WeChatPaySimulation.self,
        GatewaySimulation.self,
        AlipaySimulation.self,
    ]

    /// The names of the providers served: `wechatpay`, `gateway`.
    package static var names: [String] {
        var names: [String] = []
        for provider in providers { names.append(provider.provider.rawValue) }
        return names
    }

    let state: SimulatorState
    let keys: SimulatorKeyRing
    let clock: any RunClock
    let served: [any SimulatedProvider]

    /// Creates a simulator; reads the keys the providers sign answers with from `keys`.
    public init(
        scenario: Scenario, keys: SimulatorKeys, faults: Faults = Faults(), seed: UInt64 = 1,
        clock: any RunClock
    ) throws {
        self.state = SimulatorState(scenario: scenario, faults: faults, seed: seed)
        self.keys = SimulatorKeyRing(keys)
        self.clock = clock
        let ring = self.keys
        self.served = try Self.providers.map { try $0.init(keys: ring) }
    }

    /// Writes test keys for `merchants` into `keys`, keeping any that exist.
    /// - Throws: When a merchant's provider is not simulated, or a key cannot be written.
    public static func generateKeys(for merchants: [MerchantRef], in keys: SimulatorKeys) throws {
        if let other = merchants.first(where: { merchant in !providers.contains { $0.provider == merchant.provider } }) {
            throw SimulatorKeysError(description: "The simulator does not serve \(other.provider).")
        }
        let byProvider = Dictionary(grouping: merchants, by: \.provider)
        for provider in providers {
            try provider.generateKeys(for: byProvider[provider.provider]?.map(\.merchantID) ?? [], in: keys)
        }
    }

    /// Counters of what was served.
    public var counters: (requests: Int, rateLimited: Int, faulted: Int) {
        get async { await state.counters }
    }

    /// Serves until the task is cancelled.
    /// - Parameters:
    ///   - host: The address to listen on: `127.0.0.1` or `::1`.
    ///   - port: The port, or 0 for any free one.
    ///   - stopOnSignals: Whether SIGTERM and SIGINT stop the server gracefully (for the executable).
    ///   - onReady: Called with the port once the server listens.
    public func run(
        host: String = "127.0.0.1", port: Int = 0, stopOnSignals: Bool = false, onReady: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let router = Router(context: SimulatorContext.self)
        let server = SimulatorServer(state: state, keys: keys, clock: clock)
        for provider in served {
            provider.register(
                on: router.group().add(
                    middleware: FaultMiddleware(server: server, serverError: provider.serverError, downloads: provider.downloadPaths)),
                server: server)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "provider-sim"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) },
            logger: Logger(label: "provider-sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService(gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [])
    }
}

/// Keys asked for a provider the simulator does not serve.
public struct SimulatorKeysError: Error, CustomStringConvertible {
    public let description: String
}
