import Foundation

/// Frees a value on a thread of its own.
///
/// Once a day is matched, its orders, refunds and index (hundreds of megabytes on a day of
/// millions of orders) are no longer needed, and returning their memory to the system takes a
/// core for a while. The rest of the day (its lookups, its explanations, the run's reports)
/// runs on one core at that point, so the memory is freed on the other. Likewise the run's
/// reports, once printed, are freed while the process ends.
public enum BackgroundRelease {
    /// Hands `value` to a new thread, which drops it. The value is moved, not copied: when the
    /// caller holds no other reference to what it refers to, that is freed on the new thread.
    /// - Returns: What says when the value has been dropped, for a caller that must know.
    @discardableResult
    public static func release<Value: Sendable>(_ value: consuming Value) -> Released {
        let holder = Holder(consume value)
        let released = Released()
        Thread {
            holder.drop()
            released.semaphore.signal()
        }.start()
        return released
    }

    /// Whether a value handed to ``release(_:)`` has been dropped.
    public final class Released: Sendable {
        fileprivate let semaphore = DispatchSemaphore(value: 0)

        /// Returns once the value has been dropped.
        public func wait() {
            semaphore.wait()
            semaphore.signal()
        }
    }

    /// The value between the two threads: set on the caller's, dropped on the new one.
    private final class Holder<Value: Sendable>: @unchecked Sendable {
        private var value: Value?

        init(_ value: consuming Value) {
            self.value = consume value
        }

        func drop() {
            value = nil
        }
    }
}
