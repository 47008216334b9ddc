import GatewayProvider
import ReconCore
import ReconTestSupport
import Testing

/// One reconciliation scenario: a store, the bills in the run, and every finding expected.
struct Scenario: Sendable, CustomTestStringConvertible {
    struct Bill: Sendable {
        var merchant: MerchantRef = Sample.wechat
        var day: CivilDate = Sample.day
        var kinds: Set<BillEntry.Kind> = [.payment, .refund]
        var rows: [BillEntry]
    }

    var name: String
    var orders: [Order] = []
    var refunds: [Refund] = []
    var bills: [Bill]
    var expected: [Finding]

    var testDescription: String { name }

    func findings() -> [Finding] { reconciliation().findings() }

    func reconciliation(
        shuffleSeed: UInt64? = nil, readParts: Int = 1, repeatAcrossParts: Bool = false, batchSize: Int = 1
    ) -> InMemoryReconciliation {
        var run = InMemoryReconciliation(orders: orders, refunds: refunds)
        run.shuffleSeed = shuffleSeed
        run.readParts = readParts
        run.repeatAcrossParts = repeatAcrossParts
        run.batchSize = batchSize
        for bill in bills { run.bill(bill.rows, merchant: bill.merchant, day: bill.day, kinds: bill.kinds) }
        return run
    }
}

private let day = Sample.day
private let nextDay = day.adding(days: 1)
private typealias S = Sample

