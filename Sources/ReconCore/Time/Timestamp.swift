/// An instant, with the UTC offset it was written in.
///
/// The store keeps times as RFC 3339 text with any offset (`2026-11-20T10:01:02+08:00`,
/// `2026-11-20T02:01:02Z`). Two timestamps are equal when they name the same instant; the offset
/// only decides how the time is printed. Fractions of a second are dropped (floored).
public struct Timestamp: Sendable, CustomStringConvertible, Codable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// The offset from UTC the time was written in, in seconds.
    public let utcOffsetSeconds: Int32

    /// Creates a timestamp from an instant and the offset to print it in.
    public init(epochSeconds: Int64, utcOffsetSeconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses RFC 3339 with an offset: `YYYY-MM-DD[T ]HH:MM:SS[.fraction](Z|±HH:MM)`, or a whole-hour
    /// `±HH` offset as PostgreSQL writes one (`2026-11-20 02:00:00+00`).
    ///
    /// Returns `nil` when the text has no offset; use ``init(rfc3339:assumingOffset:)`` to give one.
    public init?(rfc3339 text: some StringProtocol) {
        guard let parsed = Self.parse(text, assumingOffset: nil) else { return nil }
        self = parsed
    }

    /// Parses RFC 3339; a time without an offset is read in `zone`.
    public init?(rfc3339 text: some StringProtocol, assumingOffset zone: ZoneRules?) {
        guard let parsed = Self.parse(text, assumingOffset: zone) else { return nil }
        self = parsed
    }

    private static func parse(_ text: some StringProtocol, assumingOffset zone: ZoneRules?) -> Timestamp? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parseRFC3339(UnsafeBufferPointer($0), assumingOffset: zone) }
    }

    /// Parses RFC 3339 from raw UTF-8 bytes, as ``init(rfc3339:assumingOffset:)`` does.
    public static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>, assumingOffset zone: ZoneRules? = nil)
        -> Timestamp?
    {
        var dates = DateCache()
        return parseRFC3339(bytes, assumingOffset: zone, dates: &dates)
    }

    /// Parses RFC 3339 from raw UTF-8 bytes, as ``init(rfc3339:assumingOffset:)`` does, the date
    /// through `dates`.
    public static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>, assumingOffset zone: ZoneRules?, dates: inout DateCache)
        -> Timestamp?
    {
        guard let wall = LocalDateTime.parsePrefix(bytes, dates: &dates) else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            if index == start { return nil }
        }
        if index == bytes.count {
            guard let zone else { return nil }
            return zone.timestamp(for: wall)
        }
        let sign = bytes[index]
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            return index + 1 == bytes.count ? Timestamp(epochSeconds: wall.wallSeconds, utcOffsetSeconds: 0) : nil
        }
        // `±HH:MM`, or `±HH` as PostgreSQL writes whole-hour offsets.
        let length = bytes.count - index - 1
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            length == 5 && bytes[index + 3] == UInt8(ascii: ":") || length == 2,
            let hours = LocalDateTime.number(bytes, index + 1, 2),
            let minutes = length == 2 ? 0 : LocalDateTime.number(bytes, index + 4, 2), hours < 24, minutes < 60
        else { return nil }
        let offset = Int32((hours * 60 + minutes) * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return Timestamp(epochSeconds: wall.wallSeconds - Int64(offset), utcOffsetSeconds: offset)
    }

    /// The wall-clock time in the timestamp's own offset.
    public var wallClock: LocalDateTime {
        LocalDateTime(wallSeconds: epochSeconds + Int64(utcOffsetSeconds))
    }

    /// The same instant printed in another offset.
    public func inOffset(_ offset: Int32) -> Timestamp {
        Timestamp(epochSeconds: epochSeconds, utcOffsetSeconds: offset)
    }

    /// RFC 3339 in the timestamp's own offset: `2026-11-20T10:01:02+08:00` or `…Z` for UTC.
    public var rfc3339: String {
        let wall = wallClock
        let magnitude = Int(utcOffsetSeconds.magnitude)
        let sign = utcOffsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        guard wall.isWritable, magnitude < 100 * 3600 else {
            let text = wall.text(separator: UInt8(ascii: "T"))
            guard utcOffsetSeconds != 0 else { return text + "Z" }
            return text + String(UnicodeScalar(sign)) + CivilDate.pad(magnitude / 3600, 2) + ":"
                + CivilDate.pad(magnitude / 60 % 60, 2)
        }
        // Written into one buffer, as every row of the results and reports has times.
        return String(unsafeUninitializedCapacity: 25) { buffer in
            wall.write(into: buffer, separator: UInt8(ascii: "T"))
            guard utcOffsetSeconds != 0 else {
                buffer[19] = UInt8(ascii: "Z")
                return 20
            }
            buffer[19] = sign
            CivilDate.writeDigits(magnitude / 3600, 2, into: buffer, at: 20)
            buffer[22] = UInt8(ascii: ":")
            CivilDate.writeDigits(magnitude / 60 % 60, 2, into: buffer, at: 23)
            return 25
        }
    }

    /// `2026-11-20T02:00:00.250Z`: the instant `epochMilliseconds` after the epoch, in UTC to
    /// the millisecond, as ``rfc3339`` writes its seconds.
    public static func rfc3339(epochMilliseconds: Int64) -> String {
        let seconds = LocalDateTime.floorDiv(epochMilliseconds, 1000)
        let milliseconds = String(epochMilliseconds - seconds * 1000 + 1000).dropFirst()
        return Timestamp(epochSeconds: seconds).rfc3339.dropLast() + "." + milliseconds + "Z"
    }

    public var description: String { rfc3339 }
}

extension Timestamp: Hashable, Comparable {
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochSeconds == rhs.epochSeconds }
    public func hash(into hasher: inout Hasher) { hasher.combine(epochSeconds) }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochSeconds < rhs.epochSeconds }
}
