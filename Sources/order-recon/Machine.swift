import Foundation
import ReconClock
import ReconJob

/// What the commands take from the machine and process they run in: the clock, the environment,
/// the cores and how the process names itself. Read here once and handed down; nothing below the
/// commands reads any of them.
enum Machine {
    /// The clock.
    static let clock: any RunClock = SystemClock()
    /// The environment variables.
    static let environment = ProcessInfo.processInfo.environment
    /// The cores a large bill is read on.
    static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// How this process names itself in the store's lock.
    static let identity = ProcessIdentity(
        pid: getpid(), host: ProcessInfo.processInfo.hostName,
        command: (["order-recon"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
}
