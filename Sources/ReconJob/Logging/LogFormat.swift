import Foundation
import ReconClock

/// How log lines are written to stderr.
public enum LogFormat: String, Sendable, CaseIterable {
    /// ``console`` on a terminal, ``logfmt`` otherwise.
    case auto
    /// Readable lines for people, with a progress line for long steps.
    case console
    /// One `key=value` line per event, for log shippers.
    case logfmt
    /// One JSON object per line.
    case json

    /// The format `auto` stands for, given whether stderr is a terminal.
    public func resolved(isTerminal: Bool) -> LogFormat {
        self == .auto ? (isTerminal ? .console : .logfmt) : self
    }
}

extension RunClock {
    /// The seconds since `start` (an earlier ``RunClock/uptime()``) as a log line shows them: `1.25`.
    func secondsText(since start: Double) -> String {
        String(format: "%.2f", seconds(since: start))
    }
}
