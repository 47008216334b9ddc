import ReconCore
@testable import ReconJob
@testable import ReconStore
import ReconTestSupport
import Testing

@Suite("Open items carried over ahead of the transaction")
struct RunCarryoverTests {
    struct Refused: Error {}

    /// A run that finds an amount mismatch on A and B missing from the bill, finished at `time` as `runID`.
    func carryover(_ runID: String, at time: String) -> RunCarryover {
        var store = InMemoryReconciliation(orders: [Sample.order("A", "10.00"), Sample.order("B", "5.00")])
        store.bill([Sample.payment("A", "12.00")])
        let reconciled = store.reconcile()
        return RunCarryover(
            results: reconciled.results, outcomes: reconciled.outcomes, inputs: [:], coverage: reconciled.coverage,
            config: ReconConfig(storePath: "", billPaths: [], reportsFolder: ""), runID: runID, at: Sample.time(time))
    }

    @Test("worked out ahead from the items read ahead, the carryover is the one worked out from the same items; a failed read gives none")
    func ahead() throws {
        let previous = carryover("run-1", at: "2026-11-21 02:00:00").advance([]).changed
        #expect(previous.count == 2)
        let run = carryover("run-2", at: "2026-11-22 02:00:00")
        let carried = try #require(try run.advance(ahead: OpenItemsAhead(version: 1) { previous }).take())
        let expected = run.advance(previous)
        #expect(carried.changed == expected.changed)
        #expect(carried.changed.allSatisfy { $0.lastRunID == "run-2" && $0.firstRunID == "run-1" })
        #expect(carried.section(for: Sample.day).stillOpen == expected.section(for: Sample.day).stillOpen)
        #expect(try run.advance(ahead: OpenItemsAhead(version: 1) { throw Refused() }).take() == nil)
    }
}
