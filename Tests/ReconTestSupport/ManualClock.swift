import ReconClock
import Synchronization

/// A clock that moves only when a test moves it, or when something sleeps on it: a sleep returns
/// at once, with the clock moved on to the sleeper's deadline unless it is already past it. Tests
/// that wait, retry or pace calls therefore take no real time and do not depend on how fast the
/// machine is.
public final class ManualClock: RunClock {
    /// 2026-12-03T10:00:00+08:00: two weeks after the sample and demo days, so their bills are
    /// out and their pending orders past any expiry, as on the morning a merchant runs the job.
    public static let defaultStart: Double = 1_796_263_200

    private let elapsed = Mutex<Double>(0)
    private let start: Double
    private let onSleep: @Sendable (Double) -> Void

    /// A clock reading `start` (seconds since 1970) until moved; `onSleep` hears each sleep.
    public init(start: Double = ManualClock.defaultStart, onSleep: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.start = start
        self.onSleep = onSleep
    }

    public func now() -> Double { start + uptime() }

    public func uptime() -> Double { elapsed.withLock { $0 } }

    public func sleep(untilUptime deadline: Double) async throws {
        try Task.checkCancellation()
        let slept = elapsed.withLock { elapsed in
            defer { elapsed = max(elapsed, deadline) }
            return max(0, deadline - elapsed)
        }
        onSleep(slept)
        await Task.yield()
    }

    /// Moves the clock `seconds` ahead.
    public func advance(by seconds: Double) {
        elapsed.withLock { $0 += max(0, seconds) }
    }

    /// A clock that reads this one's time `seconds` later (earlier when negative) and sleeps on it:
    /// a machine whose clock is off.
    public func shifted(by seconds: Double) -> some RunClock {
        ShiftedClock(base: self, offset: seconds)
    }
}

private struct ShiftedClock: RunClock {
    let base: ManualClock
    let offset: Double

    func now() -> Double { base.now() + offset }
    func uptime() -> Double { base.uptime() }
    func sleep(untilUptime deadline: Double) async throws { try await base.sleep(untilUptime: deadline) }
}
