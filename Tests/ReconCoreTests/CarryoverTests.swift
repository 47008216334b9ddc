import ReconCore
import ReconTestSupport
import Testing

/// A store of open items kept across nights, as the real store keeps them.
private struct Nights {
    var items: [String: OpenItem] = [:]
    var runs = 0

    /// Reconciles `store` with its bills and carries the items over, as one run does.
    mutating func run(_ store: InMemoryReconciliation, days: [CivilDate]? = nil) -> Carryover {
        runs += 1
        let reconciled = store.reconcile()
        var keys: Set<BillCoverage.Key> = []
        for result in reconciled.results {
            for merchant in reconciled.coverage.merchants(on: result.day) {
                keys.insert(BillCoverage.Key(merchant: merchant, day: result.day))
            }
        }
        let carryover = Carryover(
            previous: Array(items.values), results: reconciled.results, outcomes: reconciled.outcomes,
            reexamined: Reexamination(bills: reconciled.coverage), reconciled: keys, runID: "run-\(runs)",
            at: Timestamp(epochSeconds: 1_800_000_000 + Int64(runs) * 86_400))
        for item in carryover.changed { items[item.id] = item }
        return carryover
    }

    func item(_ kind: DiscrepancyKind, _ subject: String) -> OpenItem? {
        items.values.first { $0.kind == kind && $0.subject == subject }
    }
}

private typealias S = Sample

private let day20 = S.day
private let day21 = S.day.adding(days: 1)
private let day22 = S.day.adding(days: 2)

private func ids(_ items: [OpenItem]) -> [String] { items.map { "\($0.kind.rawValue) \($0.subject)" } }

@Suite("Open items carried across days")
struct CarryoverTests {
    @Test("a discrepancy is new on its day, then still open on the next with its age")
    func newThenStillOpen() throws {
        var nights = Nights()
        var store = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        store.bill([S.payment("A", "12.00")])
        let first = nights.run(store).section(for: day20)
        #expect(ids(first.new) == ["amount_mismatch A"])
        #expect(first.stillOpen.isEmpty && first.resolved.isEmpty)

        var next = InMemoryReconciliation(orders: [S.order("A", "10.00"), S.order("B", at: "2026-11-21 10:00:00")])
        next.bill([S.payment("B", at: "2026-11-21 10:00:00")], day: day21)
        let second = nights.run(next).section(for: day21)
        #expect(second.new.isEmpty)
        #expect(ids(second.stillOpen) == ["amount_mismatch A"])
        #expect(second.stillOpen.first?.age(on: day21) == 1)
        #expect(nights.item(.amountMismatch, "A")?.firstRunID == "run-1")
    }

    @Test("rerunning a day that no longer shows an item resolves it, and says so in that day's report")
    func rerunResolves() throws {
        var nights = Nights()
        var store = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        store.bill([S.payment("A", "12.00")])
        _ = nights.run(store)
        var fixed = InMemoryReconciliation(orders: [S.order("A", "12.00")])
        fixed.bill([S.payment("A", "12.00")])
        let section = nights.run(fixed).section(for: day20)
        #expect(section.new.isEmpty)
        #expect(ids(section.resolved) == ["amount_mismatch A"])
        let item = try #require(nights.item(.amountMismatch, "A"))
        #expect(item.state == .resolved)
        #expect(item.resolution == "no longer found when 2026-11-20 was reconciled")
        #expect(item.resolvedOn == day20)
    }

    @Test("the same run twice gives the same sections")
    func rerunIsStable() throws {
        var nights = Nights()
        var store = InMemoryReconciliation(orders: [S.order("A", "10.00"), S.order("T", at: "2026-11-20 23:57:00")])
        store.bill([S.payment("A", "12.00")])
        let first = nights.run(store).section(for: day20)
        let second = nights.run(store).section(for: day20)
        #expect(ids(first.new) == ["amount_mismatch A", "timing_difference T"])
        #expect(ids(second.new) == ids(first.new))
        #expect(ids(second.resolved) == ids(first.resolved))
        #expect(ids(second.stillOpen) == ids(first.stillOpen))
    }

    struct TimingCase: CustomTestStringConvertible, Sendable {
        var name: String
        var nextBill: [BillEntry]
        var resolution: String
        var newOnNextDay: [String]
        var testDescription: String { name }
    }

