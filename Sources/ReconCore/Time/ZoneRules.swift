import Foundation

/// The rules of a time zone: which UTC offset applies at each instant.
///
/// Bills print times in the provider's zone with no offset (Asia/Shanghai for WeChat Pay). This
/// type turns those wall-clock times into instants, and a calendar day into its start and end.
public struct ZoneRules: Hashable, Sendable, CustomStringConvertible {
    /// The zone's identifier, such as `Asia/Shanghai`, or `UTC+08:00` for a fixed offset.
    public let identifier: String
    private let timeZone: TimeZone

    /// The default provider zone.
    public static let shanghai = ZoneRules(identifier: "Asia/Shanghai")!

    /// Looks up a zone by its IANA identifier; `nil` when it is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.timeZone = zone
    }

    /// A zone that is always `seconds` ahead of UTC.
    public init(fixedOffsetSeconds seconds: Int) {
        let zone = TimeZone(secondsFromGMT: seconds)!
        self.identifier = seconds == 0 ? "UTC" : "UTC" + Timestamp(epochSeconds: 0, utcOffsetSeconds: Int32(seconds)).rfc3339.suffix(6)
        self.timeZone = zone
    }

    /// The UTC offset in force at an instant.
    public func offset(at epochSeconds: Int64) -> Int32 {
        Int32(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds))))
    }

    /// The instant a wall-clock time names in this zone.
    ///
    /// A wall time that a transition skips is read with the offset before the transition; one it
    /// repeats is read as its first occurrence.
    public func timestamp(for wall: LocalDateTime) -> Timestamp {
        let first = offset(at: wall.wallSeconds)
        let guess = wall.wallSeconds - Int64(first)
        let second = offset(at: guess)
        if second == first { return Timestamp(epochSeconds: guess, utcOffsetSeconds: first) }
        let retry = wall.wallSeconds - Int64(second)
        if offset(at: retry) == second { return Timestamp(epochSeconds: retry, utcOffsetSeconds: second) }
        return Timestamp(epochSeconds: guess, utcOffsetSeconds: first)
    }

    /// The instant a calendar day starts in this zone.
    public func startOfDay(_ day: CivilDate) -> Int64 {
        timestamp(for: LocalDateTime(date: day)).epochSeconds
    }

    /// An instant printed with the offset this zone has then.
    public func timestamp(atEpochSeconds seconds: Int64) -> Timestamp {
        Timestamp(epochSeconds: seconds, utcOffsetSeconds: offset(at: seconds))
    }

    public var description: String { identifier }

    public static func == (lhs: ZoneRules, rhs: ZoneRules) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}

/// Converts many wall-clock times of one zone quickly, by remembering each day's offset.
///
/// Bills hold up to millions of rows from one or two days; asking the zone once per day instead
/// of once per row keeps parsing fast. Days that contain a transition are converted row by row.
public struct WallClockConverter: Sendable {
    /// The zone being converted from.
    public let zone: ZoneRules
    private var cachedDay: Int64 = .min
    private var cachedOffset: Int32? = nil

    /// Creates a converter for `zone`.
    public init(zone: ZoneRules) {
        self.zone = zone
    }

    /// The instant `wall` names in the zone.
    public mutating func timestamp(for wall: LocalDateTime) -> Timestamp {
        let day = LocalDateTime.floorDiv(wall.wallSeconds, 86_400)
        if day != cachedDay {
            cachedDay = day
            let start = zone.timestamp(for: LocalDateTime(wallSeconds: day * 86_400))
            let end = zone.timestamp(for: LocalDateTime(wallSeconds: (day + 1) * 86_400))
            cachedOffset = start.utcOffsetSeconds == end.utcOffsetSeconds
                && end.epochSeconds - start.epochSeconds == 86_400 ? start.utcOffsetSeconds : nil
        }
        if let offset = cachedOffset {
            return Timestamp(epochSeconds: wall.wallSeconds - Int64(offset), utcOffsetSeconds: offset)
        }
        return zone.timestamp(for: wall)
    }
}
