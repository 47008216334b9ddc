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
    @exclusivity(unchecked) private var first: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var last: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        first = .allocate(capacity: self.capacity)
        last = .allocate(capacity: self.capacity)
    }

    deinit {
        first.deallocate()
        last.deallocate()
    }

    /// Groups the row's tokens into fields.
    /// - Returns: `false` when the row does not start with a backtick.
    func group(_ row: CSVRow) -> Bool {
        if row.count > capacity {
            first.deallocate()
            last.deallocate()
            capacity = row.count
            first = .allocate(capacity: capacity)
            last = .allocate(capacity: capacity)
        }
        count = 0
        for token in 0..<row.count {
            if row.field(token, startsWith: 0x60) {
                first[count] = token
                last[count] = token
                count += 1
            } else if count == 0 {
                return false
            } else {
                last[count - 1] = token
            }
        }
        return true
    }

    /// The bytes of field `index` of the row last grouped, without its backtick.
    func value(_ row: CSVRow, _ index: Int) -> UnsafeBufferPointer<UInt8> {
        let span = first[index] == last[index] ? row.field(first[index]) : row.span(first[index], through: last[index])
        return UnsafeBufferPointer(rebasing: span.dropFirst())
    }
}
