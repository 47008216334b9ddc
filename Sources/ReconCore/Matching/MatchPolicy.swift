/// Settings that decide how strictly the two sides must agree.
public struct MatchPolicy: Hashable, Sendable {
    /// How close to midnight (in seconds) a local time must be for a missing row to be blamed on
    /// the day boundary: the provider's clock and the store's can put one payment on two days.
    public var boundaryGrace: Int64

    /// The default grace: 10 minutes.
    public static let defaultBoundaryGrace: Int64 = 600

    /// Creates a policy.
    public init(boundaryGrace: Int64 = MatchPolicy.defaultBoundaryGrace) {
        self.boundaryGrace = boundaryGrace
    }
}

extension MatchPolicy {
    /// The instants whose local items a day's matcher needs: the day widened by the grace on both
    /// sides, so items stamped just across midnight can match this day's bill.
    public func loadRange(_ window: DayWindow) -> Range<Int64> {
        (window.start - boundaryGrace)..<(window.end + boundaryGrace)
    }
}
