import Foundation
import ReconCore
import Synchronization

extension BillReader {
    /// Reads one bill file using several cores when it is large enough, delivering rows in batches.
    /// Every worker reads on a thread of its own, so `onBatch` may wait (for the day's orders, say)
    /// without holding up Swift's cooperative pool.
    ///
    /// An uncompressed bill of at least `minimumBytes` whose format may be cut at any line end
    /// (``BillFormatReader/partitioned(header:file:)``) is cut into parts of about `partBytes`,
    /// smaller towards the end (``ConcurrentBillPlan/ends(size:workers:partBytes:)``); each part is
    /// parsed by its own libcsv parser, and the format merges the parts' sums before its summary
    /// check, so the result is exactly that of ``read(_:displayName:expecting:onEntry:)``. The
    /// workers take the parts in file order, one at a time: each keeps a core with one working set
    /// rather than sharing it with another part's, and the workers end within one of the small
    /// last parts of each other. Each part is read once, whole, and hashed before it is parsed,
    /// in file order (``PartDigest``): the file's SHA-256 and each part's first line come from the
    /// same read as its rows. Other bills are read in one pass.
    /// Batches from different parts arrive concurrently and in no particular order.
    /// - Parameters:
    ///   - path: The file to open.
    ///   - displayName: The name to use in messages and reports; the path by default.
    ///   - expectation: The merchant and day the bill must belong to, when known.
    ///   - workers: How many parts to read at once.
    ///   - partBytes: About how large each part is; each worker holds one part's bytes at a time.
    ///   - minimumBytes: Bills smaller than this are read in one pass.
    ///   - onBatch: Receives the well-formed rows, a batch at a time, possibly from several tasks at once.
    public func readConcurrently(
        _ path: String, displayName: String? = nil, expecting expectation: BillExpectation = BillExpectation(),
        workers: Int, partBytes: Int = 2 << 20, minimumBytes: Int = 16 << 20,
        onBatch: @escaping @Sendable (BillBatch) -> Void
    ) async throws -> BillFacts {
        let name = displayName ?? path
        guard let plan = try ConcurrentBillPlan.make(path: path, workers: workers, partBytes: partBytes, minimumBytes: minimumBytes),
            let format = formats.first(where: { $0.matches(plan.header) }),
            // A header the format refuses is left to the single pass, which says so in full.
            let partitioned = try? format.partitioned(header: plan.header, file: name)
        else {
            let reader = self
            return try await BlockingWork.run {
                let batcher = EntryBatcher(onBatch: onBatch)
                let facts = try reader.read(path, displayName: displayName, expecting: expectation) { batcher.add($0) }
                batcher.flush()
                return facts
            }
        }
        let zone = zones.zone(for: format.provider)
        // Every part checks its rows against the bill's merchant: the one named, or else the one
        // the first row names, as a single pass takes it. A bill named for none is still merged
        // as one: its merchant is then found from all its rows, as a single pass finds it.
        var identified = expectation
        if identified.merchant == nil {
            identified.firstRowMerchant = try identify(path, displayName: displayName).firstRowMerchant
        }
        let named = identified
        // Each part is read once, whole: the workers hash it and count its lines in file order
        // (``PartDigest``), then parse it.
        let digest = PartDigest()
        let queue = PartQueue(count: plan.parts.count)
        let results = try await withThrowingTaskGroup(of: [(Int, PartResult)].self) { group in
            for _ in 0..<min(workers, plan.parts.count) {
                group.addTask {
                    try await BlockingWork.run {
                        var done: [(Int, PartResult)] = []
                        let buffer = PartBuffer()
                        var descriptor: Int32?
                        defer { descriptor.map { _ = close($0) } }
                        while let index = queue.next() {
                            do {
                                if descriptor == nil { descriptor = try BillByteStream.openFile(path, displayName: name) }
                                let bytes = try buffer.read(descriptor!, displayName: name, plan.parts[index])
                                let (firstLine, lineFeeds) = try digest.add(index, UnsafeRawBufferPointer(bytes))
                                let result = try Self.readPart(
                                    bytes, name: name, firstLine: firstLine, lineFeeds: lineFeeds, isFirst: index == 0,
                                    format: partitioned,
                                    expectation: named, zone: zone, onBatch: onBatch)
                                done.append((index, result))
                            } catch {
                                queue.stop()
                                digest.fail(error)
                                throw error
                            }
                        }
                        return done
                    }
                }
            }
            var results: [(Int, PartResult)] = []
            for try await done in group { results += done }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // A summary block before the last part is what a damaged bill has: rows follow it, or a cut
        // fell between its header and its totals. The parts cannot know the state of the bill
        // before them, so what the bill is found to hold is then taken from one pass over the
        // file. The rows already delivered are a single pass's, except rows after the summary,
        // which a single pass refuses: the bill is then invalid and none of its rows is used.
        if results.dropLast().contains(where: { $0.segment.holdsSummary }) {
            return try read(path, displayName: displayName, expecting: expectation) { _ in }
        }
        let lastLine = results.last?.lastLine ?? 1
        var facts = partitioned.merge(results.map(\.segment), expectation: named, lastLine: lastLine)
        facts.storedBytes = plan.size
        facts.sha256 = digest.finalize()
        facts.wasCompressed = false
        return facts
    }

    private struct PartResult: Sendable {
        var segment: any BillPart
        var lastLine: Int
    }

    /// Parses one part of a bill, whose bytes start on line `firstLine` and hold `lineFeeds` line
    /// feeds; the bytes are changed in place (``CSVTokenizer/feed(_:lineFeeds:)``). The first part
    /// skips the byte-order mark and header.
    private static func readPart(
        _ bytes: UnsafeMutableRawBufferPointer, name: String, firstLine: Int, lineFeeds: Int, isFirst: Bool,
        format: any PartitionedBillFormat, expectation: BillExpectation, zone: ZoneRules,
        onBatch: @escaping @Sendable (BillBatch) -> Void
    ) throws -> PartResult {
        let batcher = EntryBatcher(onBatch: onBatch)
        // Each part's rows get their own copy of the file name: rows cross between tasks, and a
        // shared string's reference count would bounce between cores on every copy of a row.
        let name = String(decoding: Array(name.utf8), as: UTF8.self)
        let decoder = format.partDecoder(file: name, expectation: expectation, zone: zone, onEntry: { batcher.add($0) })
        // The first part's first row is the header, which the plan has read. Whether it has been
        // passed is kept in a class rather than a captured variable, which would cost every row
        // a runtime exclusivity check.
        let header = HeaderRow(passed: !isFirst)
        let tokenizer = try CSVTokenizer(
            options: type(of: decoder).tokenizerOptions, file: name, firstLine: firstLine
        ) { row in
            if header.passed { decoder.handle(row) } else { header.passed = true }
        }
        var bytes = bytes
        if isFirst, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeMutableRawBufferPointer(rebasing: bytes[3...]) }
        try tokenizer.feed(bytes, lineFeeds: lineFeeds)
        try tokenizer.finish()
        batcher.flush()
        return PartResult(segment: decoder.part, lastLine: tokenizer.lastLine)
    }
}