@Suite("Matcher: every discrepancy kind")
struct MatcherKindTests {
    static let scenarios: [Scenario] = [
        Scenario(
            name: "a clean day has no discrepancies",
            orders: [S.order("A", "10.00"), S.order("B", "20.00"), S.order("P", "3.00", .pending)],
            refunds: [S.refund("A-R1", of: "A", "5.00")],
            bills: [.init(rows: [S.payment("A", "10.00"), S.payment("B", "20.00"), S.refundRow("A-R1", of: "A", "5.00")])],
            expected: []),
        Scenario(
            name: "missing_in_bill: paid locally, absent from the bill",
            orders: [S.order("A"), S.order("C", "12.00", at: "2026-11-20 12:00:00")],
            bills: [.init(rows: [S.payment("A")])],
            expected: [Finding(.missingInBill, "C", difference: -1200)]),
        Scenario(
            name: "missing_locally: the bill charged an order the store does not know",
            orders: [S.order("A")],
            bills: [.init(rows: [S.payment("A"), S.payment("X", "8.88")])],
            expected: [Finding(.missingLocally, "X", difference: 888)]),
        Scenario(
            name: "amount_mismatch: the bill and the store disagree on the amount",
            orders: [S.order("A", "10.00")],
            bills: [.init(rows: [S.payment("A", "10.30")])],
            expected: [Finding(.amountMismatch, "A", difference: 30)]),
        Scenario(
            name: "currency_mismatch: same order, different currencies",
            orders: [S.order("A", "10.00")],
            bills: [.init(rows: [S.payment("A", "10.00", currency: .hkd)])],
            expected: [Finding(.currencyMismatch, "A")]),
        Scenario(
            name: "status_mismatch: pending locally, paid in the bill",
            orders: [S.order("A", "10.00", .pending)],
            bills: [.init(rows: [S.payment("A", "10.00")])],
            expected: [Finding(.statusMismatch, "A", difference: 1000)]),
        Scenario(
            name: "status_mismatch: an order closed days ago was paid today",
            orders: [S.order("A", "10.00", .closed, at: "2026-11-17 09:00:00")],
            bills: [.init(rows: [S.payment("A", "10.00")])],
            expected: [Finding(.statusMismatch, "A", difference: 1000)]),
        Scenario(
            name: "status_mismatch: paid locally, revoked in the bill",
            orders: [S.order("A", "10.00")],
            bills: [.init(rows: [S.payment("A", "10.00", status: .revoked)])],
            expected: [Finding(.statusMismatch, "A", difference: -1000)]),
        Scenario(
            name: "duplicate_in_bill: one order paid twice",
            orders: [S.order("A", "10.00")],
            bills: [.init(rows: [S.payment("A", line: 2), S.payment("A", line: 9)])],
            expected: [Finding(.duplicateInBill, "A", difference: 1000)]),
        Scenario(
            name: "an unknown order paid twice is missing locally and duplicated",
            bills: [.init(rows: [S.payment("X", "1.00", line: 2), S.payment("X", "1.00", line: 3)])],
            expected: [Finding(.missingLocally, "X", difference: 100), Finding(.duplicateInBill, "X", difference: 100)]),
        Scenario(
            name: "refund_missing_in_bill: refunded locally, absent from the bill",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "4.00")],
            bills: [.init(rows: [S.payment("A")])],
            expected: [Finding(.refundMissingInBill, "A-R1", difference: -400)]),
        Scenario(
            name: "refund_missing_locally: the bill refunded without a local record",
            orders: [S.order("A")],
            bills: [.init(rows: [S.payment("A"), S.refundRow("A-R9", of: "A", "2.50")])],
            expected: [Finding(.refundMissingLocally, "A-R9", difference: 250)]),
        Scenario(
            name: "refund_amount_mismatch: the refunds disagree on the amount",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "4.00")],
            bills: [.init(rows: [S.payment("A"), S.refundRow("A-R1", of: "A", "4.50")])],
            expected: [Finding(.refundAmountMismatch, "A-R1", difference: 50)]),
        Scenario(
            name: "status_mismatch: refund failed locally, succeeded in the bill",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "4.00", .failed)],
            bills: [.init(rows: [S.payment("A"), S.refundRow("A-R1", of: "A", "4.00")])],
            expected: [Finding(.statusMismatch, "A-R1", difference: 400)]),
        Scenario(
            name: "status_mismatch: refund successful locally, abnormal in the bill",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "4.00")],
            bills: [.init(rows: [S.payment("A"), S.refundRow("A-R1", of: "A", "4.00", status: .abnormal)])],
            expected: [Finding(.statusMismatch, "A-R1", difference: -400)]),
        Scenario(
            name: "a refund still processing at the provider agrees with a pending or successful local refund",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "1.00", .pending), S.refund("A-R2", of: "A", "2.00")],
            bills: [.init(rows: [
                S.payment("A"), S.refundRow("A-R1", of: "A", "1.00", status: .processing),
                S.refundRow("A-R2", of: "A", "2.00", status: .processing),
            ])],
            expected: []),
        Scenario(
            name: "combine_inconsistent: one sub-order paid in its merchant's bill, the other missing from its own",
            orders: [
                S.order("C1-A", "10.00", combine: "C1"),
                S.order("C1-B", "20.00", merchant: S.wechat2, combine: "C1"),
            ],
            bills: [
                .init(rows: [S.payment("C1-A", "10.00")]),
                .init(merchant: S.wechat2, rows: []),
            ],
            expected: [Finding(.combineInconsistent, "C1"), Finding(.missingInBill, "C1-B", difference: -2000)]),
        Scenario(
            name: "combine_inconsistent: sub-orders disagree locally, one paid and one still pending",
            orders: [S.order("C2-A", "10.00", combine: "C2"), S.order("C2-B", "20.00", .pending, combine: "C2")],
            bills: [.init(rows: [S.payment("C2-A", "10.00")])],
            expected: [Finding(.combineInconsistent, "C2")]),
        Scenario(
            name: "combine_inconsistent: a combine payment with a single sub-order",
            orders: [S.order("C3-A", "10.00", combine: "C3")],
            bills: [.init(rows: [S.payment("C3-A", "10.00")])],
            expected: [Finding(.combineInconsistent, "C3")]),
        Scenario(
            name: "combine_inconsistent: the bills' sub-order amounts add up to a different total",
            orders: [
                S.order("C4-A", "10.00", combine: "C4"),
                S.order("C4-B", "20.00", merchant: S.wechat2, combine: "C4"),
            ],
            bills: [
                .init(rows: [S.payment("C4-A", "10.00")]),
                .init(merchant: S.wechat2, rows: [S.payment("C4-B", "25.00", merchant: S.wechat2)]),
            ],
            expected: [Finding(.combineInconsistent, "C4", difference: 500), Finding(.amountMismatch, "C4-B", difference: 500)]),
        Scenario(
            name: "a consistent combine payment across two merchants' bills is clean",
            orders: [
                S.order("C5-A", "10.00", combine: "C5"),
                S.order("C5-B", "20.00", merchant: S.wechat2, combine: "C5"),
            ],
            bills: [
                .init(rows: [S.payment("C5-A", "10.00")]),
                .init(merchant: S.wechat2, rows: [S.payment("C5-B", "20.00", merchant: S.wechat2)]),
            ],
            expected: []),
        Scenario(
            name: "a combine sub-order of a merchant whose bill is not in the run is not blamed",
            orders: [
                S.order("C6-A", "10.00", combine: "C6"),
                S.order("C6-B", "20.00", merchant: S.wechat2, combine: "C6"),
            ],
            bills: [.init(rows: [S.payment("C6-A", "10.00")])],
            expected: []),
        Scenario(
            name: "timing_difference: paid just before midnight, next day's bill not in the run",
            orders: [S.order("A", at: "2026-11-20 23:55:00")],
            bills: [.init(rows: [])],
            expected: [Finding(.timingDifference, "A", difference: -1000)]),
        Scenario(
            name: "timing_difference: paid just after midnight, previous day's bill not in the run",
            orders: [S.order("A", at: "2026-11-20 00:03:00")],
            bills: [.init(rows: [])],
            expected: [Finding(.timingDifference, "A", difference: -1000)]),
        Scenario(
            name: "timing_difference for a refund requested just before midnight",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A", "3.00", at: "2026-11-20 23:59:30")],
            bills: [.init(rows: [S.payment("A")])],
            expected: [Finding(.timingDifference, "A-R1", difference: -300)]),
        Scenario(
            name: "date_mismatch: the bill pays today an order the store paid three days ago",
            orders: [S.order("A", at: "2026-11-17 10:00:00")],
            bills: [.init(rows: [S.payment("A")])],
            expected: [Finding(.dateMismatch, "A")]),
        Scenario(
            name: "merchant_mismatch: one merchant's bill holds another merchant's order",
            orders: [S.order("A"), S.order("B", merchant: S.wechat2)],
            bills: [.init(rows: [S.payment("A"), S.payment("B")]), .init(merchant: S.wechat2, rows: [])],
            expected: [Finding(.merchantMismatch, "B")]),
        Scenario(
            name: "merchants without a bill in the run are not reconciled",
            orders: [S.order("A"), S.order("G", merchant: S.gateway)],
            bills: [.init(rows: [S.payment("A")])],
            expected: []),
        Scenario(
            name: "a SUCCESS-only bill does not expect refunds",
            orders: [S.order("A")],
            refunds: [S.refund("A-R1", of: "A")],
            bills: [.init(kinds: [.payment], rows: [S.payment("A")])],
            expected: []),
    ]

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) {
        #expect(scenario.findings() == scenario.expected)
    }
}

