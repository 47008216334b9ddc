import ReconBills
import ReconCore

/// The fields of a WeChat Pay bill row, as runs of CSV tokens.
///
/// Every field of the bill starts with a backtick. libcsv splits a free-text field at each comma
/// inside it, so a token that does not start with a backtick is the rest of the field before it.
/// The runs live in raw buffers reused for every row of the bill.
final class BacktickFields {
    /// The number of fields in the last row grouped.
    @exclusivity(unchecked) private(set) var count = 0
    /// Where each field's value starts in the row's buffer (after its backtick) and where it ends.
    @exclusivity(unchecked) private var starts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var ends: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        starts = .allocate(capacity: self.capacity)
        ends = .allocate(capacity: self.capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
    }

    /// Groups the row's tokens into fields: a field runs from a token that starts with a backtick
    /// to the byte before the next such token, commas included, or to the end of the row.
    /// - Returns: `false` when the row does not start with a backtick.
    func group(_ row: CSVRow) -> Bool {
        if row.count > capacity {
            starts.deallocate()
            ends.deallocate()
            capacity = row.count
            starts = .allocate(capacity: capacity)
            ends = .allocate(capacity: capacity)
        }
        // Kept in locals for the loop: a store through `starts` or `ends` could otherwise be
        // taken to change this object's properties, which would be read again for every token.
        let (starts, ends, tokenStarts) = (self.starts, self.ends, row.starts)
        var count = 0
        defer { self.count = count }
        for token in 0..<tokenStarts.count where row.field(token, startsWith: 0x60) {
            let start = tokenStarts[token]
            if count > 0 {
                ends[count - 1] = start - 1
            } else if token > 0 {
                return false
            }
            starts[count] = start + 1
            count += 1
        }
        guard count > 0 else { return false }
        ends[count - 1] = row.buffer.count - 1
        return true
    }

    /// The bytes of field `index` of the row last grouped, without its backtick.
    func value(_ row: CSVRow, _ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: row.buffer.baseAddress! + starts[index], count: ends[index] - starts[index])
    }
}
