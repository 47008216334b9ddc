import Foundation
import GatewayProvider
import ProviderPlugins
import ProviderSimulator
import ProviderTestSupport
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import SimulatorKit
import Testing
import WalletGatewayProvider
import WeChatPayProvider

@Suite("The query engine against the simulator")
struct QueryEngineTests {
    static let wechat = MerchantRef(provider: .wechatPay, merchantID: "1900000109")
    static let wechat2 = MerchantRef(provider: .wechatPay, merchantID: "1900000110")
    static let gateway = MerchantRef(provider: .gateway, merchantID: "800100200")

    static func item(_ key: String, _ merchant: MerchantRef, combine: String? = nil) -> PendingItem {
        PendingItem(.order(Sample.order(key, "10.00", .pending, merchant: merchant, combine: combine)), reason: .pendingStatus)
    }

    static let items: [PendingItem] = [
        item("W-PAID", wechat), item("W-NOTPAY", wechat), item("W-CLOSED", wechat), item("NOPE", wechat),
        item("G-PAID", gateway), item("G-PENDING", gateway), item("NOPE", gateway),
        item("C-1", wechat, combine: "COMBINE-1"),
        PendingItem(.refund(Sample.refund("W-PAID-R1", of: "W-PAID", "10.00", .pending, merchant: wechat)), reason: .pendingStatus),
        PendingItem(.refund(Sample.refund("G-PAID-R1", of: "G-PAID", "20.00", .pending, merchant: gateway)), reason: .pendingStatus),
    ]

    static let expectedStates = [
        "W-PAID": "PAID", "W-NOTPAY": "PENDING", "W-CLOSED": "CLOSED", "NOPE": "NOT_FOUND", "G-PAID": "PAID",
        "G-PENDING": "PENDING", "C-1": "PAID", "W-PAID-R1": "REFUND_SUCCESS", "G-PAID-R1": "REFUND_PROCESSING",
    ]

    static func fast(maxAttempts: Int = 5, rate: RateLimit = RateLimit(perSecond: 500, burst: 50)) -> QuerySettings {
        QuerySettings(concurrency: 8, maxAttempts: maxAttempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(80), defaultRate: rate)
    }

