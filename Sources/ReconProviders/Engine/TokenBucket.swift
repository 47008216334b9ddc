import ReconClock

/// One merchant's request pacing: a token bucket kept as a theoretical arrival time (GCRA), so
/// each caller learns at once when it may go and sleeps until then.
///
/// ``slowDown()`` halves the rate and pauses new requests when the provider says "too many"
/// (HTTP 429, `S04`, `FREQUENCY_LIMITED`); every success then earns back a little of the rate.
/// Times are the clock's ``RunClock/uptime()`` seconds.
actor TokenBucket {
    private let limit: RateLimit
    private let clock: any RunClock
    private var rate: Double
    private var theoreticalArrival: Double
    private(set) var slowDowns = 0
    private var lastSlowDown: Double?

    /// How long new requests wait after the provider says "too many", in seconds.
    static let pause = 0.25
    /// The rate halves at most once in this many seconds: the refusals of calls already under way count once.
    static let settle = 1.0
    /// The lowest rate a slowed-down merchant falls to, per second.
    static let floor = 0.5

    init(limit: RateLimit, clock: any RunClock) {
        self.limit = limit
        self.clock = clock
        self.rate = limit.perSecond
        self.theoreticalArrival = clock.uptime()
    }

    /// Waits until the next request may go.
    func acquire() async throws {
        try await clock.sleep(untilUptime: reserve())
    }

    /// Takes the next slot and returns when it starts.
    private func reserve() -> Double {
        let now = clock.uptime()
        let interval = 1 / rate
        let tolerance = interval * Double(limit.burst - 1)
        let arrival = max(theoreticalArrival, now)
        let start = max(now, arrival - tolerance)
        theoreticalArrival = arrival + interval
        return start
    }

    /// Halves the rate and holds new requests back for ``pause``. The refusals of calls that were
    /// already under way when the first came count once: the rate halves at most once a ``settle``.
    func slowDown() {
        let now = clock.uptime()
        if let last = lastSlowDown, now - last < Self.settle { return }
        lastSlowDown = now
        slowDowns += 1
        rate = max(Self.floor, rate / 2)
        theoreticalArrival = max(theoreticalArrival, now) + Self.pause
    }

    /// Earns back a fiftieth of the configured rate.
    func succeeded() {
        rate = min(limit.perSecond, rate + limit.perSecond / 50)
    }

    /// The rate now, per second.
    var currentRate: Double { rate }
}
