/// One side of a day's matching (the orders, or the refunds): the local items, what each has been
/// seen with, and the rows that named no local item.
struct Ledger<Items: LedgerItems>: Sendable {
    typealias Item = Items.Element

    /// Per-item state, packed in four bytes: the rows counted in the low 16 bits, then one bit each.
    struct Flags: Sendable {
        private var bits: UInt32 = Self.nearEdgeBit

        private static var coreBit: UInt32 { 1 << 16 }
        private static var nearEdgeBit: UInt32 { 1 << 17 }
        private static var presentBit: UInt32 { 1 << 18 }

        init() {}

        init(isCore: Bool, isNearEdge: Bool) {
            self.isCore = isCore
            self.isNearEdge = isNearEdge
        }

        /// The item's time lies within the day (not in the grace margin around it).
        var isCore: Bool {
            get { bits & Self.coreBit != 0 }
            set { set(Self.coreBit, newValue) }
        }
        /// The item's time is outside the day or near one of its edges.
        var isNearEdge: Bool {
            get { bits & Self.nearEdgeBit != 0 }
            set { set(Self.nearEdgeBit, newValue) }
        }
        /// Some bill row names the item.
        var present: Bool {
            get { bits & Self.presentBit != 0 }
            set { set(Self.presentBit, newValue) }
        }
        /// Rows that counted as arrivals (``LedgerItem/counts(moves:)``), up to 65,535: only
        /// whether there were none, one or more matters, so the count stops there rather than wrap.
        var rows: UInt16 {
            get { UInt16(truncatingIfNeeded: bits) }
            set { bits = bits & ~0xFFFF | UInt32(newValue) }
        }

        private mutating func set(_ bit: UInt32, _ on: Bool) {
            bits = on ? bits | bit : bits & ~bit
        }
    }

    /// How a row arrived for an item.
    enum Arrival {
        /// The item's first counted row: it is compared, and recorded if near midnight.
        case first
        /// A row that does not count as an arrival (a payment row that moved no money): compared only.
        case uncounted
        /// A counted row after the first: kept for the duplicate check.
        case extra
    }

    var items: Items
    var flags: [Flags]
    /// Where the first counted row of each item was.
    var firstRow: FirstRows
    /// Counted rows after the first, per item.
    var extraRows: [Int: [BillEntry]] = [:]
    /// Where in the findings the first counted row of an item left its findings, when it left any;
    /// replaced if a row earlier in the files turns up for the same item.
    var firstArrivalFindings: [Int: Range<Int>] = [:]
    /// Rows that named no item of the day, by key.
    var unknown: [String: [BillEntry]] = [:]

    init(_ items: Items, flags: [Flags]) {
        self.items = items
        self.flags = flags
        self.firstRow = FirstRows(count: items.count)
    }

    /// Notes a row naming the item at `index`.
    @inline(__always)
    mutating func arrive(_ entry: BillEntry, at index: Int, moves: Bool) -> Arrival {
        flags[index].present = true
        guard Item.counts(moves: moves) else { return .uncounted }
        if flags[index].rows < .max { flags[index].rows += 1 }
        if flags[index].rows > 1 {
            extraRows[index, default: []].append(entry)
            return .extra
        }
        firstRow[index] = entry.location
        return .first
    }

    /// For items with several rows, makes the row earliest in the files the compared one: when a
    /// later-arriving row comes first in the files, it becomes the item's first row and the one it
    /// replaces joins the extras.
    /// - Returns: Each item whose first row changed, with the row now first and where the replaced one was.
    mutating func settleArrivals() -> [(index: Int, earliest: BillEntry, replaced: SourceLocation)] {
        var swaps: [(Int, BillEntry, SourceLocation)] = []
        for index in extraRows.keys.sorted() {
            extraRows[index]!.sort { $0.location < $1.location }
            guard let earliest = extraRows[index]!.first, let first = firstRow[index], earliest.location < first else { continue }
            firstRow[index] = earliest.location
            extraRows[index]![0] = BillEntry(placeholderAt: first, like: earliest)
            swaps.append((index, earliest, first))
        }
        return swaps
    }

    /// Every row location of an item with extra rows, sorted, for the duplicate finding.
    func duplicateLocations(of index: Int) -> [SourceLocation] {
        ([firstRow[index]!] + extraRows[index]!.map(\.location)).sorted()
    }

    /// The items the store says moved money in the day but no row named. Every item of the day
    /// no row named is asked, so a day with many unpaid orders asks it of each of them: it is read
    /// where the items lie (``LedgerItems/expectsBillRow(at:)``), not built.
    var missing: [Int] {
        flags.withUnsafeBufferPointer { flags in
            flags.indices.filter { flags[$0].isCore && !flags[$0].present && items.expectsBillRow(at: $0) }
        }
    }
}

/// The items of a ledger: a collection of orders or refunds that can answer for one item
/// without building it where it keeps its items in columns.
protocol LedgerItems: RandomAccessCollection, Sendable where Index == Int, Element: LedgerItem {
    /// ``LedgerItem/expectsBillRow`` of the item at `position`.
    func expectsBillRow(at position: Int) -> Bool
}

extension LedgerItems {
    func expectsBillRow(at position: Int) -> Bool { self[position].expectsBillRow }
}

extension Array: LedgerItems where Element: LedgerItem {}

extension ChunkedCollection: LedgerItems where Chunk == OrderTable {
    /// Read from the order's status column.
    func expectsBillRow(at position: Int) -> Bool {
        withChunk(holding: position) { Order.expectsBillRow(status: $0.status(at: $1)) }
    }

    /// Calls `body` with the UTF-8 bytes of the number of the order at `position`.
    func withKey<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withChunk(holding: position) { $0.withKey(at: $1, body) }
    }
}
