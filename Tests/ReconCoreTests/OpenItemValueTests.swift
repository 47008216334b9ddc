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

    static let later = Sample.time("2026-11-22 02:00:00")

    /// A change of each field, named after it.
    static let fieldChanges: [(field: String, change: @Sendable (inout OpenItem) -> Void)] = {
        let changes: [(field: String, change: @Sendable (inout OpenItem) -> Void)] = [
            ("id", { $0.id = "0000000000000000" }), ("merchant", { $0.merchant = Sample.wechat2 }),
            ("day", { $0.day = CivilDate("2026-11-19")! }), ("kind", { $0.kind = .statusMismatch }),
            ("outTradeNo", { $0.outTradeNo = nil }), ("outRefundNo", { $0.outRefundNo = nil }),
            ("combineOutTradeNo", { $0.combineOutTradeNo = nil }), ("amountAtStake", { $0.amountAtStake = nil }),
            ("explanation", { $0.explanation = "Another sentence." }), ("state", { $0.state = .resolved }),
            ("foundOn", { $0.foundOn = CivilDate("2026-11-21")! }), ("firstRunID", { $0.firstRunID = "run-0" }),
            ("firstSeen", { $0.firstSeen = later }), ("lastRunID", { $0.lastRunID = "run-2" }), ("lastSeen", { $0.lastSeen = later }),
        ]
        let resolution: [(field: String, change: @Sendable (inout OpenItem) -> Void)] = [
            ("resolvedOn", { $0.resolvedOn = CivilDate("2026-11-21")! }), ("resolution", { $0.resolution = "cleared" }),
            ("resolvedAt", { $0.resolvedAt = later }),
            ("acknowledgement", { $0.acknowledgement = OpenItem.Acknowledgement(by: "li.wei", at: later, note: "refunded by hand") }),
            ("expectedIn", { $0.expectedIn = nil }),
        ]
        return changes + resolution
    }()

    @Test("a copy changed leaves the original as it was, field by field")
    func copiesAreValues() throws {
        let later = Self.later
        let changes = Self.fieldChanges.map(\.change)
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

    @Test("an item is seen again as a copy that differs from it in its last sighting alone")
    func seenAgain() {
        for (field, change) in Self.fieldChanges {
            var copy = Self.item
            change(&copy)
            let sighting = field == "lastRunID" || field == "lastSeen"
            #expect(Self.item.isSeenAgain(as: copy) == sighting, "\(field)")
            #expect(copy.isSeenAgain(as: Self.item) == sighting, "\(field)")
        }
        var later = Self.item
        later.lastRunID = "run-2"
        later.lastSeen = Self.later
        #expect(Self.item.isSeenAgain(as: later) && Self.item.isSeenAgain(as: Self.item))
        #expect(Self.item.lastRunID == "run-1", "the item compared is left as it was")
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
