import Foundation
import ReconClock
import Synchronization

/// A step's progress as the run reports it: "reading wechatpay_…_ALL.csv: 120000 rows".
public struct ProgressEvent: Sendable, Hashable {
    /// What is in progress.
    public var step: String
    /// How much is done.
    public var done: Int
    /// How much there is in all, when known.
    public var total: Int?
    /// What is counted ("rows", "items").
    public var unit: String

    /// Creates an event.
    public init(step: String, done: Int, total: Int? = nil, unit: String) {
        self.step = step
        self.done = done
        self.total = total
        self.unit = unit
    }

    /// The event as one line for a terminal.
    public var line: String {
        guard let total, total > 0 else { return "\(step): \(done) \(unit)" }
        let percent = min(100, done * 100 / total)
        return "\(step): \(done)/\(total) \(unit) (\(percent)%)"
    }
}

/// Shows the latest progress event on one terminal line, at most ten times a second.
public final class ProgressLine: Sendable {
    private let output: StandardError
    private let clock: any RunClock
    private let last = Mutex<(time: Double, step: String)>((-.infinity, ""))

    /// A progress line on `output`.
    public init(output: StandardError = .shared, clock: any RunClock) {
        self.output = output
        self.clock = clock
    }

    /// Shows `event` unless another was shown in the last tenth of a second; the last event of a
    /// step (done == total) is always shown.
    public func show(_ event: ProgressEvent) {
        let now = clock.uptime()
        let shouldShow = last.withLock { last in
            let finished = event.total.map { event.done >= $0 } ?? false
            guard finished || event.step != last.step || now - last.time >= 0.1 else { return false }
            last = (now, event.step)
            return true
        }
        if shouldShow { output.progress(event.line) }
    }

    /// Clears the line.
    public func finish() {
        output.clearProgress()
    }
}