    @Test(
        "a timing difference is settled by the next day's bill",
        arguments: [
            TimingCase(
                name: "the next bill holds the order: cleared",
                nextBill: [S.payment("T", at: "2026-11-20 23:57:00")],
                resolution: "cleared by the bill of 2026-11-21", newOnNextDay: []),
            TimingCase(
                name: "the next bill lacks it too: it becomes missing_in_bill of its own day",
                nextBill: [], resolution: "not in the bill of 2026-11-21 either",
                newOnNextDay: ["missing_in_bill T"]),
        ])
    func timingDifferenceSettles(_ scenario: TimingCase) throws {
        var nights = Nights()
        let orders = [S.order("T", at: "2026-11-20 23:57:00")]
        var first = InMemoryReconciliation(orders: orders)
        first.bill([])
        #expect(ids(nights.run(first).section(for: day20).new) == ["timing_difference T"])

        var next = InMemoryReconciliation(orders: orders)
        next.bill(scenario.nextBill, day: day21)
        let carryover = nights.run(next)
        let section = carryover.section(for: day21)
        #expect(ids(section.resolved) == ["timing_difference T"])
        #expect(ids(section.new) == scenario.newOnNextDay)
        #expect(ids(section.newAlarms) == scenario.newOnNextDay)
        let timing = try #require(nights.item(.timingDifference, "T"))
        #expect(timing.resolution == scenario.resolution)
        if let missing = nights.item(.missingInBill, "T") {
            #expect(missing.day == day20 && missing.foundOn == day21 && missing.amountAtStake == S.money("10.00"))
        }

        // Rerunning the first day alone cannot see the next bill, so it changes nothing.
        let rerun = nights.run(first).section(for: day20)
        #expect(rerun.new.isEmpty)
        #expect(nights.item(.timingDifference, "T")?.state == .resolved)
        #expect(nights.item(.missingInBill, "T")?.state == (scenario.newOnNextDay.isEmpty ? nil : .open))
    }

    @Test("an acknowledged item leaves the open list, is reported once, and stays acknowledged when found again")
    func acknowledgement() throws {
        var nights = Nights()
        var store = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        store.bill([S.payment("A", "12.00")])
        _ = nights.run(store)
        var item = try #require(nights.item(.amountMismatch, "A"))
        let ack = OpenItem.Acknowledgement(by: "li.wei", at: S.time("2026-11-21 09:00:00"), note: "refunded by hand")
        try item.acknowledge(ack)
        #expect(throws: OpenItemError.alreadyAcknowledged(item)) { try item.acknowledge(ack) }
        nights.items[item.id] = item

        var next = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        next.bill([], day: day21)
        let reported = nights.run(next).section(for: day21)
        #expect(ids(reported.resolved) == ["amount_mismatch A"])
        #expect(reported.stillOpen.isEmpty)
        #expect(reported.resolved.first?.acknowledgement == ack)

        var later = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        later.bill([], day: day22)
        #expect(nights.run(later).section(for: day22).resolved.isEmpty)

        let again = nights.run(store).section(for: day20)
        #expect(again.new.isEmpty)
        #expect(nights.item(.amountMismatch, "A")?.state == .acknowledged)
        #expect(nights.item(.amountMismatch, "A")?.acknowledgement == ack)
    }

    @Test("a resolved item found again is open again")
    func reopens() throws {
        var nights = Nights()
        var broken = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        broken.bill([S.payment("A", "12.00")])
        var fixed = InMemoryReconciliation(orders: [S.order("A", "12.00")])
        fixed.bill([S.payment("A", "12.00")])
        _ = nights.run(broken)
        _ = nights.run(fixed)
        var resolved = try #require(nights.item(.amountMismatch, "A"))
        #expect(throws: OpenItemError.alreadyResolved(resolved)) {
            try resolved.acknowledge(OpenItem.Acknowledgement(by: "x", at: S.time("2026-11-21 09:00:00"), note: "n"))
        }
        let section = nights.run(broken).section(for: day20)
        #expect(ids(section.new) == ["amount_mismatch A"])
        #expect(nights.item(.amountMismatch, "A")?.resolution == nil)
    }

    @Test("an acknowledgement or a resolution explains itself")
    func errorsExplain() {
        var item = OpenItem(
            Discrepancy(kind: .missingLocally, day: day20, merchant: S.wechat, outTradeNo: "Z", explanation: "x"),
            foundOn: day20, runID: "r", at: S.time("2026-11-20 10:30:00"))
        item.acknowledgement = .init(by: "li.wei", at: S.time("2026-11-21 09:00:00"), note: "known")
        #expect(
            "\(OpenItemError.alreadyAcknowledged(item))".contains(
                "already acknowledged by li.wei at 2026-11-21T09:00:00+08:00: \"known\""))
    }
}

