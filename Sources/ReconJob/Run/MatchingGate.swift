import Foundation
import ReconBills
import ReconCore

/// Lets a day's bills be read while its orders are: batches of bill rows that arrive before the
/// day's matching exists are held, up to `capacity` rows, and a part of a bill that would go past
/// that waits on its own thread until the matching opens. Memory stays bounded however large the
/// bill; once open, batches go straight to the matching.
///
/// While the store read keeps every core busy, rows parsed ahead of the matching would only take
/// a core from it and cost memory, so the gate holds little at first. Each part of the store read
/// that ends frees a core and widens the gate by `widening` rows, up to `widest` (``partRead()``):
/// the bill's parts then use that core rather than wait for the last part of the store read.
final class MatchingGate: @unchecked Sendable {
    private let condition = NSCondition()
    private let widening: Int
    private let widest: Int
    // Guarded by `condition`.
    private var capacity: Int
    private var held: [BillBatch] = []
    private var heldRows = 0
    private var matching: DayMatching?
    private var abandoned = false

    /// A gate holding at most `capacity` rows, and `widening` more for each part of the store
    /// read that ends, never more than `widest`. By default it holds one batch of a bill's rows
    /// at first, and at most 60,000 rows, some 17 MB.
    init(capacity: Int = EntryBatcher.size, widening: Int = 30_000, widest: Int = 60_000) {
        self.capacity = capacity
        self.widening = widening
        self.widest = max(capacity, widest)
    }

    /// Notes that a part of the day's store read has ended: the gate holds `widening` more rows,
    /// up to `widest`.
    func partRead() {
        condition.lock()
        capacity = min(capacity + widening, widest)
        condition.broadcast()
        condition.unlock()
    }

    /// Hands a batch to the matching, holds it, or waits until it can do either.
    func deliver(_ batch: BillBatch) {
        condition.lock()
        while true {
            if abandoned {
                condition.unlock()
                return
            }
            if let matching {
                condition.unlock()
                matching.ingest(batch)
                return
            }
            if heldRows == 0 || heldRows + batch.count <= capacity {
                held.append(batch)
                heldRows += batch.count
                condition.unlock()
                return
            }
            condition.wait()
        }
    }

    /// Opens the gate: the held batches, then every later one, go to `matching`.
    func open(_ matching: DayMatching) {
        condition.lock()
        self.matching = matching
        let batches = held
        held = []
        heldRows = 0
        condition.broadcast()
        condition.unlock()
        for batch in batches { matching.ingest(batch) }
    }

    /// Lets go of the matching once every part of the day's bills has delivered its last batch,
    /// so that the one finishing it holds the only reference to it.
    func close() {
        condition.lock()
        matching = nil
        condition.unlock()
    }

    /// Lets every waiting and later batch go unused: the day failed, before or after its matching opened.
    func abandon() {
        condition.lock()
        abandoned = true
        held = []
        heldRows = 0
        condition.broadcast()
        condition.unlock()
    }
}