@Suite("Matcher: refunds, days and currencies")
struct MatcherCaseTests {
    static let scenarios: [Scenario] = [
        Scenario(
            name: "partial refunds are matched one by one",
            orders: [S.order("A", "100.00")],
            refunds: [S.refund("A-R1", of: "A", "30.00"), S.refund("A-R2", of: "A", "20.00", at: "2026-11-20 15:00:00")],
            bills: [.init(rows: [
                S.payment("A", "100.00"), S.refundRow("A-R1", of: "A", "30.00"),
                S.refundRow("A-R2", of: "A", "20.00", at: "2026-11-20 15:00:00"),
            ])],
            expected: []),
        Scenario(
            name: "one wrong partial refund is the only finding",
            orders: [S.order("A", "100.00")],
            refunds: [S.refund("A-R1", of: "A", "30.00"), S.refund("A-R2", of: "A", "20.00")],
            bills: [.init(rows: [
                S.payment("A", "100.00"), S.refundRow("A-R1", of: "A", "30.00"), S.refundRow("A-R2", of: "A", "25.00"),
            ])],
            expected: [Finding(.refundAmountMismatch, "A-R2", difference: 500)]),
        Scenario(
            name: "a payment and its refund on different days, both bills in the run",
            orders: [S.order("A", "50.00")],
            refunds: [S.refund("A-R1", of: "A", "50.00", at: "2026-11-22 09:00:00")],
            bills: [
                .init(rows: [S.payment("A", "50.00")]),
                .init(day: day.adding(days: 2), rows: [S.refundRow("A-R1", of: "A", "50.00", at: "2026-11-22 09:00:00")]),
            ],
            expected: []),
        Scenario(
            name: "a refund day alone needs no payment row of the order",
            orders: [S.order("A", "50.00")],
            refunds: [S.refund("A-R1", of: "A", "50.00", at: "2026-11-22 09:00:00")],
            bills: [.init(day: day.adding(days: 2), rows: [S.refundRow("A-R1", of: "A", "50.00", at: "2026-11-22 09:00:00")])],
            expected: []),
        Scenario(
            name: "several currencies are compared each in its own",
            orders: [
                S.order("CN", "10.00"), S.order("HK", "10.00", currency: .hkd), S.order("JP", "1500", currency: .jpy),
            ],
            bills: [.init(rows: [
                S.payment("CN", "10.00"), S.payment("HK", "10.01", currency: .hkd), S.payment("JP", "1500", currency: .jpy),
            ])],
            expected: [Finding(.amountMismatch, "HK", difference: 1)]),
        Scenario(
            name: "matched across midnight when the next day's bill holds the payment",
            orders: [S.order("A", at: "2026-11-20 23:59:50")],
            bills: [
                .init(rows: []),
                .init(day: nextDay, rows: [S.payment("A", at: "2026-11-21 00:00:01")]),
            ],
            expected: []),
        Scenario(
            name: "missing from both days' bills is missing_in_bill, not a timing difference",
            orders: [S.order("A", at: "2026-11-20 23:59:50")],
            bills: [.init(rows: []), .init(day: nextDay, rows: [])],
            expected: [Finding(.missingInBill, "A", difference: -1000)]),
        Scenario(
            name: "a local time just after midnight matched in the previous day's bill",
            orders: [S.order("A", at: "2026-11-21 00:00:05")],
            bills: [
                .init(rows: [S.payment("A", at: "2026-11-20 23:59:58")]),
                .init(day: nextDay, rows: []),
            ],
            expected: []),
        Scenario(
            name: "the same payment in two neighbouring days' bills is a duplicate",
            orders: [S.order("A", at: "2026-11-20 23:59:55")],
            bills: [
                .init(rows: [S.payment("A", at: "2026-11-20 23:59:55")]),
                .init(day: nextDay, rows: [S.payment("A", at: "2026-11-21 00:00:02")]),
            ],
            expected: [Finding(.duplicateInBill, "A", day: nextDay, difference: 1000)]),
        Scenario(
            name: "a local time just after midnight with only that earlier bill in the run",
            orders: [S.order("A", at: "2026-11-21 00:00:05")],
            bills: [.init(rows: [S.payment("A", at: "2026-11-20 23:59:58")])],
            expected: []),
        Scenario(
            name: "local times in another offset are placed in the provider's day",
            orders: [S.order("A", at: "2026-11-20T01:00:00Z"), S.order("B", at: "2026-11-19T15:30:00Z")],
            bills: [.init(rows: [S.payment("A")])],
            expected: []),
    ]

    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) {
        #expect(scenario.findings() == scenario.expected)
    }

    @Test("statistics keep currencies apart")
    func statistics() throws {
        var run = InMemoryReconciliation(orders: [
            S.order("CN", "10.00"), S.order("HK", "7.50", currency: .hkd), S.order("P", "1.00", .pending),
        ])
        run.bill([S.payment("CN", "10.00"), S.payment("HK", "7.50", currency: .hkd)])
        let result = try #require(run.run().first)
        #expect(result.statistics.localOrders == 3)
        #expect(result.statistics.localOrdersByStatus == [.paid: 2, .pending: 1])
        #expect(result.statistics.localPaid.amounts == [S.money("10.00"), S.money("7.50", .hkd)])
        #expect(result.statistics.billPaid == result.statistics.localPaid)
        #expect(result.statistics.matchedRows == 2)
    }

    @Test("refunds are counted by status, each in its own provider's day")
    func refundStatistics() throws {
        // Beijing for WeChat Pay, UTC for the gateway: the refunds alternate between the two, and
        // W-3 and G-1 lie inside their own provider's day and outside the other's.
        var run = InMemoryReconciliation(
            orders: [S.order("W"), S.order("G", merchant: S.gateway)],
            refunds: [
                S.refund("W-1", of: "W", "1.00"),
                S.refund("G-1", of: "G", "1.00", at: "2026-11-20T23:30:00Z", merchant: S.gateway),
                S.refund("W-2", of: "W", "1.00", .failed),
                S.refund("W-3", of: "W", "1.00", .pending, at: "2026-11-20 02:00:00"),
                S.refund("W-4", of: "W", "1.00", at: "2026-11-21 00:30:00"),
            ])
        run.zones = ProviderZones(overrides: [.gateway: ZoneRules(identifier: "UTC")!])
        run.bill([S.payment("W")])
        run.bill([S.payment("G", merchant: S.gateway)], merchant: S.gateway)
        let result = try #require(run.run().first { $0.day == day })
        #expect(result.statistics.localRefunds == 4)
        #expect(result.statistics.localRefundsByStatus == [.success: 2, .failed: 1, .pending: 1])
        #expect(result.statistics.localRefunded.amounts == [S.money("2.00")])
    }

    @Test("a match across midnight is counted")
    func acrossBoundaryCount() throws {
        var run = InMemoryReconciliation(orders: [S.order("A", at: "2026-11-20 23:59:50")])
        run.bill([], day: day)
        run.bill([S.payment("A", at: "2026-11-21 00:00:01")], day: nextDay)
        let results = run.run()
        #expect(results.map(\.statistics.matchedAcrossBoundary) == [1, 0])
    }

    @Test("ids are stable and differ by kind and subject")
    func stableIDs() {
        let first = InMemoryReconciliation(orders: [S.order("C", "12.00")]).withBill().run()[0].discrepancies
        let second = InMemoryReconciliation(orders: [S.order("C", "12.00")]).withBill().run()[0].discrepancies
        #expect(first.map(\.id) == second.map(\.id))
        #expect(first[0].id.count == 16)
        let other = InMemoryReconciliation(orders: [S.order("D", "12.00")]).withBill().run()[0].discrepancies
        #expect(other[0].id != first[0].id)
    }

    @Test("explanations name the order, both amounts and the bill row")
    func explanations() throws {
        var run = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        run.bill([S.payment("A", "10.30", line: 7)])
        let discrepancy = try #require(run.run().first?.discrepancies.first)
        #expect(discrepancy.explanation.contains("Order A"))
        #expect(discrepancy.explanation.contains("CNY 10.30"))
        #expect(discrepancy.explanation.contains("CNY 10.00"))
        #expect(discrepancy.explanation.contains("bill.csv:7"))
        #expect(discrepancy.local?.amount == S.money("10.00"))
        #expect(discrepancy.bill?.amount == S.money("10.30"))
    }
}

