import Foundation
import Logging
import ReconClock
import ReconCore

/// An exclusive lock on one order store, held by a run (or `ack`, or `store migrate`) from start
/// to end, so that two commands never read, query, apply and save over each other.
///
/// The lock is an advisory `flock` on `<store>.lock` beside the store; the holder writes who it is
/// into that file (process, host, start time, command), so a command that finds the lock taken
/// can say by whom. The kernel releases the lock when the holder exits, however it exits.
public final class StoreLock: Sendable {
    /// The lock file of `store`.
    public static func path(for store: String) -> String { store + ".lock" }

    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Releases the lock now rather than when the value goes away.
    public func release() { flock(descriptor, LOCK_UN) }

    /// Takes the lock of `store`, waiting up to `waitSeconds` for another holder to finish.
    /// - Parameters:
    ///   - store: The store file.
    ///   - holder: Who takes it, as the next waiter should read it.
    ///   - waitSeconds: How long to wait; 0 tries once.
    ///   - clock: Counts the wait and waits between tries.
    /// - Throws: ``ReconError`` with ``ExitStatus/locked`` naming the holder when the wait ran
    ///   out, or ``ExitStatus/failure`` when the lock file cannot be opened.
    public static func acquire(
        store: String, holder: String, waitSeconds: Int64, logger: Logger,
        clock: any RunClock
    ) async throws -> StoreLock {
        let path = Self.path(for: store)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw ReconError(
                .failure,
                "Cannot open the store's lock file \(path): \(String(cString: strerror(errno))). The store's folder must be "
                    + "writable by order-recon (SQLite keeps its journal there too).")
        }
        let lock = StoreLock(descriptor: descriptor)
        let started = clock.uptime()
        var warned = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw ReconError(.failure, "Cannot lock \(path): \(String(cString: strerror(errno))).")
            }
            let waited = Int64(clock.seconds(since: started))
            let current = Self.holder(at: path)
            guard waited < waitSeconds else {
                throw ReconError(
                    .locked,
                    "The store \(store) is in use by another order-recon (\(current)); waited \(DurationText.describe(waited)) "
                        + "(store.lock_wait is \(DurationText.describe(waitSeconds))). Run again once it has finished, or "
                        + "raise --lock-wait.")
            }
            if !warned {
                warned = true
                logger.warning(
                    "waiting for the store lock", metadata: ["store": "\(store)", "holder": "\(current)", "wait": "\(waitSeconds)s"])
            }
            try await clock.sleep(seconds: 1)
        }
        ftruncate(descriptor, 0)
        let text = Array((holder + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return lock
    }

    /// Takes the lock of `store` for a command that is not a run, when the store exists: `nil` when it does not.
    public static func hold(
        _ store: String, waitSeconds: Int64 = ReconConfig.defaultStoreLockWaitSeconds, clock: any RunClock,
        identity: ProcessIdentity
    ) async throws -> StoreLock? {
        guard FileManager.default.fileExists(atPath: store) else { return nil }
        var logger = Logger(label: "order-recon")
        logger.logLevel = .warning
        return try await acquire(
            store: store, holder: identity.holder(since: Timestamp(epochSeconds: clock.epochSeconds())),
            waitSeconds: waitSeconds, logger: logger, clock: clock)
    }

    /// Who holds the lock, as the holder wrote it (its first line, at most 300 characters).
    private static func holder(at path: String) -> String {
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4_096)) ?? nil
        let text = head.map { String(decoding: $0, as: UTF8.self) }?.split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "a process that did not say who it is" : Printable.escaped(text.prefix(300))
    }
}