/// Hands a bill's parts to its workers in file order, and none once a part has failed.
private final class PartQueue: Sendable {
    private let state: Mutex<(next: Int, stopped: Bool)>
    private let count: Int

    init(count: Int) {
        self.count = count
        state = Mutex((0, false))
    }

    /// The next part to read, or `nil` when all are taken or one failed.
    func next() -> Int? {
        state.withLock { state in
            guard !state.stopped, state.next < count else { return nil }
            defer { state.next += 1 }
            return state.next
        }
    }

    /// Hands out no more parts.
    func stop() {
        state.withLock { $0.stopped = true }
    }
}

/// Whether a part's header row has been passed; used by the one thread that reads the part.
private final class HeaderRow {
    @exclusivity(unchecked) var passed: Bool

    init(passed: Bool) { self.passed = passed }
}

/// Collects rows into batches, so rows cross between tasks a few thousand at a time.
package final class EntryBatcher {
    /// The rows a batch holds.
    package static let size = 4_096

    private var batch = BillBatch(capacity: EntryBatcher.size)
    private let onBatch: (BillBatch) -> Void

    package init(onBatch: @escaping (BillBatch) -> Void) {
        self.onBatch = onBatch
    }

    package func add(_ entry: consuming BillEntry) {
        batch.append(consume entry)
        if batch.isFull { flush() }
    }

    /// Hands on the rows collected, if any. A batch the receiver emptied and let go of is filled
    /// again; the next rows go into a new one otherwise.
    package func flush() {
        guard batch.count > 0 else { return }
        onBatch(batch)
        // Its count is read only once no one else holds it: a batch held in the gate may be
        // drained on another thread at any time.
        if !(isKnownUniquelyReferenced(&batch) && batch.count == 0) { batch = BillBatch(capacity: Self.size) }
    }
}