@Suite("Timing differences near the start of a day")
struct EarlyTimingTests {
    @Test("an item paid just after midnight waits for the previous day's bill, not the next one's")
    func waitsForThePreviousBill() throws {
        var nights = Nights()
        let orders = [Sample.order("E", at: "2026-11-20 00:03:00")]
        var first = InMemoryReconciliation(orders: orders)
        first.bill([])
        _ = nights.run(first)
        #expect(nights.item(.timingDifference, "E")?.expectedIn == day20.adding(days: -1))

        var next = InMemoryReconciliation(orders: orders)
        next.bill([], day: day21)
        let section = nights.run(next).section(for: day21)
        #expect(section.resolved.isEmpty && section.new.isEmpty, "the next day's bill says nothing about it")
        #expect(nights.item(.timingDifference, "E")?.state == .open)

        var previous = InMemoryReconciliation(orders: orders)
        previous.bill([Sample.payment("E", at: "2026-11-20 00:03:00")], day: day20.adding(days: -1))
        _ = nights.run(previous)
        #expect(nights.item(.timingDifference, "E")?.resolution == "cleared by the bill of 2026-11-19")
    }

    /// Carries one day's findings over with what the run re-examined, as one run of `day20` does.
    private func carry(
        _ previous: [OpenItem], found: [Discrepancy], bills: Set<BillEntry.Kind> = [.payment, .refund], queried: Bool,
        notQueried: Set<Reexamination.Subject> = [], run: Int
    ) -> Carryover {
        var coverage = BillCoverage()
        if !bills.isEmpty { coverage.insert(S.wechat, day: day20, kinds: bills) }
        let key = BillCoverage.Key(merchant: S.wechat, day: day20)
        return Carryover(
            previous: previous, results: [DayResult(day: day20, discrepancies: found, statistics: DayStatistics())],
            outcomes: [], reexamined: Reexamination(bills: coverage, queried: queried ? [key] : [], notQueried: notQueried),
            reconciled: [key], runID: "run-\(run)", at: Timestamp(epochSeconds: 1_800_000_000 + Int64(run)))
    }

    private func finding(_ kind: DiscrepancyKind, order: String, refund: String? = nil) -> Discrepancy {
        Discrepancy(
            kind: kind, day: day20, merchant: S.wechat, outTradeNo: order, outRefundNo: refund,
            amountAtStake: S.money("1.00"), explanation: "x")
    }

    @Test("a query finding is resolved only by a run that queried its merchant and day, and did not skip the item")
    func queryFindingsNeedQueries() {
        let pending = finding(.pendingResolved, order: "P")
        let first = carry([], found: [pending], queried: true, run: 1)
        let withoutQueries = carry(Array(first.items.values), found: [], queried: false, run: 2)
        #expect(withoutQueries.items[pending.id]?.state == .open, "a --no-queries rerun asked nothing")
        let skipped = carry(
            Array(withoutQueries.items.values), found: [], queried: true,
            notQueried: [Reexamination.Subject(merchant: S.wechat, isRefund: false, key: "P")], run: 3)
        #expect(skipped.items[pending.id]?.state == .open, "selected but not asked about")
        let asked = carry(Array(skipped.items.values), found: [], queried: true, run: 4)
        #expect(asked.items[pending.id]?.state == .resolved)
        let rerunWithout = carry(Array(asked.items.values), found: [], queried: false, run: 5)
        #expect(rerunWithout.items[pending.id]?.state == .resolved, "a rerun that cannot judge it keeps its resolution")
        #expect(rerunWithout.items[pending.id]?.resolution == asked.items[pending.id]?.resolution)
    }

    @Test("a bill finding is resolved only by a run that read a bill listing its kind of row")
    func billFindingsNeedTheirBill() {
        let refundMissing = finding(.refundMissingInBill, order: "A", refund: "A-R1")
        let conflict = finding(.providerConflict, order: "C")
        let first = carry([], found: [refundMissing, conflict], queried: true, run: 1)
        let paymentsOnly = carry(Array(first.items.values), found: [], bills: [.payment], queried: true, run: 2)
        #expect(paymentsOnly.items[refundMissing.id]?.state == .open, "a SUCCESS bill lists no refunds")
        #expect(paymentsOnly.items[conflict.id]?.state == .resolved)
        let conflictAgain = carry([first.items[conflict.id]!], found: [], queried: false, run: 3)
        #expect(conflictAgain.items[conflict.id]?.state == .open, "a conflict needs the query as well as the bill")
        let both = carry(Array(paymentsOnly.items.values), found: [], queried: false, run: 4)
        #expect(both.items[refundMissing.id]?.state == .resolved)
    }
}
