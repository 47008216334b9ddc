#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wait expected to last about a millisecond: the work another thread is finishing, such as a
/// part of a bill being hashed or a batch being taken into the matching.
///
/// The waiting thread gives its core to any other thread ready to run and checks again, up to
/// ``checks`` times, rather than sleep at once: a thread put to sleep for so short a wait is often
/// woken well after it ends, while its core stands idle. When the wait goes on, the caller sleeps
/// as it otherwise would.
public enum BriefWait {
    /// How many times a wait checks, giving its core away in between, before its caller sleeps.
    public static let checks = 20_000

    /// Checks `isOver` until it is `true`, giving the core away between checks, at most
    /// ``checks`` times; returns whether the wait is over.
    @inlinable
    public static func until(_ isOver: () -> Bool) -> Bool {
        for _ in 0..<checks {
            if isOver() { return true }
            sched_yield()
        }
        return isOver()
    }
}
