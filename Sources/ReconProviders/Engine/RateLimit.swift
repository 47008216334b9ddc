/// A merchant's request rate at its provider.
public struct RateLimit: Hashable, Sendable, CustomStringConvertible {
    /// Requests per second, sustained.
    public var perSecond: Double
    /// How many requests may go at once after a quiet spell.
    public var burst: Int

    /// Creates a limit.
    public init(perSecond: Double, burst: Int = 1) {
        self.perSecond = perSecond
        self.burst = max(1, burst)
    }

    public var description: String { "\(perSecond)/s (burst \(burst))" }
}
