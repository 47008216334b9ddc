import Foundation
import ReconClock

/// What the commands take from the machine they run on: its clock and its environment. Read here
/// once and handed down; nothing below the commands reads either.
enum Machine {
    /// The clock.
    static let clock: any RunClock = SystemClock()
    /// The environment variables.
    static let environment = ProcessInfo.processInfo.environment
}
