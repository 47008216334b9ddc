/// Where everything below the assembly point learns the time: the wall time that stamps runs,
/// requests and answers, a monotonic time that measures waits and rates, and the one way to wait.
///
/// The job and its tools build one ``SystemClock`` and hand it down; tests hand down a clock they
/// move themselves, so nothing they check depends on when or how fast they run.
public protocol RunClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
    /// Seconds since an unspecified start, never going back: for durations, waits and rates.
    func uptime() -> Double
    /// Waits until ``uptime()`` reaches `deadline`; returns at once when it already has.
    /// - Throws: `CancellationError` when the task is cancelled while it waits.
    func sleep(untilUptime deadline: Double) async throws
}

extension RunClock {
    /// Whole seconds since 1970-01-01T00:00:00Z, rounded down.
    public func epochSeconds() -> Int64 {
        Int64(now().rounded(.down))
    }

    /// Waits `seconds` (fractions allowed).
    public func sleep(seconds: Double) async throws {
        try await sleep(untilUptime: uptime() + seconds)
    }

    /// Waits `duration`.
    public func sleep(for duration: Duration) async throws {
        try await sleep(seconds: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Seconds elapsed since `start`, an earlier ``uptime()``.
    public func seconds(since start: Double) -> Double {
        uptime() - start
    }
}
