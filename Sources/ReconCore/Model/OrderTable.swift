import CPrefetch

/// Many orders kept compactly, one column per field: what a day's read of the store holds.
///
/// A day can have ten million orders, so each is kept in about fifty bytes rather than as an
/// ``Order`` value with its strings: the order numbers' bytes sit end to end in one buffer, amounts
/// and times in flat integer columns, and status, currency and merchant in one packed word (the
/// currency and merchant as slots of small tables). The fields most orders lack (a combine
/// parent, a last error code, a transaction id, an update time) are kept apart, for the orders
/// that have them.
///
/// The table is a collection of ``Order`` values, each built when read; the accessors for single
/// fields (``withKey(at:_:)``, ``keyEquals(at:_:)``) read the columns without building one.
public struct OrderTable: RandomAccessCollection, Sendable {
    /// The fields few orders have.
    private struct Rare: Sendable {
        var combineOutTradeNo: String?
        var lastErrorCode: String?
        var providerTransactionID: String?
        var updatedAt: Timestamp?
    }

    /// The columns, in one object: a copy of the table (made each time a row is matched against
    /// one of a day's tables) then retains one reference instead of every column.
    ///
    /// A table appends only to columns no other table shares, copying them first otherwise, so
    /// the columns never change while shared, between tables or between threads.
    private final class Columns: @unchecked Sendable {
        /// The order numbers' UTF-8 bytes, end to end.
        @exclusivity(unchecked) var keyBytes = ColumnBuffer<UInt8>()
        /// Where each order number ends in `keyBytes`.
        @exclusivity(unchecked) var keyEnds = ColumnBuffer<UInt32>()
        @exclusivity(unchecked) var amounts = ColumnBuffer<Int64>()
        /// `merchant slot << 16 | currency slot << 8 | has rare fields << 3 | status index`.
        @exclusivity(unchecked) var packed = ColumnBuffer<UInt32>()
        @exclusivity(unchecked) var createdSeconds = ColumnBuffer<Int64>()
        @exclusivity(unchecked) var createdOffsets = ColumnBuffer<Int32>()
        /// `Int64.min` when the order is not paid.
        @exclusivity(unchecked) var paidSeconds = ColumnBuffer<Int64>()
        @exclusivity(unchecked) var paidOffsets = ColumnBuffer<Int32>()
        @exclusivity(unchecked) var currencies: [Currency] = []
        @exclusivity(unchecked) var merchants: [MerchantRef] = []
        @exclusivity(unchecked) var rare: [Int: Rare] = [:]

        init() {}

        func copy() -> Columns {
            let copy = Columns()
            copy.keyBytes = keyBytes.copy()
            copy.keyEnds = keyEnds.copy()
            copy.amounts = amounts.copy()
            copy.packed = packed.copy()
            copy.createdSeconds = createdSeconds.copy()
            copy.createdOffsets = createdOffsets.copy()
            copy.paidSeconds = paidSeconds.copy()
            copy.paidOffsets = paidOffsets.copy()
            (copy.currencies, copy.merchants, copy.rare) = (currencies, merchants, rare)
            return copy
        }
    }

    private var columns = Columns()

    private static let rareBit: UInt32 = 1 << 3
    private static let statusMask: UInt32 = 0x7
    private static let currencyShift: UInt32 = 8
    private static let merchantShift: UInt32 = 16
    private static let unpaid = Int64.min

    /// An empty table.
    public init() {}

