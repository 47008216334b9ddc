import Crypto
import Foundation
import ReconCore
import Synchronization

/// The SHA-256 of a cut bill (``ConcurrentBillPlan``) and the line each part starts on, taken
/// from the parts' own bytes: the workers read each part once, for both this and parsing it.
///
/// Each part is added (``add(_:_:)``) once it is read and before it is parsed, after every part
/// before it: the file is hashed and its line feeds counted in file order, whichever worker holds
/// which part. A part's line is then known when it is added. When a part cannot be read or fails,
/// ``fail(_:)`` makes every part still waiting its turn, and every later one, fail with its error.
///
/// A part's line feeds are counted before its turn, so that a turn is the hashing alone. A part
/// that comes right after one still being hashed waits for its turn as a ``BriefWait``, and sleeps
/// only when the wait goes on.
final class PartDigest: @unchecked Sendable {
    private let condition = NSCondition()
    /// The part whose turn it is: written under `condition` once the part before is added,
    /// read without it by a part checking for its turn.
    private let next = Atomic<Int>(0)
    // Guarded by `condition`.
    private var failure: (any Error)?
    // Used only by the part whose turn it is, handed on through `next`.
    private var hasher = SHA256()
    private var lineFeeds = 0

    /// Hashes part `index`, once every part before it has been added, and returns the line it
    /// starts on and the line feeds it holds.
    /// - Throws: The error a part before it failed with.
    func add(_ index: Int, _ bytes: UnsafeRawBufferPointer) throws -> (firstLine: Int, lineFeeds: Int) {
        let partLineFeeds = Self.lineFeeds(in: bytes)
        _ = BriefWait.until { next.load(ordering: .acquiring) >= index }
        condition.lock()
        while next.load(ordering: .acquiring) < index, failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        precondition(next.load(ordering: .acquiring) == index, "each part is added once, in file order")
        condition.unlock()
        let line = lineFeeds + 1
        hasher.update(bufferPointer: bytes)
        lineFeeds += partLineFeeds
        condition.lock()
        next.store(index + 1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        return (line, partLineFeeds)
    }

    /// Fails every part that has not had its turn.
    func fail(_ error: any Error) {
        condition.lock()
        failure = failure ?? error
        condition.broadcast()
        condition.unlock()
    }

    /// The SHA-256 of the parts added, lower-case hex.
    func finalize() -> String {
        condition.lock()
        defer { condition.unlock() }
        return hasher.finalize().hexString
    }

    private static func lineFeeds(in bytes: UnsafeRawBufferPointer) -> Int {
        guard var cursor = bytes.baseAddress else { return 0 }
        let end = cursor + bytes.count
        var count = 0
        while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
            count += 1
            cursor = UnsafeRawPointer(found) + 1
        }
        return count
    }
}
