import Foundation
@testable import ReconJob
import ReconCore
import ReconTestSupport
import Synchronization
import Testing

/// The gate between a day's bill read and its matching, which opens once the day's orders are in.
@Suite("The gate between the bill read and the matching")
struct MatchingGateTests {
    /// A count shared with the delivering threads.
    final class Count: Sendable {
        private let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        var now: Int { value.withLock { $0 } }

        /// Waits for the count to reach `target` (a second at most), then a little longer, and
        /// expects it to have stopped there.
        func settles(at target: Int, _ comment: Comment? = nil) async throws {
            var waited = 0
            while now < target && waited < 500 {
                try await Task.sleep(for: .milliseconds(2))
                waited += 1
            }
            try await Task.sleep(for: .milliseconds(30))
            #expect(now == target, comment)
        }
    }

    /// Delivers `count` batches of one row each to `gate`, on a thread of its own; counts those delivered.
    static func deliver(_ count: Int, to gate: MatchingGate) -> Count {
        let delivered = Count()
        Thread {
            for index in 0..<count {
                gate.deliver(BillBatch([Sample.payment("O\(index)", line: index + 2)]))
                delivered.add()
            }
        }.start()
        return delivered
    }

    static func matching(orders: [Order]) -> DayMatching {
        var coverage = BillCoverage()
        coverage.insert(Sample.wechat, day: Sample.day, kinds: [.payment, .refund])
        let (zones, policy) = (ProviderZones(), MatchPolicy())
        return DayMatching(
            day: Sample.day, zones: zones, policy: policy, coverage: coverage,
            orders: [OrderChunk(orders, day: Sample.day, zones: zones, policy: policy)], refunds: [])
    }

    @Test("holds batches up to its capacity, makes a part wait past it, and hands every row to the matching once open")
    func holdsThenOpens() async throws {
        let gate = MatchingGate(cores: 2, capacity: 4)
        let rows = (0..<10).map { Sample.payment("O\($0)", line: $0 + 2) }
        let delivered = Count()
        // Two threads deliver batches of two: the first two batches are held, the rest wait.
        let threads = (0..<2).map { part in
            Thread {
                for batch in stride(from: part * 2, to: 10, by: 4).map({ Array(rows[$0..<min($0 + 2, 10)]) }) {
                    gate.deliver(BillBatch(batch))
                    delivered.add()
                }
            }
        }
        for thread in threads { thread.start() }
        try await delivered.settles(at: 2, "past its capacity a part waits")
        let matching = Self.matching(orders: (0..<10).map { Sample.order("O\($0)") })
        gate.open(matching)
        try await delivered.settles(at: 5)
        let (outcome, _) = matching.finish { _ in LookupResult() }
        #expect(outcome.discrepancies.isEmpty, "every row reached the matching: \(outcome.discrepancies.map(\.explanation))")
    }

    @Test("holds more rows, up to its widest, once fewer store reads run than there are cores")
    func widens() async throws {
        let gate = MatchingGate(cores: 2, capacity: 2, widest: 5)
        let delivered = Self.deliver(8, to: gate)
        try await delivered.settles(at: 2)
        gate.storeReads(running: 3)
        try await delivered.settles(at: 2)
        gate.storeReads(running: 2)
        try await delivered.settles(at: 2)
        gate.storeReads(running: 1)
        try await delivered.settles(at: 5)
        gate.storeReads(running: 2)
        try await delivered.settles(at: 5)
        let matching = Self.matching(orders: (0..<8).map { Sample.order("O\($0)") })
        gate.open(matching)
        try await delivered.settles(at: 8)
        let (outcome, _) = matching.finish { _ in LookupResult() }
        #expect(outcome.discrepancies.isEmpty, "every row reached the matching: \(outcome.discrepancies.map(\.explanation))")
    }

    @Test("on a machine with more cores than store reads, holds its widest as soon as the reads start")
    func manyCores() async throws {
        let gate = MatchingGate(cores: 8, capacity: 1, widest: 3)
        gate.storeReads(running: 3)
        let delivered = Self.deliver(4, to: gate)
        try await delivered.settles(at: 3, "it holds its widest, and past that a part waits")
        gate.abandon()
    }

    @Test("abandoned, it lets every waiting part go")
    func abandon() async throws {
        let gate = MatchingGate(cores: 2, capacity: 1)
        gate.deliver(BillBatch([Sample.payment("A")]))
        let finished = Count()
        Thread {
            gate.deliver(BillBatch([Sample.payment("B")]))
            finished.add()
        }.start()
        try await finished.settles(at: 0)
        gate.abandon()
        try await finished.settles(at: 1)
    }

    @Test("once closed, the gate holds no reference to the matching it opened on")
    func closeLetsGo() {
        let gate = MatchingGate(cores: 2, capacity: 4)
        weak var seen: DayMatching?
        do {
            let matching = Self.matching(orders: [Sample.order("O1")])
            seen = matching
            gate.open(matching)
        }
        #expect(seen != nil, "an open gate keeps the matching")
        gate.close()
        #expect(seen == nil, "a closed gate still keeps the matching")
    }
}
