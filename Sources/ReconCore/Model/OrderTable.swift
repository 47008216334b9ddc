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

    /// The order numbers' UTF-8 bytes, end to end.
    private var keyBytes: [UInt8] = []
    /// Where each order number ends in `keyBytes`.
    private var keyEnds: [UInt32] = []
    private var amounts: [Int64] = []
    /// `merchant slot << 16 | currency slot << 8 | has rare fields << 3 | status index`.
    private var packed: [UInt32] = []
    private var createdSeconds: [Int64] = []
    private var createdOffsets: [Int32] = []
    /// `Int64.min` when the order is not paid.
    private var paidSeconds: [Int64] = []
    private var paidOffsets: [Int32] = []
    private var currencies: [Currency] = []
    private var merchants: [MerchantRef] = []
    private var rare: [Int: Rare] = [:]

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
    public var endIndex: Int { amounts.count }

    /// The order at `position`, built from its columns.
    public subscript(position: Int) -> Order {
        let extra = packed[position] & Self.rareBit != 0 ? rare[position] : nil
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
        let position = amounts.count
        keyBytes.append(contentsOf: key)
        precondition(keyBytes.count <= UInt32.max, "an order table holds at most 4 GiB of order numbers")
        keyEnds.append(UInt32(truncatingIfNeeded: keyBytes.count))
        amounts.append(amount.minorUnits)
        var word = Self.slot(of: merchant, in: &merchants, limit: 1 << 16) << Self.merchantShift
            | Self.slot(of: amount.currency, in: &currencies, limit: 1 << 8) << Self.currencyShift | UInt32(status.index)
        if combineOutTradeNo != nil || lastErrorCode != nil || providerTransactionID != nil || updatedAt != nil {
            word |= Self.rareBit
            rare[position] = Rare(
                combineOutTradeNo: combineOutTradeNo, lastErrorCode: lastErrorCode,
                providerTransactionID: providerTransactionID, updatedAt: updatedAt)
        }
        packed.append(word)
        createdSeconds.append(createdAt.epochSeconds)
        createdOffsets.append(createdAt.utcOffsetSeconds)
        paidSeconds.append(paidAt?.epochSeconds ?? Self.unpaid)
        paidOffsets.append(paidAt?.utcOffsetSeconds ?? 0)
    }

    /// Calls `body` with the UTF-8 bytes of the order number at `position`.
    @inline(__always)
    public func withKey<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = position == 0 ? 0 : Int(keyEnds[position - 1])
        let end = Int(keyEnds[position])
        return try keyBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Starts loading what matching a row reads of the order at `position`: its status,
    /// currency, merchant and amount.
    @inline(__always)
    public func prefetch(at position: Int) {
        packed.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
        amounts.withUnsafeBufferPointer { recon_prefetch($0.baseAddress! + position) }
    }

    /// Starts loading the order number at `position`.
    @inline(__always)
    public func prefetchKey(at position: Int) {
        keyBytes.withUnsafeBufferPointer { bytes in
            keyEnds.withUnsafeBufferPointer { ends in
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
        withKey(at: position) { stored in
            key.utf8.withContiguousStorageIfAvailable { stored.elementsEqual($0) } ?? stored.elementsEqual(key.utf8)
        }
    }

    /// The order's status.
    public func status(at position: Int) -> OrderStatus { OrderStatus.allCases[Int(packed[position] & Self.statusMask)] }

    /// The order's merchant.
    public func merchant(at position: Int) -> MerchantRef { merchants[merchantSlot(at: position)] }

    /// The merchants of the table's orders, each once: what ``merchantSlot(at:)`` indexes.
    public var merchantSlots: [MerchantRef] { merchants }

    /// The index in ``merchantSlots`` of the order's merchant.
    public func merchantSlot(at position: Int) -> Int { Int(packed[position] >> Self.merchantShift) }

    /// The index in `currencies` of the order's currency.
    private func currencySlot(at position: Int) -> Int { Int(packed[position] >> Self.currencyShift & 0xFF) }

    /// Whether the order at `position` is `merchant`'s and, when `amount` is given, of that
    /// amount: read in place, without copying the merchant's or the currency's strings.
    @inline(__always)
    func has(merchant: MerchantRef, amount: Money?, at position: Int) -> Bool {
        guard merchants.withUnsafeBufferPointer({ $0[merchantSlot(at: position)] == merchant }) else { return false }
        guard let amount else { return true }
        return amounts[position] == amount.minorUnits
            && currencies.withUnsafeBufferPointer { $0[currencySlot(at: position)] == amount.currency }
    }

    /// The order's amount.
    public func amount(at position: Int) -> Money {
        Money(minorUnits: amounts[position], currency: currencies[currencySlot(at: position)])
    }

    /// Whether the order is a sub-order of a combine payment.
    public func isCombineMember(at position: Int) -> Bool {
        packed[position] & Self.rareBit != 0 && rare[position]?.combineOutTradeNo != nil
    }

    /// ``Order/effectiveTime``'s instant, in seconds since the epoch.
    public func effectiveSeconds(at position: Int) -> Int64 {
        let paid = paidSeconds[position]
        return paid == Self.unpaid ? createdSeconds[position] : paid
    }

    private func createdAt(at position: Int) -> Timestamp {
        Timestamp(epochSeconds: createdSeconds[position], utcOffsetSeconds: createdOffsets[position])
    }

    private func paidAt(at position: Int) -> Timestamp? {
        let seconds = paidSeconds[position]
        return seconds == Self.unpaid ? nil : Timestamp(epochSeconds: seconds, utcOffsetSeconds: paidOffsets[position])
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
