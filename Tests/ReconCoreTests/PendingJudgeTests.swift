import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconTestSupport
import Testing

@Suite("Judging the answers of order and refund queries")
struct PendingJudgeTests {
    /// The run happens at 2026-11-21 10:30 Beijing time.
    static let now = Sample.time("2026-11-21 10:30:00").epochSeconds

    static func judge(billed: Bool = true) -> PendingJudge {
        PendingJudge(day: Sample.day, billedMerchants: billed ? [Sample.wechat] : [], now: now, book: Providers.directory.book)
    }

    static func item(_ order: Order) -> PendingItem {
        PendingItem(.order(order), reason: PendingSelector(book: Providers.directory.book).reason(for: order) ?? .pendingStatus)
    }

    static func answered(
        _ order: Order, _ state: ProviderState, _ word: String, amount: String? = "10.00", at: String? = "2026-11-20 10:00:00"
    ) -> QueryOutcome {
        QueryOutcome(
            item: item(order),
            result: .answered(
                ProviderAnswer(
                    state: state, providerWord: word, amount: amount.map { Sample.money($0) }, transactionID: "42000001",
                    time: at.map(Sample.time))),
            attempts: 1)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var outcome: QueryOutcome
        var bill: [BillEntry] = []
        var billed = true
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "PENDING, provider paid: resolved to PAID",
            outcome: answered(Sample.order("A", "10.00", .pending), .paid, "SUCCESS"),
            bill: [Sample.payment("A")], expected: ["pending_resolved A PAID stake 1000"]),
        Case(
            name: "FAILED after E02, provider paid: resolved to PAID",
            outcome: answered(Sample.order("A", "10.00", .failed, merchant: Sample.wechat, lastErrorCode: "SYSTEM_ERROR"), .paid, "SUCCESS"),
            bill: [Sample.payment("A")], expected: ["pending_resolved A PAID stake 1000"]),
        Case(
            name: "FAILED after SYSTEM_ERROR, provider closed: confirmed, nothing to report",
            outcome: answered(Sample.order("A", "10.00", .failed, lastErrorCode: "SYSTEM_ERROR"), .closed, "CLOSED", at: nil),
            expected: []),
        Case(
            name: "PENDING, provider closed: resolved to CLOSED, no money at stake",
            outcome: answered(Sample.order("A", "10.00", .pending), .closed, "CLOSED", at: nil),
            expected: ["pending_resolved A CLOSED stake -"]),
        Case(
            name: "PENDING, provider does not know it: resolved to CLOSED",
            outcome: answered(Sample.order("A", "10.00", .pending), .notFound, "ORDER_NOT_EXIST", amount: nil, at: nil),
            expected: ["pending_resolved A CLOSED stake -"]),
        Case(
            name: "PENDING, provider still NOTPAY within the expiry: nothing yet",
            outcome: answered(Sample.order("A", "10.00", .pending, at: "2026-11-21 09:00:00"), .pending, "NOTPAY", at: nil),
            expected: []),
        Case(
            name: "PENDING, provider still NOTPAY past the expiry: unresolved",
            outcome: answered(Sample.order("A", "10.00", .pending), .pending, "NOTPAY", at: nil),
            expected: ["pending_unresolved A - stake 1000"]),
        Case(
            name: "no usable answer within the budget: unresolved",
            outcome: QueryOutcome(
                item: item(Sample.order("A", "10.00", .pending)),
                result: .unresolved(reason: "every attempt was answered with a retry-later code", lastCode: "SYSTEM_ERROR"),
                attempts: 5),
            expected: ["pending_unresolved A - stake 1000"]),
        Case(
            name: "not queried: no order is blamed",
            outcome: QueryOutcome(
                item: item(Sample.order("A", "10.00", .pending)), result: .notQueried(reason: "SIGN_ERROR"), attempts: 0),
            expected: []),
        Case(
            name: "PENDING, provider paid today but the bill has no row: resolved, and a conflict",
            outcome: answered(Sample.order("A", "10.00", .pending), .paid, "SUCCESS"),
            expected: ["pending_resolved A PAID stake 1000", "provider_conflict A - stake 1000"]),
        Case(
            name: "paid at the provider on another day: the day's silent bill is no conflict",
            outcome: answered(Sample.order("A", "10.00", .pending), .paid, "SUCCESS", at: "2026-11-21 00:00:05"),
            expected: ["pending_resolved A PAID stake 1000"]),
        Case(
            name: "no bill of the merchant in the run: no conflict",
            outcome: answered(Sample.order("A", "10.00", .pending), .paid, "SUCCESS"), billed: false,
            expected: ["pending_resolved A PAID stake 1000"]),
        Case(
            name: "provider closed but the bill shows it paid: a conflict",
            outcome: answered(Sample.order("A", "10.00", .pending), .closed, "CLOSED", at: nil),
            bill: [Sample.payment("A")], expected: ["pending_resolved A CLOSED stake -", "provider_conflict A - stake 1000"]),
        Case(
            name: "query and bill both paid, different amounts: a conflict with the difference",
            outcome: answered(Sample.order("A", "10.00", .pending), .paid, "SUCCESS"),
            bill: [Sample.payment("A", "10.50")],
            expected: ["pending_resolved A PAID stake 1000", "provider_conflict A - stake 50"]),
        Case(
            name: "refund PENDING, provider SUCCESS: resolved to SUCCESS",
            outcome: QueryOutcome(
                item: PendingItem(.refund(Sample.refund("R", of: "A", "5.00", .pending)), reason: .pendingStatus),
                result: .answered(ProviderAnswer(state: .refundSucceeded, providerWord: "SUCCESS", amount: Sample.money("5.00"))),
                attempts: 1),
            bill: [Sample.refundRow("R", of: "A")], expected: ["pending_resolved R SUCCESS stake 500"]),
        Case(
            name: "refund SUCCESS locally but CLOSED at the provider: resolved to FAILED",
            outcome: QueryOutcome(
                item: PendingItem(.refund(Sample.refund("R", of: "A", "5.00", .success)), reason: .queryToConfirm(code: "SYSTEM_ERROR")),
                result: .answered(ProviderAnswer(state: .refundFailed, providerWord: "CLOSED", amount: Sample.money("5.00"))),
                attempts: 1),
            bill: [Sample.refundRow("R", of: "A", status: .failed)], expected: ["pending_resolved R FAILED stake 500"]),
    ]

    @Test("each answer gives the discrepancies its case names", arguments: cases)
    func eachCase(_ test: Case) {
        var watch = BillWatch(items: [test.outcome.item])
        watch.observe(test.bill)
        let found = Self.judge(billed: test.billed).judge([test.outcome], bill: watch)
        let described = found.map { discrepancy in
            "\(discrepancy.kind.rawValue) \(discrepancy.subject) \(discrepancy.suggestedStatus ?? "-") stake "
                + (discrepancy.amountAtStake.map { String($0.minorUnits) } ?? "-")
        }
        #expect(described.sorted() == test.expected.sorted())
        for discrepancy in found {
            #expect(!discrepancy.explanation.isEmpty)
            #expect(discrepancy.local != nil)
            if discrepancy.kind != .pendingUnresolved || test.outcome.answer != nil { #expect(discrepancy.query != nil) }
        }
    }

    @Test("explanations quote the store's status, the provider's word and the last code")
    func explanations() {
        let unresolved = QueryOutcome(
            item: Self.item(Sample.order("A", "10.00", .failed, merchant: Sample.gateway, lastErrorCode: "E02")),
            result: .unresolved(reason: "every attempt timed out", lastCode: "E01"), attempts: 3)
        let found = Self.judge().judge([unresolved], bill: BillWatch(items: []))
        #expect(found.map(\.explanation) == [
            "Order A is FAILED locally (last call ended with E02, which must be confirmed by query); after 3 attempts the "
                + "provider gave no usable answer: every attempt timed out (last answer E01 — System busy, please try again later). "
                + "Query it again, or check it in the provider's console."
        ])
        let resolved = Self.judge().judge(
            [Self.answered(Sample.order("B", "10.00", .pending), .paid, "SUCCESS")],
            bill: { var watch = BillWatch(items: [Self.item(Sample.order("B"))]); watch.observe([Sample.payment("B")]); return watch }())
        #expect(resolved.first?.explanation == "Order B is PENDING locally (status PENDING) but the provider says SUCCESS (CNY 10.00): set it to PAID.")
    }

    @Test("a combine query whose sub-orders are partly paid is inconsistent, once per combine order")
    func combine() {
        let subOrders = [
            ProviderAnswer.SubOrder(outTradeNo: "S1", merchantID: "1900000109", state: .paid, providerWord: "SUCCESS", amount: Sample.money("6.00")),
            ProviderAnswer.SubOrder(outTradeNo: "S2", merchantID: "1900000110", state: .closed, providerWord: "CLOSED", amount: Sample.money("4.00")),
        ]
        let outcomes = ["S1", "S2"].map { key in
            QueryOutcome(
                item: Self.item(Sample.order(key, "5.00", .pending, combine: "C1")),
                result: .answered(
                    ProviderAnswer(
                        state: key == "S1" ? .paid : .closed, providerWord: key == "S1" ? "SUCCESS" : "CLOSED",
                        amount: Sample.money(key == "S1" ? "6.00" : "4.00"), subOrders: subOrders)),
                attempts: 1)
        }
        let found = PendingJudge(day: Sample.day, billedMerchants: [], now: Self.now, book: Providers.directory.book).judge(outcomes, bill: BillWatch(items: []))
        let combine = found.filter { $0.kind == .combineInconsistent }
        #expect(combine.count == 1)
        #expect(combine.first?.related == ["S1", "S2"])
        #expect(combine.first?.amountAtStake == Sample.money("4.00"))
        #expect(found.filter { $0.kind == .pendingResolved }.compactMap(\.suggestedStatus).sorted() == ["CLOSED", "PAID"])
    }
}
