import Foundation

/// Runs `work` on a thread of its own while `body` runs on the calling thread, and returns once
/// both have finished: `body`'s value, or the error `body` threw, else the error `work` threw.
///
/// Neither closure outlives the call. The caller keeps what both touch apart: a results
/// transaction writes rows on its connection in `work` while the run works out its open items or
/// reports in `body`, which do not use the connection.
package func concurrently<Value>(_ work: () throws -> Void, with body: () throws -> Value) throws -> Value {
    try withoutActuallyEscaping(work) { work in
        let job = Job(work)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            job.run()
            finished.signal()
        }.start()
        let result = Result(catching: body)
        finished.wait()
        let value = try result.get()
        try job.outcome.get()
        return value
    }
}

/// The work of ``concurrently(_:with:)`` and what became of it; read only after the thread signals.
private final class Job: @unchecked Sendable {
    private var work: (() throws -> Void)?
    private(set) var outcome: Result<Void, any Error> = .success(())

    init(_ work: @escaping () throws -> Void) {
        self.work = work
    }

    func run() {
        outcome = Result(catching: work!)
        // Let go of the closure before the caller is told, so that it has not escaped the call.
        work = nil
    }
}

/// A value one thread hands to others once: ``take()`` waits until ``put(_:)`` has run, and
/// every later ``take()`` gets the same value at once. Only the first ``put(_:)`` counts.
package final class Handoff<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var result: Result<Value, any Error>?

    package init() {}

    /// Hands over the value, or the error that took its place, unless something was handed over already.
    package func put(_ result: Result<Value, any Error>) {
        condition.lock()
        if self.result == nil {
            self.result = result
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Waits for the value; rethrows the error handed over instead.
    package func take() throws -> Value {
        condition.lock()
        while result == nil { condition.wait() }
        let result = self.result!
        condition.unlock()
        return try result.get()
    }
}
