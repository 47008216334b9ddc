import Foundation

/// The line each part of a cut bill (``ConcurrentBillPlan``) starts on: one more than the line
/// feeds before its first byte.
///
/// The thread that hashes the whole file counts them as it reads (``count(_:at:)``), so the file
/// is not read once more only to number its lines; each part after the first waits for its line
/// (``firstLine(of:)``) before it parses. When that read fails, every part waiting, and every
/// later one, fails with its error (``fail(_:)``).
final class PartStartLines: @unchecked Sendable {
    /// Where each part after the first starts, in file order.
    private let cuts: [Int]
    // Used only by the counting thread.
    private var nextCut = 0
    private var lineFeeds = 0
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var starts = [1]
    private var failure: (any Error)?

    /// Lines for parts that start at `cuts` (the first part starts at byte 0, on line 1).
    init(cuts: [Int]) {
        self.cuts = cuts
    }

    /// Counts the line feeds of `chunk`, the file's bytes from `offset` on, read in file order,
    /// and notes the line of each cut the chunk reaches. Bytes after the last cut are not counted.
    func count(_ chunk: UnsafeRawBufferPointer, at offset: Int) {
        var position = 0
        while nextCut < cuts.count, position < chunk.count {
            let stop = min(chunk.count, cuts[nextCut] - offset)
            lineFeeds += Self.lineFeeds(in: UnsafeRawBufferPointer(rebasing: chunk[position..<stop]))
            position = stop
            if offset + position == cuts[nextCut] {
                nextCut += 1
                found(lineFeeds + 1)
            }
        }
    }

    /// Fails every part that has not got its line.
    func fail(_ error: any Error) {
        condition.lock()
        failure = failure ?? error
        condition.broadcast()
        condition.unlock()
    }

    /// The line part `index` starts on, once counted.
    /// - Throws: The error the count's read failed with.
    func firstLine(of index: Int) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while index >= starts.count {
            if let failure { throw failure }
            condition.wait()
        }
        return starts[index]
    }

    private func found(_ line: Int) {
        condition.lock()
        starts.append(line)
        condition.broadcast()
        condition.unlock()
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