extension InMemoryReconciliation {
    fileprivate func withBill() -> InMemoryReconciliation {
        var copy = self
        copy.bill([])
        return copy
    }
}

@Suite("Matcher: the order rows arrive in does not matter")
struct MatcherOrderTests {
    static let duplicates = Scenario(
        name: "duplicate rows with different amounts: the row earliest in the file is compared",
        orders: [S.order("A", "10.00"), S.order("B", "10.00")],
        refunds: [S.refund("A-R1", of: "A", "5.00")],
        bills: [.init(rows: [
            S.payment("A", "12.00", line: 9), S.payment("A", "10.00", line: 5), S.payment("B", "11.00", line: 3),
            S.payment("B", "10.00", line: 8), S.refundRow("A-R1", of: "A", "6.00", line: 12),
            S.refundRow("A-R1", of: "A", "5.00", line: 11),
        ])],
        expected: [
            Finding(.duplicateInBill, "A", difference: 1000), Finding(.duplicateInBill, "A-R1", difference: 500),
            Finding(.amountMismatch, "B", difference: 100), Finding(.duplicateInBill, "B", difference: 1000),
        ])

    @Test("duplicate rows: the earliest row in the file decides, whatever arrives first")
    func earliestRowDecides() {
        #expect(Self.duplicates.findings() == Self.duplicates.expected)
        let rows = Self.duplicates.reconciliation().run()[0].discrepancies.first { $0.subject == "B" && $0.kind == .duplicateInBill }
        #expect(rows?.bill?.locations.map(\.line) == [3, 8])
    }

