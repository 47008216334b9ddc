/// Bill rows on their way from a bill's reader to the matching, a few thousand at a time.
///
/// Rows are moved in (``append(_:)``) and moved out (``drain(_:)``), never copied: a row's
/// strings are retained once when it is built and released once when the matching is done with
/// it, however many hands the batch passes through. An array would copy each row to hand it on,
/// retaining its strings, and then release them twice.
///
/// A batch is handed from the thread that fills it to the one that drains it, and used by one
/// thread at a time, so its count needs no runtime exclusivity checks on each of the millions of
/// rows moved in.
public final class BillBatch: @unchecked Sendable {
    private let base: UnsafeMutablePointer<BillEntry>
    /// How many rows the batch can hold.
    public let capacity: Int
    /// How many rows it holds.
    @exclusivity(unchecked) public private(set) var count = 0

    /// An empty batch for up to `capacity` rows.
    public init(capacity: Int) {
        precondition(capacity > 0, "a batch holds at least one row")
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    /// A batch holding `entries`, in order.
    public convenience init(_ entries: [BillEntry]) {
        self.init(capacity: max(entries.count, 1))
        for entry in entries { append(entry) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Whether the batch holds as many rows as it can.
    public var isFull: Bool { count == capacity }

    /// Moves `entry` in, after the rows already held.
    public func append(_ entry: consuming BillEntry) {
        precondition(count < capacity, "the batch is full")
        (base + count).initialize(to: entry)
        count += 1
    }

    /// The rows held, copied.
    public var entries: [BillEntry] { withEntries(Array.init) }

    /// Calls `body` with the rows held, to read them in place.
    public func withEntries<Result>(_ body: (UnsafeBufferPointer<BillEntry>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Moves the rows out one by one, in order, handing each to `body` with its index; the batch
    /// is empty afterwards. `body` may read the rows after the one it is given in `ahead`, whose
    /// rows are all still held.
    public func drain(_ body: (_ index: Int, _ entry: consuming BillEntry, _ ahead: UnsafeBufferPointer<BillEntry>) -> Void) {
        let total = count
        // Emptied first, so that rows already moved out are never deinitialized again.
        count = 0
        for index in 0..<total {
            let entry = (base + index).move()
            body(index, entry, UnsafeBufferPointer(start: base + index + 1, count: total - index - 1))
        }
    }
}
