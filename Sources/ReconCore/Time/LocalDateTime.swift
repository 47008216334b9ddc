/// A wall-clock date and time with no offset, as bills print it: `2026-11-20 10:01:02`.
///
/// Stored as the seconds such a wall time would be after 1970-01-01T00:00:00 if it were UTC; a
/// ``ZoneRules`` turns it into an instant.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00:00 on the same wall clock.
    public let wallSeconds: Int64

    /// Creates a wall time from its seconds count.
    public init(wallSeconds: Int64) {
        self.wallSeconds = wallSeconds
    }

    /// Creates a wall time from a date and a time of day.
    public init(date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        wallSeconds = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (a `T` may stand for the space).
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        guard utf8.count == 19,
            let value = utf8.withUnsafeMutableBufferPointer({ Self.parse(UnsafeBufferPointer($0)) })
        else { return nil }
        self = value
    }

    /// Parses exactly 19 bytes of `YYYY-MM-DD HH:MM:SS` (or with `T`).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        var dates = DateCache()
        return parse(bytes, dates: &dates)
    }

    /// Parses exactly 19 bytes of `YYYY-MM-DD HH:MM:SS` (or with `T`), its date through `dates`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, dates: inout DateCache) -> LocalDateTime? {
        guard bytes.count == 19 else { return nil }
        return parsePrefix(bytes, dates: &dates)
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM:SS` at the start of `bytes`, ignoring what follows; the date
    /// is read through `dates`.
    static func parsePrefix(_ bytes: UnsafeBufferPointer<UInt8>, dates: inout DateCache) -> LocalDateTime? {
        guard bytes.count >= 19,
            bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let days = dates.days(bytes),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return LocalDateTime(wallSeconds: days * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    /// Whether the time is on `day`, on this wall clock.
    public func isOn(_ day: CivilDate) -> Bool {
        Self.floorDiv(wallSeconds, 86_400) == day.daysSinceEpoch
    }

    /// The calendar day on this wall clock.
    public var date: CivilDate {
        CivilDate(daysSinceEpoch: Self.floorDiv(wallSeconds, 86_400))
    }

    /// Seconds since midnight on this wall clock.
    public var secondsIntoDay: Int {
        Int(wallSeconds - Self.floorDiv(wallSeconds, 86_400) * 86_400)
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    public var description: String { text(separator: UInt8(ascii: " ")) }

    /// `YYYY-MM-DD?HH:MM:SS` with `separator` between the date and the time.
    func text(separator: UInt8) -> String {
        let date = date
        let seconds = secondsIntoDay
        guard CivilDate.writable(date.year) else {
            return date.description + String(UnicodeScalar(separator)) + CivilDate.pad(seconds / 3600, 2) + ":"
                + CivilDate.pad(seconds / 60 % 60, 2) + ":" + CivilDate.pad(seconds % 60, 2)
        }
        return String(unsafeUninitializedCapacity: 19) { buffer in
            write(into: buffer, separator: separator)
            return 19
        }
    }

    /// Whether ``write(into:separator:)`` can write this time: its year has four digits.
    var isWritable: Bool { CivilDate.writable(date.year) }

    /// Writes the 19 bytes of `YYYY-MM-DD?HH:MM:SS` at the start of `buffer`; the time must be ``isWritable``.
    func write(into buffer: UnsafeMutableBufferPointer<UInt8>, separator: UInt8) {
        let seconds = secondsIntoDay
        date.write(into: buffer, at: 0)
        buffer[10] = separator
        CivilDate.writeDigits(seconds / 3600, 2, into: buffer, at: 11)
        buffer[13] = UInt8(ascii: ":")
        CivilDate.writeDigits(seconds / 60 % 60, 2, into: buffer, at: 14)
        buffer[16] = UInt8(ascii: ":")
        CivilDate.writeDigits(seconds % 60, 2, into: buffer, at: 17)
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.wallSeconds < rhs.wallSeconds }

    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