    @Test("an order named by more rows than a 16-bit count holds keeps its first row and lists every row once")
    func manyRowsForOneOrder() {
        let rows = (0..<70_000).map { S.payment("A", "10.00", line: 70_002 - $0) }
        var run = InMemoryReconciliation(orders: [S.order("A", "10.00")])
        run.batchSize = 4096
        run.bill(rows)
        let results = run.run()
        let duplicate = results[0].discrepancies.first { $0.kind == .duplicateInBill }
        #expect(results[0].discrepancies.count == 1)
        #expect(duplicate?.bill?.locations.count == 70_000)
        #expect(duplicate?.bill?.locations.first?.line == 3)
    }

    @Test(
        "shuffling the rows gives the same discrepancies, down to their rows and explanations",
        arguments: MatcherKindTests.scenarios + MatcherCaseTests.scenarios + [duplicates])
    func shuffled(_ scenario: Scenario) {
        let reference = scenario.reconciliation().run().map(\.discrepancies)
        for seed in 1...12 as ClosedRange<UInt64> {
            let shuffled = scenario.reconciliation(shuffleSeed: seed).run().map(\.discrepancies)
            #expect(shuffled == reference, "seed \(seed)")
        }
    }

    @Test(
        "orders read in several parts, some of them twice, and rows fed in batches give the same discrepancies and counts",
        arguments: MatcherKindTests.scenarios + MatcherCaseTests.scenarios + [duplicates])
    func readInParts(_ scenario: Scenario) {
        let reference = scenario.reconciliation().run()
        for parts in 1...4 {
            for repeated in [false, true] {
                for batch in [1, 2, 64] where parts > 1 || batch > 1 {
                    let split = scenario.reconciliation(
                        readParts: parts, repeatAcrossParts: repeated, batchSize: batch
                    ).run()
                    let label = "\(parts) parts, repeated: \(repeated), batches of \(batch)"
                    #expect(split.map(\.discrepancies) == reference.map(\.discrepancies), "\(label)")
                    #expect(split.map(\.statistics) == reference.map(\.statistics), "\(label)")
                }
            }
        }
    }
}

