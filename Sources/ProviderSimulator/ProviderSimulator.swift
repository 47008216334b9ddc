import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ReconBills
import ReconClock
import ReconCore
import ReconProviders
import UnixSignals

/// Serves WeChat Pay APIv3 and the gateway's API on loopback from a scenario, signing answers the
/// way the providers do and injecting the faults asked for.
///
/// Each provider's routes are in a file of their own (``WeChatPayRoutes``, ``GatewayRoutes``);
/// ``FaultMiddleware`` adds latency and draws the fault of every request in front of both.
public struct ProviderSimulator: Sendable {
    let state: SimulatorState
    let keys: SimulatorKeyRing
    let clock: any RunClock

    /// Creates a simulator; reads the platform key from `keys`.
    public init(
        scenario: Scenario, keys: SimulatorKeys, faults: Faults = Faults(), seed: UInt64 = 1,
        clock: any RunClock
    ) throws {
        self.state = SimulatorState(scenario: scenario, faults: faults, seed: seed)
        self.keys = try SimulatorKeyRing(keys)
        self.clock = clock
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
        let served = SimulatorServer(state: state, keys: keys, clock: clock)
        WeChatPayRoutes(server: served).register(
            on: router.group().add(middleware: FaultMiddleware(server: served, serverError: (.badGateway, "502 Bad Gateway"))))
        GatewayRoutes(server: served).register(
            on: router.group().add(middleware: FaultMiddleware(server: served, serverError: (.serviceUnavailable, "503 Service Unavailable"))))
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "provider-sim"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) },
            logger: Logger(label: "provider-sim", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService(gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [])
    }
}

/// A request's context in the simulator: the fault ``FaultMiddleware`` drew for it, if any.
struct SimulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The fault the route must inject; `nil` when the answer is a normal one.
    var fault: Fault?

    init(source: Source) {
        self.coreContext = .init(source: source)
    }
}

/// What every route of the simulator shares: the scenario's state, the keys, the clock, and the
/// bill bytes as the faults leave them.
struct SimulatorServer: Sendable {
    let state: SimulatorState
    let keys: SimulatorKeyRing
    let clock: any RunClock

    /// A bill file's bytes, unpacked when the file is gzip.
    static func billBytes(_ bill: Scenario.Bill) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: bill.path) else { return nil }
        let bytes = Array(data)
        return Gzip.isCompressed(bytes) ? try? Gzip.decompress(bytes, name: bill.path) : bytes
    }

    /// A bill as the faults leave it: cut before its summary, or with one amount changed.
    static func faulted(_ bytes: [UInt8], faults: Faults) -> [UInt8] {
        var bytes = bytes
        // The first digit 1–8 after the header line becomes one more.
        let body = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
        if faults.tamperBills, let digit = bytes[body...].firstIndex(where: { $0 >= 0x31 && $0 <= 0x38 }) {
            bytes[digit] += 1
        }
        if faults.truncateBills { bytes = Array(bytes.prefix(bytes.count * 2 / 3)) }
        return bytes
    }

    func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