    @Test("every item is answered and every attempt is recorded with its request id, status, code, state and body hash")
    func clean() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await sim.withClients { wechat, gateway in
                let run = await QueryEngine(providers: [wechat, gateway], settings: Self.fast(), book: Providers.directory.book, clock: sim.clock).run(Self.items)
                #expect(run.outcomes.map(\.item) == Self.items)
                for outcome in run.outcomes {
                    #expect(outcome.answer?.state?.rawValue == Self.expectedStates[outcome.item.key], "\(outcome.item.key)")
                }
                #expect(run.outcomes.first { $0.item.key == "C-1" }?.answer?.subOrders.count == 2)
                #expect(run.attempts.count == Self.items.count)
                #expect(run.attempts.allSatisfy { !$0.requestID.isEmpty && $0.httpStatus != nil && $0.bodySHA256?.count == 64 && $0.attempt == 1 })
                #expect(run.attempts.first { $0.key == "COMBINE-1" }?.subject == "combine")
                #expect(run.attempts.first { $0.key == "NOPE" && $0.merchant == Self.gateway }?.code == "C12")
                #expect(run.stopped.isEmpty)
            }
        }
    }

    @Test("with 30 % of answers faulted, every item ends answered correctly or unresolved, none dropped")
    func faulted() async throws {
        var faults = Faults()
        faults.errorRate = 0.1
        faults.serverErrorRate = 0.05
        faults.tooManyRate = 0.05
        faults.badSignatureRate = 0.05
        faults.timeoutRate = 0.05
        let many = (0..<6).flatMap { _ in Self.items }
        try await SimulatorHarness.with(SimScenario.basic, faults: faults, seed: 42) { sim in
            try await sim.withClients(concurrency: 8, timeout: 1) { wechat, gateway in
                let run = await QueryEngine(providers: [wechat, gateway], settings: Self.fast(maxAttempts: 6), book: Providers.directory.book, clock: sim.clock).run(many)
                #expect(run.outcomes.count == many.count)
                var answered = 0
                for outcome in run.outcomes {
                    switch outcome.result {
                    case .answered(let answer):
                        answered += 1
                        #expect(answer.state?.rawValue == Self.expectedStates[outcome.item.key], "a faulted answer was trusted")
                    case .unresolved(let reason, _): #expect(!reason.isEmpty)
                    case .notQueried: Issue.record("\(outcome.item.key) was not queried")
                    }
                }
                #expect(answered > many.count / 2)
                #expect(run.attempts.count > many.count, "faults cause retries")
                #expect(run.attempts.contains { $0.error?.hasPrefix("untrusted") == true })
                #expect(run.attempts.contains { $0.error?.contains("timed out") == true })
                let perItem = Dictionary(grouping: run.attempts) { "\($0.subject)|\($0.merchant)|\($0.key)|" }
                #expect(perItem.values.allSatisfy { $0.count <= 6 * 6 })
            }
        }
    }

    @Test("answers that never settle leave items unresolved, and never give a state")
    func neverAnswered() async throws {
        var faults = Faults()
        faults.errorRate = 1
        try await SimulatorHarness.with(SimScenario.basic, faults: faults) { sim in
            try await sim.withClients { wechat, gateway in
                let items = [Self.item("W-PAID", Self.wechat), Self.item("G-PAID", Self.gateway)]
                let run = await QueryEngine(providers: [wechat, gateway], settings: Self.fast(maxAttempts: 3), book: Providers.directory.book, clock: sim.clock).run(items)
                for outcome in run.outcomes {
                    guard case .unresolved(let reason, let code) = outcome.result else { Issue.record("\(outcome)"); continue }
                    #expect(reason.contains("no usable answer in 3 attempts"))
                    #expect(code != nil)
                    #expect(outcome.attempts == 3)
                }
            }
        }
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await sim.withClients { wechat, _ in
                let run = await QueryEngine(providers: [wechat], settings: Self.fast(maxAttempts: 2), book: Providers.directory.book, clock: sim.clock).run([Self.item("W-ODD", Self.wechat)])
                guard case .unresolved(let reason, _) = run.outcomes[0].result else { Issue.record("\(run.outcomes)"); return }
                #expect(reason.contains("a state the job does not know: TELEPORTED"))
            }
        }
    }

    @Test("a signature refusal stops that merchant's queries with one message; other merchants go on")
    func stopsOnConfigError() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await SimulatorHarness.withHTTP(concurrency: 4) { http in
                // Merchant 109 signs with merchant 110's key: the simulator answers SIGN_ERROR.
                var wrong = try sim.wechatCredentials("1900000110")
                wrong.merchantID = "1900000109"
                let wechat = WeChatPayClient(baseURL: sim.baseURL, credentials: [wrong], http: http, clock: sim.clock)
                try await sim.withClients { _, gateway in
                    let items = (0..<20).map { Self.item("W-\($0)", Self.wechat) } + [Self.item("G-PAID", Self.gateway)]
                    let run = await QueryEngine(providers: [wechat, gateway], settings: QuerySettings(concurrency: 2, baseDelay: .milliseconds(10)), book: Providers.directory.book, clock: sim.clock)
                        .run(items)
                    #expect(run.stopped.count == 1)
                    let message = try #require(run.stopped[Self.wechat])
                    #expect(message.contains("wechatpay/1900000109: queries stopped: the provider answered SIGN_ERROR"))
                    #expect(run.outcomes.filter { $0.item.merchant == Self.wechat }.allSatisfy {
                        if case .notQueried(let reason) = $0.result { return reason == message } else { return false }
                    })
                    #expect(run.attempts.filter { $0.merchant == Self.wechat }.count <= 2, "only the calls in flight when it stopped")
                    #expect(run.outcomes.last?.answer?.state == .paid)
                }
            }
        }
    }

    @Test("rate-limit answers slow the merchant down, and every item still ends answered")
    func slowsDown() async throws {
        var faults = Faults()
        faults.ratePerSecond = 40
        faults.rateBurst = 4
        let many = (0..<40).map { _ in Self.item("G-PAID", Self.gateway) }
        try await SimulatorHarness.with(SimScenario.basic, faults: faults) { sim in
            try await sim.withClients { _, gateway in
                // On the simulator's manual clock a call takes no time, so only the engine's own
                // waits space the calls: the items get room to be refused many times on the way.
                let settings = QuerySettings(
                    concurrency: 8, maxAttempts: 20, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200),
                    defaultRate: RateLimit(perSecond: 400, burst: 20))
                let run = await QueryEngine(providers: [gateway], settings: settings, book: Providers.directory.book, clock: sim.clock).run(many)
                #expect((run.slowDowns[Self.gateway] ?? 0) > 0)
                #expect(run.outcomes.allSatisfy { $0.answer?.state == .paid })
                #expect(run.attempts.contains { $0.code == "S04" && $0.httpStatus == 429 })
            }
        }
    }

    @Test("items of a merchant without keys, or of a provider without a client, are listed as not queried, with no call")
    func unconfigured() async throws {
        try await SimulatorHarness.with(SimScenario.basic) { sim in
            try await sim.withClients { wechat, _ in
                let items = [
                    Self.item("X", MerchantRef(provider: .wechatPay, merchantID: "1900000999")),
                    Self.item("Y", MerchantRef(provider: .walletGateway, merchantID: "m")),
                ]
                let run = await QueryEngine(providers: [wechat], settings: Self.fast(), book: Providers.directory.book, clock: sim.clock).run(items)
                #expect(run.attempts.isEmpty)
                #expect(run.outcomes.map(\.result) == [
                    .notQueried(reason: "no keys are configured for wechatpay/1900000999; add it under providers.wechatpay.merchants"),
                    .notQueried(reason: "no wallet-gateway API is configured (providers.wallet-gateway.base_url)"),
                ])
                #expect(run.stopped.isEmpty)
            }
        }
    }

    @Test("backoff doubles from the base delay, is capped, and keeps between half and all of it")
    func backoff() {
        let settings = QuerySettings(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(settings.delay(before: 2, random: 1) == .milliseconds(100))
        #expect(settings.delay(before: 2, random: 0) == .milliseconds(50))
        #expect(settings.delay(before: 3, random: 1) == .milliseconds(200))
        #expect(settings.delay(before: 5, random: 1) == .milliseconds(800))
        #expect(settings.delay(before: 9, random: 1) == .seconds(1))
        #expect(settings.delay(before: 9, random: 0) == .milliseconds(500))
    }
}
