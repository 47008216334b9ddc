@testable import ReconCore
import ReconTestSupport
import Testing

@Suite("Findings that are the same finding are joined")
struct MergedFindingsTests {
    static let day = CivilDate("2026-11-20")!

    static func finding(
        _ kind: DiscrepancyKind, merchant: MerchantRef = Sample.wechat, order: String, rows: [Int], explanation: String = "x"
    ) -> Discrepancy {
        Discrepancy(
            kind: kind, day: day, merchant: merchant, outTradeNo: order,
            bill: Observation(amount: Money(minorUnits: 100, currency: .cny), locations: rows.map { SourceLocation(file: "bill.csv", line: $0) }),
            explanation: explanation)
    }

    @Test("the first of each identity is kept, in order, with every bill row of its repeats")
    func joined() {
        let merged = DayMatcher.merged([
            Self.finding(.duplicateInBill, order: "O1", rows: [9, 4], explanation: "first"),
            Self.finding(.amountMismatch, order: "O1", rows: [4]),
            Self.finding(.duplicateInBill, order: "O2", rows: [7]),
            Self.finding(.duplicateInBill, order: "O1", rows: [4, 12], explanation: "second"),
            Self.finding(.duplicateInBill, merchant: Sample.wechat2, order: "O1", rows: [5]),
        ])
        #expect(merged.map(\.kind) == [.duplicateInBill, .amountMismatch, .duplicateInBill, .duplicateInBill])
        #expect(merged[0].explanation == "first")
        #expect(merged[0].bill?.locations.map(\.line) == [4, 9, 12])
        #expect(merged.map(\.outTradeNo) == ["O1", "O1", "O2", "O1"])
        #expect(merged[3].merchant == Sample.wechat2)
    }

    @Test("two identities whose ids share a hash stay apart, and each is joined with its own repeats")
    func sharedHash() {
        // The id hashes the fields joined by a separator; fields that hold the separator join to
        // the same bytes, so these two findings have one hash and different identities.
        let separator = "\u{1F}"
        let base = Sample.wechat
        let first = Self.finding(.amountMismatch, merchant: base, order: "status_mismatch\(separator)O1", rows: [3])
        let otherMerchant = MerchantRef(provider: base.provider, merchantID: base.merchantID + separator + "amount_mismatch")
        let second = Self.finding(.statusMismatch, merchant: otherMerchant, order: "O1", rows: [5])
        #expect(first.idHash == second.idHash)
        #expect(first.identity != second.identity)
        let merged = DayMatcher.merged([
            first, second, Self.finding(.statusMismatch, merchant: otherMerchant, order: "O1", rows: [8]),
            Self.finding(.amountMismatch, merchant: base, order: "status_mismatch\(separator)O1", rows: [6]),
        ])
        #expect(merged.count == 2)
        #expect(merged[0].identity == first.identity)
        #expect(merged[0].bill?.locations.map(\.line) == [3, 6])
        #expect(merged[1].identity == second.identity)
        #expect(merged[1].bill?.locations.map(\.line) == [5, 8])
    }
}
