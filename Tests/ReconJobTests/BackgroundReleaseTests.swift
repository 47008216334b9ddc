import Foundation
import Synchronization
@testable import ReconJob
import Testing

/// Values handed over to be freed on a thread of their own.
@Suite("Freeing on a thread of its own")
struct BackgroundReleaseTests {
    /// Says on which thread it was freed.
    final class Tracked: @unchecked Sendable {
        let freed: (pthread_t) -> Void
        init(freed: @escaping (pthread_t) -> Void) { self.freed = freed }
        deinit { freed(pthread_self()) }
    }

    /// The thread a value was freed on, once it is.
    final class Signal: @unchecked Sendable {
        private let condition = NSCondition()
        private var thread: pthread_t?

        func note(_ thread: pthread_t) {
            condition.lock()
            self.thread = thread
            condition.broadcast()
            condition.unlock()
        }

        /// `nil` when nothing was freed within `seconds`.
        func wait(seconds: Double) -> pthread_t? {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date(timeIntervalSinceNow: seconds)
            while thread == nil, condition.wait(until: deadline) {}
            return thread
        }
    }

    @Test("a value handed over is moved, not copied, so the new thread frees it")
    func freedElsewhere() {
        let signal = Signal()
        var value: (Tracked, [Int])? = (Tracked { signal.note($0) }, Array(0..<1_000))
        BackgroundRelease.release(value.take()!)
        #expect(value == nil)
        let freed = signal.wait(seconds: 10)
        #expect(freed != nil, "the value was never freed")
        #expect(freed.map { pthread_equal($0, pthread_self()) == 0 } ?? false, "freed on the caller's thread")
    }

    @Test("once the caller waits on what the release returned, the value has been freed, however often it waits")
    func waitedFor() {
        let freed = Mutex(false)
        let released = BackgroundRelease.release(Tracked { _ in
            // Freed a moment after the caller starts waiting, as a large value would be.
            usleep(20_000)
            freed.withLock { $0 = true }
        })
        released.wait()
        #expect(freed.withLock { $0 })
        released.wait()
    }
}
