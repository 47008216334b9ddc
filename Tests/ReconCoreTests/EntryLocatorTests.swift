import Testing

@testable import ReconCore
import ReconTestSupport

@Suite("Entry locator")
struct EntryLocatorTests {
    /// Orders in two chunks, and refunds with a repeated number, a number shared with an order,
    /// and numbers around the hash's eight-byte steps.
    static let orders = (0..<40).map { Sample.order("ORDER-\($0)") }
    static let refunds =
        (0..<300).map { Sample.refund("ORDER-\($0 % 40)-R\($0)", of: "ORDER-\($0 % 40)") }
        + [
            Sample.refund("ORDER-7-R7", of: "ORDER-7", "1.00"), Sample.refund("ORDER-3", of: "ORDER-3"),
            Sample.refund("R1234567", of: "ORDER-1"), Sample.refund("R12345678", of: "ORDER-2"),
        ]

    static func locator() -> EntryLocator {
        let zones = ProviderZones()
        let chunks = [Array(orders[..<25]), Array(orders[25...])].map {
            OrderChunk($0, day: Sample.day, zones: zones, policy: MatchPolicy())
        }
        return EntryLocator(chunks: chunks, refunds: refunds)
    }

    @Test("a batch's rows find the items that each row finds alone, refunds and payments mixed")
    func batchAgreesWithRows() {
        let locator = Self.locator()
        var rows: [BillEntry] = []
        for number in 0..<320 {
            rows.append(Sample.refundRow("ORDER-\(number % 40)-R\(number)", of: "ORDER-\(number % 40)"))
            rows.append(Sample.payment("ORDER-\(number % 45)"))
        }
        rows += ["ORDER-3", "R1234567", "R12345678", "R123456789", "", "ORDER-7-R7"].map { Sample.refundRow($0, of: "ORDER-1") }
        let batch = rows.withUnsafeBufferPointer { locator.positions(of: $0) }
        #expect(batch == rows.map(locator.position(of:)))
        // Spot checks of what one row finds.
        #expect(locator.position(of: Sample.refundRow("ORDER-7-R7", of: "ORDER-7")) == 7)
        #expect(locator.position(of: Sample.refundRow("ORDER-3", of: "ORDER-3")) == 301)
        #expect(locator.position(of: Sample.refundRow("ORDER-0-R300", of: "ORDER-0")) == nil)
        #expect(locator.position(of: Sample.payment("ORDER-30")) == 30)
        #expect(locator.position(of: Sample.payment("ORDER-40")) == nil)
    }
}
