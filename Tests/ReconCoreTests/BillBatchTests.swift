import ReconCore
import ReconTestSupport
import Testing

@Suite("Batches of bill rows")
struct BillBatchTests {
    /// Rows whose numbers are longer than ``InlineText`` keeps inline, so each holds a string of its own.
    static func rows(_ count: Int) -> [BillEntry] {
        (0..<count).map { Sample.payment("ORDER-\($0)-" + String(repeating: "x", count: 40), line: $0 + 2) }
    }

    @Test("holds the rows moved in, in order, and moves each out once, in order, with the rows after it still in")
    func drain() {
        let rows = Self.rows(5)
        let batch = BillBatch(capacity: 5)
        for row in rows { batch.append(row) }
        #expect(batch.isFull)
        #expect(batch.entries == rows)
        var seen: [BillEntry] = []
        var aheads: [[BillEntry]] = []
        batch.drain { index, entry, ahead in
            #expect(index == seen.count)
            seen.append(entry)
            aheads.append(Array(ahead))
        }
        #expect(seen == rows)
        #expect(aheads == (0..<5).map { Array(rows[($0 + 1)...]) })
        #expect(batch.count == 0)
        #expect(batch.entries.isEmpty)
        // Emptied, it takes rows again.
        batch.append(rows[3])
        #expect(batch.entries == [rows[3]])
    }

    @Test("a batch let go of before it is drained, or half filled, drops its rows, and the rows taken out stay whole")
    func dropped() {
        let rows = Self.rows(3)
        var kept: [BillEntry] = []
        do {
            let batch = BillBatch(rows)
            #expect(batch.capacity == 3)
            batch.drain { index, entry, _ in if index < 2 { kept.append(entry) } }
            let other = BillBatch(capacity: 4)
            other.append(rows[0])
            other.append(rows[1])
            #expect(!other.isFull)
        }
        #expect(kept == Array(rows.prefix(2)))
        #expect(kept.map(\.outTradeNo) == rows.prefix(2).map(\.outTradeNo))
    }
}
