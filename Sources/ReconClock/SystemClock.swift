import Foundation

/// The machine's clock: the only place the job reads the time of day.
public struct SystemClock: RunClock {
    /// Creates the clock.
    public init() {}

    public func now() -> Double {
        Date().timeIntervalSince1970
    }

    public func uptime() -> Double {
        ProcessInfo.processInfo.systemUptime
    }

    public func sleep(untilUptime deadline: Double) async throws {
        let seconds = deadline - uptime()
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
}