    /// A table of `orders`, in their order.
    public init(_ orders: some Sequence<Order>) {
        for order in orders { append(order) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.amounts.count }

    /// The order at `position`, built from its columns.
    public subscript(position: Int) -> Order {
        let extra = columns.packed[position] & Self.rareBit != 0 ? columns.rare[position] : nil
        return Order(
            outTradeNo: key(at: position), combineOutTradeNo: extra?.combineOutTradeNo, merchant: merchant(at: position),
            amount: amount(at: position), status: status(at: position), lastErrorCode: extra?.lastErrorCode,
            providerTransactionID: extra?.providerTransactionID, createdAt: createdAt(at: position),
            paidAt: paidAt(at: position), updatedAt: extra?.updatedAt)
    }

    /// Adds `order` at the end.
    public mutating func append(_ order: Order) {
        var key = order.outTradeNo
        key.withUTF8 { key in
            append(
                key: key, merchant: order.merchant, amount: order.amount, status: order.status, createdAt: order.createdAt,
                paidAt: order.paidAt, combineOutTradeNo: order.combineOutTradeNo, lastErrorCode: order.lastErrorCode,
                providerTransactionID: order.providerTransactionID, updatedAt: order.updatedAt)
        }
    }

    /// Adds an order at the end, its number given as UTF-8 bytes.
    public mutating func append(
        key: UnsafeBufferPointer<UInt8>, merchant: MerchantRef, amount: Money, status: OrderStatus, createdAt: Timestamp,
        paidAt: Timestamp?, combineOutTradeNo: String? = nil, lastErrorCode: String? = nil,
        providerTransactionID: String? = nil, updatedAt: Timestamp? = nil
    ) {
        if !isKnownUniquelyReferenced(&columns) { columns = columns.copy() }
        let columns = self.columns
        let position = columns.amounts.count
        columns.keyBytes.append(contentsOf: key)
        precondition(columns.keyBytes.count <= UInt32.max, "an order table holds at most 4 GiB of order numbers")
        columns.keyEnds.append(UInt32(truncatingIfNeeded: columns.keyBytes.count))
        columns.amounts.append(amount.minorUnits)
        var word = Self.slot(of: merchant, in: &columns.merchants, limit: 1 << 16) << Self.merchantShift
            | Self.slot(of: amount.currency, in: &columns.currencies, limit: 1 << 8) << Self.currencyShift | UInt32(status.index)
        if combineOutTradeNo != nil || lastErrorCode != nil || providerTransactionID != nil || updatedAt != nil {
            word |= Self.rareBit
            columns.rare[position] = Rare(
                combineOutTradeNo: combineOutTradeNo, lastErrorCode: lastErrorCode,
                providerTransactionID: providerTransactionID, updatedAt: updatedAt)
        }
        columns.packed.append(word)
        columns.createdSeconds.append(createdAt.epochSeconds)
        columns.createdOffsets.append(createdAt.utcOffsetSeconds)
        columns.paidSeconds.append(paidAt?.epochSeconds ?? Self.unpaid)
        columns.paidOffsets.append(paidAt?.utcOffsetSeconds ?? 0)
    }

    /// Calls `body` with the UTF-8 bytes of the order number at `position`.
    @inline(__always)
    public func withKey<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = position == 0 ? 0 : Int(columns.keyEnds[position - 1])
        let end = Int(columns.keyEnds[position])
        return try columns.keyBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Starts loading what matching a row reads of the order at `position`: its status,
    /// currency, merchant and amount.
    @inline(__always)
    public func prefetch(at position: Int) {
        columns.packed.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
        columns.amounts.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
    }

    /// Starts loading where the order number at `position` ends, which ``prefetchKey(at:)`` reads.
    @inline(__always)
    public func prefetchKeyEnd(at position: Int) {
        columns.keyEnds.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
    }

    /// Starts loading the order number at `position`.
    @inline(__always)
    public func prefetchKey(at position: Int) {
        columns.keyBytes.withUnsafeBufferPointer { bytes in
            columns.keyEnds.withUnsafeBufferPointer { ends in
                if let base = bytes.baseAddress { recon_prefetch(base + Swift.max(0, Int(ends[position]) - 1)) }
            }
        }
    }

    /// The order number at `position`.
    public func key(at position: Int) -> String {
        withKey(at: position) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the order number at `position` is `key`, compared byte for byte.
    @inline(__always)
    public func keyEquals(at position: Int, _ key: String) -> Bool {
        withKey(at: position) { key.hasUTF8($0) }
    }

    /// Whether the order number at `position` is the UTF-8 bytes `key`.
    @inline(__always)
    public func keyEquals(at position: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        withKey(at: position) { $0.equals(key) }
    }

    /// The order's status.
    public func status(at position: Int) -> OrderStatus { OrderStatus.allCases[Int(columns.packed[position] & Self.statusMask)] }

    /// The order's merchant.
    public func merchant(at position: Int) -> MerchantRef { columns.merchants[merchantSlot(at: position)] }

    /// The merchants of the table's orders, each once: what ``merchantSlot(at:)`` indexes.
    public var merchantSlots: [MerchantRef] { columns.merchants }

    /// The index in ``merchantSlots`` of the order's merchant.
    public func merchantSlot(at position: Int) -> Int { Int(columns.packed[position] >> Self.merchantShift) }

    /// The index in the currencies column of the order's currency.
    private func currencySlot(at position: Int) -> Int { Int(columns.packed[position] >> Self.currencyShift & 0xFF) }

    /// Whether the order at `position` is `merchant`'s and, when `amount` is given, of that
    /// amount: read in place, without copying the merchant's or the currency's strings.
    @inline(__always)
    func has(merchant: MerchantRef, amount: Money?, at position: Int) -> Bool {
        guard columns.merchants.withUnsafeBufferPointer({ $0[merchantSlot(at: position)] == merchant }) else { return false }
        guard let amount else { return true }
        return columns.amounts[position] == amount.minorUnits
            && columns.currencies.withUnsafeBufferPointer { $0[currencySlot(at: position)] == amount.currency }
    }

    /// The order's amount.
    public func amount(at position: Int) -> Money {
        Money(minorUnits: columns.amounts[position], currency: columns.currencies[currencySlot(at: position)])
    }

    /// Whether the order is a sub-order of a combine payment.
    public func isCombineMember(at position: Int) -> Bool {
        columns.packed[position] & Self.rareBit != 0 && columns.rare[position]?.combineOutTradeNo != nil
    }

    /// ``Order/effectiveTime``'s instant, in seconds since the epoch.
    public func effectiveSeconds(at position: Int) -> Int64 {
        let paid = columns.paidSeconds[position]
        return paid == Self.unpaid ? columns.createdSeconds[position] : paid
    }

    private func createdAt(at position: Int) -> Timestamp {
        Timestamp(epochSeconds: columns.createdSeconds[position], utcOffsetSeconds: columns.createdOffsets[position])
    }

    private func paidAt(at position: Int) -> Timestamp? {
        let seconds = columns.paidSeconds[position]
        return seconds == Self.unpaid ? nil : Timestamp(epochSeconds: seconds, utcOffsetSeconds: columns.paidOffsets[position])
    }

    /// The slot of `value` in `table`, added when new; the last slot is tried first, since a
    /// read's rows mostly share one merchant and one currency.
    private static func slot<Value: Equatable>(of value: Value, in table: inout [Value], limit: Int) -> UInt32 {
        if let last = table.last, last == value { return UInt32(table.count - 1) }
        if let found = table.firstIndex(of: value) { return UInt32(found) }
        precondition(table.count < limit, "an order table holds at most \(limit) different values of a field")
        table.append(value)
        return UInt32(table.count - 1)
    }
}
