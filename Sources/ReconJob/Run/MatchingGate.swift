import Foundation
import ReconBills
import ReconCore

/// Lets a day's bills be read while its orders are: batches of bill rows that arrive before the
/// day's matching exists are held, up to `capacity` rows, and a part of a bill that would go past
/// that waits on its own thread until the matching opens. Memory stays bounded however large the
/// bill; once open, batches go straight to the matching.
///
/// While the store's reads keep every core busy, rows parsed ahead of the matching would only take
/// a core from them and cost memory, so the gate holds one batch at first. Once fewer of the
/// store's reads run than the machine has cores (``storeReads(running:)``), a core is free, and the
/// gate holds up to `widest` rows: the bill's parts then use that core rather than wait for the
/// last read to end and for the matching to be built on one core after it.
final class MatchingGate: @unchecked Sendable {
    private let condition = NSCondition()
    private let cores: Int
    private let widest: Int
    // Guarded by `condition`.
    private var capacity: Int
    private var held: [BillBatch] = []
    private var heldRows = 0
    private var matching: DayMatching?
    private var abandoned = false

    /// A gate for a machine of `cores` cores, holding at most `capacity` rows while the store's
    /// reads keep every core busy and at most `widest` once they do not. By default it holds one
    /// batch of a bill's rows at first, and then at most 250,000 rows, some 72 MB.
    init(cores: Int, capacity: Int = EntryBatcher.size, widest: Int = 250_000) {
        self.cores = cores
        self.capacity = capacity
        self.widest = max(capacity, widest)
    }

    /// Notes how many of the day's store reads are running, as they start and end: with fewer
    /// than the machine's cores, the gate holds up to `widest` rows from then on.
    func storeReads(running: Int) {
        guard running < cores else { return }
        condition.lock()
        capacity = widest
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
