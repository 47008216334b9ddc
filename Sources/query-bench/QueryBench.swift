import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import ProviderPlugins
import ProviderSimulator
import ReconClock
import ReconCore
import ReconProviders
import SimulatorKit

/// `query-bench`: times the query engine against provider-sim on loopback.
///
/// It makes N pending orders of one merchant, serves their states from the simulator with a
/// fixed answer latency and a per-merchant rate limit, queries them all, and prints the requests
/// per second achieved, the requests the simulator refused over its limit, and how every order
/// ended. With `--faults`, that share of answers is faulted (outcome-unknown codes, 5xx, 429, bad
/// signatures and timeouts in equal parts).
@main
struct QueryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query-bench", abstract: "Time pending-order queries against the local provider simulator.")

    @Option(help: "Pending orders to query.")
    var orders = 10_000

    @Option(help: "The provider: \(ProviderSimulator.names.joined(separator: " or ")).")
    var provider = "gateway"

    @Option(help: "Queries in flight at once.")
    var concurrency = 16

    @Option(name: .customLong("faults"), help: "Share of answers faulted, 0 to 1, in equal parts of the five query faults; the simulator's own options below set them one by one.")
    var faultShare = 0.0

    @OptionGroup(title: "Simulator faults (defaults here: 20 ms latency, a limit of 200 a second with a burst of 20)")
    var faultOptions: FaultOptions

    @Option(name: .customLong("timeout-ms"), help: "How long one call may take, in milliseconds.")
    var timeout = 1_000

    @Option(name: .customLong("max-attempts"), help: "Attempts per order.")
    var maxAttempts = 5

    @Option(help: "Seed of the simulator's fault dice.")
    var seed: UInt64 = 1

    func validate() throws {
        guard simulated != nil else {
            throw ValidationError("The simulator serves \(ProviderSimulator.names.joined(separator: " and ")), not '\(provider)'.")
        }
    }

    private var simulated: (any SimulatedProvider.Type)? {
        ProviderSimulator.providers.first { $0.provider.rawValue == provider }
    }

    func run() async throws {
        let simulated = simulated!
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("query-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keys = SimulatorKeys(folder: folder)
        let merchantID = simulated.sampleMerchantID
        let merchant = MerchantRef(provider: simulated.provider, merchantID: merchantID)
        try simulated.generateKeys(for: [merchantID], in: keys)

        let states = simulated.sampleOrderStates
        var scenario = Scenario()
        var items: [PendingItem] = []
        let created = Timestamp(epochSeconds: 1_795_132_800)
        for index in 0..<orders {
            let key = "BENCH-\(index)"
            scenario.orders.append(
                .init(provider: provider, merchantID: merchantID, outTradeNo: key, state: states[index % states.count],
                      amountMinor: Int64(100 + index), successTime: index % states.count == 0 ? "2026-11-20T10:00:00+08:00" : nil))
            let order = Order(
                outTradeNo: key, merchant: merchant, amount: Money(minorUnits: Int64(100 + index), currency: .cny), status: .pending,
                createdAt: created)
            items.append(PendingItem(.order(order), reason: .pendingStatus))
        }
        var defaults = Faults()
        defaults.latencyMilliseconds = 20
        defaults.ratePerSecond = 200
        defaults.rateBurst = 20
        for rate in [\Faults.errorRate, \.serverErrorRate, \.tooManyRate, \.badSignatureRate, \.timeoutRate] {
            defaults[keyPath: rate] = faultShare / 5
        }
        let injected = faultOptions.faults(over: defaults)
        let clock = SystemClock()
        let simulator = try ProviderSimulator(scenario: scenario, keys: keys, faults: injected, seed: seed, clock: clock)

        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run(host: "127.0.0.1", port: 0) { continuation.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            let base = "http://127.0.0.1:\(port)"
            let http = ProviderHTTPClient.make(concurrency: concurrency)
            let client = try simulated.account(baseURL: base, merchants: [merchantID], keys: keys)
                .connect(http: http, timeout: .milliseconds(Int64(timeout)), clock: clock)
            let settings = QuerySettings(
                concurrency: concurrency, maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(2),
                defaultRate: RateLimit(perSecond: injected.ratePerSecond, burst: 10))
            let started = clock.uptime()
            let result = await QueryEngine(providers: [client], settings: settings, book: ErrorCodeBook(catalogs: Providers.plugin(simulated.provider)?.profile.catalogs ?? []), clock: clock).run(items)
            let seconds = clock.seconds(since: started)
            try await http.shutdown()
            group.cancelAll()

            let counters = await simulator.counters
            var answered = 0
            var unresolved = 0
            var notQueried = 0
            var wrong = 0
            for outcome in result.outcomes {
                switch outcome.result {
                case .answered(let answer):
                    answered += 1
                    let expected = Int(outcome.item.key.dropFirst("BENCH-".count))! % states.count
                    if answer.providerWord != states[expected] { wrong += 1 }
                case .unresolved: unresolved += 1
                case .notQueried: notQueried += 1
                }
            }
            let refused = result.attempts.filter { $0.httpStatus == 429 }.count
            let firstRefusal = result.attempts.filter { $0.httpStatus == 429 }.map(\.at.epochSeconds).min()
            let firstCall = result.attempts.map(\.at.epochSeconds).min() ?? 0
            print("query-bench: \(orders) pending \(provider) orders, \(injected.latencyMilliseconds) ms latency, limit \(injected.ratePerSecond)/s (burst \(injected.rateBurst)), concurrency \(concurrency), faults \(Int(faultShare * 100)) %")
            print(String(format: "wall            %.2f s", seconds))
            print("requests        \(result.attempts.count) (simulator counted \(counters.requests))")
            print(String(format: "requests/s      %.1f", Double(result.attempts.count) / seconds))
            print("refused (429)   \(refused) by the engine's count, \(counters.rateLimited) over the simulator's limit"
                + (firstRefusal.map { ", first at +\($0 - firstCall) s" } ?? ""))
            print("faulted         \(counters.faulted) answers")
            print("slow-downs      \(result.slowDowns.values.reduce(0, +))")
            print("orders          \(result.outcomes.count): \(answered) answered, \(unresolved) unresolved, \(notQueried) not queried; \(wrong) answered with a wrong state")
            print("accounted for   \(answered + unresolved + notQueried == orders && result.outcomes.count == orders ? "every order" : "NOT every order")")
        }
    }
}
