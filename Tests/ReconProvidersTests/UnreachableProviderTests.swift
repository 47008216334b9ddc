import Foundation
import GatewayProvider
import ProviderPlugins
import ReconClock
import ReconCore
import ReconProviders
import ReconTestSupport
import Testing

/// A provider whose calls fail to connect until `answerFrom` calls have been made.
private final class Flaky: PaymentProvider, @unchecked Sendable {
    let provider: ProviderID = .gateway
    let answerFrom: Int
    private let lock = NSLock()
    private var calls = 0

    init(answerFrom: Int) { self.answerFrom = answerFrom }

    func queryOrder(outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        let call = lock.withLock { () -> Int in
            calls += 1
            return calls
        }
        guard call >= answerFrom else {
            throw ProviderTransportError(requestID: "r\(call)", isTimeout: false, detail: "Connection refused", failedToConnect: true)
        }
        return ProviderReply(requestID: "r\(call)", httpStatus: 500, bodySHA256: "", content: .refused(code: nil, message: "busy"))
    }

    func queryCombine(combineOutTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply? { nil }

    func queryRefund(outRefundNo: String, outTradeNo: String, merchant: MerchantRef) async throws -> ProviderReply {
        try await queryOrder(outTradeNo: outRefundNo, merchant: merchant)
    }
}

@Suite("A provider that cannot be reached")
struct UnreachableProviderTests {
    static let items = (1...6).map { index in
        PendingItem(.order(Sample.order("G-\(index)", "10.00", .pending, merchant: Sample.gateway)), reason: .pendingStatus)
    }

    static let settings = QuerySettings(
        concurrency: 1, maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2),
        defaultRate: RateLimit(perSecond: 1_000, burst: 100))

    @Test("a merchant whose every call fails to connect is stopped once: its items are not queried, not unresolved")
    func neverAnswered() async {
        let run = await QueryEngine(providers: [Flaky(answerFrom: .max)], settings: Self.settings, book: Providers.directory.book, clock: ManualClock()).run(Self.items)
        #expect(run.unreachable == [Sample.gateway])
        #expect(run.stopped[Sample.gateway]?.contains("gateway could not be reached: 3 calls in a row failed to connect") == true)
        #expect(run.attempts.count == 3, "the stop comes after one item's attempts")
        for outcome in run.outcomes {
            guard case .notQueried(let reason) = outcome.result else {
                Issue.record("\(outcome.item.key): \(outcome.result)")
                continue
            }
            #expect(reason == run.stopped[Sample.gateway])
        }
    }

    @Test("a provider that answered once is not stopped for later connection failures")
    func answeredOnce() async {
        let run = await QueryEngine(providers: [Flaky(answerFrom: 1)], settings: Self.settings, book: Providers.directory.book, clock: ManualClock()).run(Self.items)
        #expect(run.unreachable.isEmpty && run.stopped.isEmpty)
        #expect(run.outcomes.allSatisfy { if case .unresolved = $0.result { true } else { false } })
    }
}
