/// One calendar day in a provider's time zone, as the half-open interval of instants `[start, end)`.
///
/// A WeChat Pay bill for 2026-11-20 covers 2026-11-20 00:00:00 up to (not including) 2026-11-21
/// 00:00:00 Beijing time. Local timestamps in any offset are placed against that interval.
public struct DayWindow: Hashable, Sendable, CustomStringConvertible {
    /// The calendar day.
    public let day: CivilDate
    /// The zone the day is counted in.
    public let zone: ZoneRules
    /// The first instant of the day, in seconds since the epoch.
    public let start: Int64
    /// The first instant after the day.
    public let end: Int64

    /// The window of `day` in `zone`.
    public init(day: CivilDate, zone: ZoneRules) {
        self.day = day
        self.zone = zone
        self.start = zone.startOfDay(day)
        self.end = zone.startOfDay(day.adding(days: 1))
    }

    /// `true` when the instant lies within the day.
    public func contains(_ epochSeconds: Int64) -> Bool {
        epochSeconds >= start && epochSeconds < end
    }

    /// `true` when the timestamp lies within the day.
    public func contains(_ timestamp: Timestamp) -> Bool { contains(timestamp.epochSeconds) }

    /// Which edge of the day an instant inside it lies within `grace` seconds of, if any.
    public func edge(near epochSeconds: Int64, grace: Int64) -> DayEdge? {
        guard contains(epochSeconds), grace > 0 else { return nil }
        if epochSeconds - start < grace { return .start }
        if end - epochSeconds <= grace { return .end }
        return nil
    }

    /// The side of the day an instant outside it lies on: `.start` before it, `.end` after it.
    public func side(of epochSeconds: Int64) -> DayEdge? {
        if epochSeconds < start { return .start }
        if epochSeconds >= end { return .end }
        return nil
    }

    /// `2026-11-20 (Asia/Shanghai)`.
    public var description: String { "\(day) (\(zone))" }
}

/// The start or the end of a day.
public enum DayEdge: String, Hashable, Sendable, Codable {
    /// Midnight at the beginning of the day.
    case start
    /// Midnight at the end of the day.
    case end

    /// The neighbouring day on this side of `day`.
    public func neighbour(of day: CivilDate) -> CivilDate {
        day.adding(days: self == .start ? -1 : 1)
    }

    /// The opposite edge.
    public var opposite: DayEdge { self == .start ? .end : .start }
}
