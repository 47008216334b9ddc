/// The last date read and its day number. The times of a bill, or of a day's rows in the store,
/// mostly fall on one date, so a time whose ten date bytes are the last date's takes its day
/// number without the date being checked and counted from 1970 again.
public struct DateCache: Sendable {
    /// The last date's bytes, `YYYY-MM-DD`; zeros, which no date is, before the first.
    private var head: UInt64 = 0
    private var tail: UInt16 = 0
    private var days: Int64 = 0

    public init() {}

    /// The day number (days since 1970-01-01) of the date `YYYY-MM-DD` that the first ten of
    /// `bytes` (at least ten) hold; `nil` when they hold no date.
    mutating func days(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let (head, tail) = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        if head == self.head, tail == self.tail { return days }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = LocalDateTime.number(bytes, 0, 4), let month = LocalDateTime.number(bytes, 5, 2),
            let day = LocalDateTime.number(bytes, 8, 2),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year)
        else { return nil }
        (self.head, self.tail) = (head, tail)
        days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        return days
    }
}
