import Foundation

/// Runs a blocking piece of work (a long SQLite read) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core and never preempts a task, so blocking reads
/// started on it run in the order they were started: a short read started first holds a core
/// while a long one waits. On threads of their own the reads share the cores as the system
/// schedules them, and all finish at about the same time, and a piece of work may wait for
/// another (a bill's parts for the day's orders) without holding up the pool.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
