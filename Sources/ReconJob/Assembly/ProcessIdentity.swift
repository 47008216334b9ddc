import ReconCore

/// How this process names itself to another order-recon waiting for the store's lock. The
/// commands read it from the process once (with the clock and the environment) and hand it down.
public struct ProcessIdentity: Sendable, Hashable {
    /// The process id.
    public var pid: Int32
    /// The machine's name.
    public var host: String
    /// The command line, as `order-recon run --date 2026-11-20`.
    public var command: String

    /// Creates an identity.
    public init(pid: Int32, host: String, command: String) {
        self.pid = pid
        self.host = host
        self.command = command
    }

    /// An identity for a job not started from a command line (tests, tools).
    public static let unnamed = ProcessIdentity(pid: 0, host: "localhost", command: "order-recon")

    /// What a waiter reads: `pid 4242 on host1 since 2026-11-20T10:30:00+08:00: order-recon run --date 2026-11-20`.
    public func holder(since time: Timestamp) -> String {
        "pid \(pid) on \(host) since \(time.rfc3339): \(command)"
    }
}
