import Foundation
import ReconCore
import ReconTestSupport
import Testing

@Suite("Observations")
struct ObservationTests {
    static let full = Observation(
        amount: Money(minorUnits: 1030, currency: .cny), status: "SUCCESS", time: Timestamp(epochSeconds: 1_795_140_000),
        transactionID: "4200002491202611200000000042", lastErrorCode: "SYSTEM_ERROR", merchant: Sample.wechat,
        locations: [SourceLocation(file: "bill.csv", line: 2)])

    @Test("a copy changed leaves the original as it was, field by field")
    func copiesAreValues() {
        var copies = Array(repeating: Self.full, count: 7)
        copies[0].amount = Money(minorUnits: 1, currency: .cny)
        copies[1].status = "REFUND"
        copies[2].time = nil
        copies[3].transactionID = nil
        copies[4].lastErrorCode = nil
        copies[5].merchant = Sample.wechat2
        copies[6].locations.append(SourceLocation(file: "bill.csv", line: 3))
        for (index, copy) in copies.enumerated() {
            #expect(copy != Self.full, "field \(index) changed")
            var others = copies
            others.remove(at: index)
            #expect(!others.contains(copy), "only copy \(index) has its change")
        }
        #expect(Self.full.amount == Money(minorUnits: 1030, currency: .cny))
        #expect(Self.full.locations == [SourceLocation(file: "bill.csv", line: 2)])
        let rebuilt = Observation(
            amount: Self.full.amount, status: Self.full.status, time: Self.full.time, transactionID: Self.full.transactionID,
            lastErrorCode: Self.full.lastErrorCode, merchant: Self.full.merchant, locations: Self.full.locations)
        #expect(rebuilt == Self.full)
        #expect(rebuilt.hashValue == Self.full.hashValue)
    }

    @Test("encodes under its fields' names, leaves out the absent ones, and decodes to the same value")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(Self.full)) as! [String: Any]
        #expect(
            object.keys.sorted() == ["amount", "lastErrorCode", "locations", "merchant", "status", "time", "transactionID"])
        let sparse = Observation(status: "PAID")
        let sparseObject = try JSONSerialization.jsonObject(with: try encoder.encode(sparse)) as! [String: Any]
        #expect(sparseObject.keys.sorted() == ["locations", "status"])
        for value in [Self.full, sparse] {
            #expect(try JSONDecoder().decode(Observation.self, from: try encoder.encode(value)) == value)
        }
    }
}
