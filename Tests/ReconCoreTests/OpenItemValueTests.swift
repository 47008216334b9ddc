import Foundation
@testable import ReconCore
import ReconTestSupport
import Testing

@Suite("Open items as values")
struct OpenItemValueTests {
    static let item: OpenItem = {
        var item = OpenItem(DiscrepancyValueTests.full, foundOn: CivilDate("2026-11-20")!, runID: "run-1", at: Sample.time("2026-11-21 02:00:00"))
        item.expectedIn = CivilDate("2026-11-21")!
        return item
    }()

    @Test("a copy changed leaves the original as it was, field by field")
    func copiesAreValues() throws {
        let later = Sample.time("2026-11-22 02:00:00")
        var changes: [(inout OpenItem) -> Void] = [
            { $0.id = "0000000000000000" }, { $0.merchant = Sample.wechat2 }, { $0.day = CivilDate("2026-11-19")! },
            { $0.kind = .statusMismatch }, { $0.outTradeNo = nil }, { $0.outRefundNo = nil }, { $0.combineOutTradeNo = nil },
            { $0.amountAtStake = nil }, { $0.explanation = "Another sentence." }, { $0.state = .resolved },
            { $0.foundOn = CivilDate("2026-11-21")! }, { $0.firstRunID = "run-0" }, { $0.firstSeen = later },
            { $0.lastRunID = "run-2" }, { $0.lastSeen = later },
        ]
        changes += [
            { $0.resolvedOn = CivilDate("2026-11-21")! }, { $0.resolution = "cleared" }, { $0.resolvedAt = later },
            { $0.acknowledgement = OpenItem.Acknowledgement(by: "li.wei", at: later, note: "refunded by hand") },
            { $0.expectedIn = nil },
        ]
        var copies = Array(repeating: Self.item, count: changes.count)
        for index in changes.indices { changes[index](&copies[index]) }
        for (index, copy) in copies.enumerated() {
            #expect(copy != Self.item, "field \(index) changed")
            var others = copies
            others.remove(at: index)
            #expect(!others.contains(copy), "only copy \(index) has its change")
        }
        #expect(Self.item.state == .open)
        #expect(Self.item.id == DiscrepancyValueTests.full.id)
        var resolved = Self.item
        resolved.resolve(on: CivilDate("2026-11-21")!, because: "cleared", at: later)
        #expect(Self.item.resolvedOn == nil && resolved.resolvedOn == CivilDate("2026-11-21")!)
        let decoded = try JSONDecoder().decode(OpenItem.self, from: try JSONEncoder().encode(resolved))
        #expect(decoded == resolved)
        #expect(decoded.hashValue == resolved.hashValue)
    }

    @Test("encodes under its fields' names and leaves out the absent ones")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(Self.item)) as! [String: Any]
        #expect(
            object.keys.sorted() == [
                "amountAtStake", "combineOutTradeNo", "day", "expectedIn", "explanation", "firstRunID", "firstSeen", "foundOn",
                "id", "kind", "lastRunID", "lastSeen", "merchant", "outRefundNo", "outTradeNo", "state",
            ])
    }
}