@Suite("Matcher: a duplicate shows the store's side")
struct DuplicateLocalSideTests {
    @Test("in one bill, for an order and a refund the store has")
    func sameBill() {
        let found = MatcherOrderTests.duplicates.reconciliation().run()[0].discrepancies.filter { $0.kind == .duplicateInBill }
        #expect(found.count == 3)
        for duplicate in found {
            #expect(duplicate.local?.amount == S.money(duplicate.subject == "A-R1" ? "5.00" : "10.00"), "\(duplicate.subject)")
            #expect(duplicate.local?.status != nil)
        }
    }

    @Test("in two neighbouring days' bills")
    func crossDay() throws {
        let scenario = Scenario(
            name: "cross-day", orders: [S.order("A", at: "2026-11-20 23:59:55")],
            bills: [
                .init(rows: [S.payment("A", at: "2026-11-20 23:59:55")]),
                .init(day: nextDay, rows: [S.payment("A", at: "2026-11-21 00:00:02")]),
            ], expected: [])
        let duplicate = try #require(scenario.reconciliation().run().flatMap(\.discrepancies).first { $0.kind == .duplicateInBill })
        #expect(duplicate.local?.amount == S.money("10.00"))
        #expect(duplicate.local?.status == "PAID")
    }

    @Test("for an order outside the day, found by key")
    func lookedUp() throws {
        let scenario = Scenario(
            name: "looked up", orders: [S.order("A", at: "2026-11-18 10:00:00")],
            bills: [.init(rows: [S.payment("A", at: "2026-11-20 10:00:00"), S.payment("A", at: "2026-11-20 10:00:05")])],
            expected: [])
        let duplicate = try #require(scenario.reconciliation().run()[0].discrepancies.first { $0.kind == .duplicateInBill })
        #expect(duplicate.local?.amount == S.money("10.00"))
    }
}
