import Foundation
import ReconCore
import ReconTestSupport
import Testing

@Suite("Discrepancies as values")
struct DiscrepancyValueTests {
    static let full = Discrepancy(
        kind: .amountMismatch, day: CivilDate("2026-11-20")!, merchant: Sample.wechat,
        outTradeNo: "ORDER-1", outRefundNo: "REFUND-1", combineOutTradeNo: "COMBINE-1",
        local: Observation(amount: Money(minorUnits: 1000, currency: .cny), status: "PAID"),
        bill: Observation(amount: Money(minorUnits: 1030, currency: .cny), status: "SUCCESS"),
        query: Observation(status: "SUCCESS"), suggestedStatus: "PAID", difference: Money(minorUnits: 30, currency: .cny),
        explanation: "The bill charged CNY 0.30 more.", related: ["ORDER-2"])

    @Test("a copy changed leaves the original as it was, field by field")
    func copiesAreValues() {
        var copies = Array(repeating: Self.full, count: 14)
        copies[0].kind = .statusMismatch
        copies[1].day = CivilDate("2026-11-21")!
        copies[2].merchant = Sample.wechat2
        copies[3].outTradeNo = nil
        copies[4].outRefundNo = "REFUND-2"
        copies[5].combineOutTradeNo = nil
        copies[6].local?.status = "CLOSED"
        copies[7].bill = nil
        copies[8].query = nil
        copies[9].suggestedStatus = nil
        copies[10].difference = nil
        copies[11].amountAtStake = Money(minorUnits: 1, currency: .cny)
        copies[12].explanation += " Query it."
        copies[13].related.append("ORDER-3")
        for (index, copy) in copies.enumerated() {
            #expect(copy != Self.full, "field \(index) changed")
            var others = copies
            others.remove(at: index)
            #expect(!others.contains(copy), "only copy \(index) has its change")
        }
        #expect(Self.full.local?.status == "PAID")
        #expect(Self.full.explanation == "The bill charged CNY 0.30 more.")
        #expect(Self.full.related == ["ORDER-2"])
        #expect(Self.full.amountAtStake == Money(minorUnits: 30, currency: .cny), "the difference's magnitude by default")
        let rebuilt = Discrepancy(
            kind: Self.full.kind, day: Self.full.day, merchant: Self.full.merchant, outTradeNo: Self.full.outTradeNo,
            outRefundNo: Self.full.outRefundNo, combineOutTradeNo: Self.full.combineOutTradeNo, local: Self.full.local,
            bill: Self.full.bill, query: Self.full.query, suggestedStatus: Self.full.suggestedStatus,
            difference: Self.full.difference, amountAtStake: Self.full.amountAtStake, explanation: Self.full.explanation,
            related: Self.full.related)
        #expect(rebuilt == Self.full)
        #expect(rebuilt.hashValue == Self.full.hashValue)
        #expect(Set<Discrepancy>([Self.full, rebuilt, copies[0]]).count == 2)
    }

    @Test("the id follows the day, merchant, kind and subject as they change, and survives coding")
    func idFollowsIdentity() throws {
        func expected(_ discrepancy: Discrepancy) -> String {
            StableID.make([
                discrepancy.day.description, discrepancy.merchant.provider.rawValue, discrepancy.merchant.merchantID,
                discrepancy.kind.rawValue, discrepancy.subject,
            ])
        }
        var changes: [(inout Discrepancy) -> Void] = [
            { $0.kind = .statusMismatch }, { $0.day = CivilDate("2026-11-21")! }, { $0.merchant = Sample.wechat2 },
            { $0.outRefundNo = nil }, { $0.outTradeNo = nil }, { $0.combineOutTradeNo = "COMBINE-2" },
        ]
        changes.append { $0.explanation = "Another sentence." }
        var discrepancy = Self.full
        var ids: Set<String> = [discrepancy.id]
        #expect(discrepancy.id == expected(discrepancy))
        for (index, change) in changes.enumerated() {
            change(&discrepancy)
            #expect(discrepancy.id == expected(discrepancy), "after change \(index)")
            ids.insert(discrepancy.id)
        }
        #expect(ids.count == 7, "each identity change gives a new id; the explanation's does not")
        let decoded = try JSONDecoder().decode(Discrepancy.self, from: try JSONEncoder().encode(discrepancy))
        #expect(decoded.id == discrepancy.id)
        #expect(decoded.identity == discrepancy.identity)
    }

    @Test("encodes under its fields' names, leaves out the absent ones, and decodes to the same value")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(Self.full)) as! [String: Any]
        #expect(
            object.keys.sorted() == [
                "amountAtStake", "bill", "combineOutTradeNo", "day", "difference", "explanation", "kind", "local",
                "merchant", "outRefundNo", "outTradeNo", "query", "related", "suggestedStatus",
            ])
        let sparse = Discrepancy(
            kind: .missingInBill, day: Self.full.day, merchant: Sample.wechat, explanation: "No row for it.")
        let sparseObject = try JSONSerialization.jsonObject(with: try encoder.encode(sparse)) as! [String: Any]
        #expect(sparseObject.keys.sorted() == ["day", "explanation", "kind", "merchant", "related"])
        for value in [Self.full, sparse] {
            #expect(try JSONDecoder().decode(Discrepancy.self, from: try encoder.encode(value)) == value)
        }
    }
}
