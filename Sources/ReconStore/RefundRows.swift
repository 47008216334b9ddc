import Foundation
import ReconCore

/// A window's refunds, read without their orders, until each is given to its order's merchant
/// (``locate(in:)``, then ``sorted(for:lookup:)``).
///
/// A refund names neither its merchant nor its currency: its order does. Read with their orders,
/// a day's refunds would look up an order each, and being spread over the day those lookups visit
/// most pages of the orders table. So the refunds are read on their own, beside the day's orders,
/// and each then takes the merchant and currency of its order: of the order the day read, when
/// the day read it, else of the order looked up by its number.
///
/// Each row is decoded as it is read. A row that cannot be decoded keeps its error, thrown only if
/// the refund is of a merchant asked for, as a refund of another merchant is passed over. The
/// bytes each row adds to its merchant's digest are kept with a gap for the order's currency, so
/// each merchant's digest is that of its refunds read with their orders.
///
/// The rows are a reference, so that sorting them gives each refund its owner in place rather than
/// in a copy of them all. They pass from the task that reads them to the one that sorts them, and
/// are never used by two tasks at once, so their state needs no runtime exclusivity checks on
/// each row read.
public final class RefundRows: @unchecked Sendable {
    /// The merchant of a refund not yet given to its order's.
    static let unknownMerchant = MerchantRef(provider: ProviderID(rawValue: ""), merchantID: "")
    /// The currency of a refund not yet given its order's.
    static let unknownCurrency = Currency(code: "", minorUnitDigits: 0)

    /// The refunds in the order read, each of ``unknownMerchant`` and ``unknownCurrency``; a row that
    /// could not be decoded holds a refund with its numbers only.
    @exclusivity(unchecked) private var refunds: [Refund] = []
    /// The error of each row that could not be decoded, by position.
    @exclusivity(unchecked) private var failures: [Int: StoreError] = [:]
    /// The order number's bytes of each refund whose number is not ASCII, by position.
    @exclusivity(unchecked) private var otherKeys: [Int: [UInt8]] = [:]
    /// The positions of refunds whose order number is NULL: they have no order.
    @exclusivity(unchecked) private var withoutKey: Set<Int> = []
    @exclusivity(unchecked) private var recorded = RecordedRows()
    private let path: String
    /// The chunks of orders the refunds' orders were looked for in (``locate(in:)``).
    @exclusivity(unchecked) private var searched: [OrderChunk] = []
    /// The search of those chunks for the refunds' orders, started by the first.
    @exclusivity(unchecked) private var search: OrderSearch?

    /// Reads rows selected with the refund column list, with column 3 (the order's currency) NULL.
    struct Reader {
        private let rows: RefundRows
        private var decoder: RowDecoder
        private let recorder = RowRecorder()

        /// - Parameter expectedRows: About how many rows will be read, to size what keeps them.
        init(path: String, naiveTimeZone: ZoneRules?, providers: ProviderDirectory, expectedRows: Int = 0) {
            rows = RefundRows(path: path)
            rows.refunds.reserveCapacity(expectedRows)
            recorder.reserve(rows: expectedRows)
            decoder = RowDecoder(path: path, recorder: recorder, naiveTimeZone: naiveTimeZone, providers: providers)
        }

        /// Reads one row; an error other than the row's values (``StoreError``) stops the read.
        mutating func add(_ row: some StoreRow) throws {
            let position = rows.refunds.count
            if let key = row.bytes(1) {
                if !key.isASCII { rows.otherKeys[position] = Array(key) }
            } else {
                rows.withoutKey.insert(position)
            }
            do {
                rows.refunds.append(try decoder.refundWithoutOrder(row))
            } catch let error as StoreError {
                recorder.abandonRow()
                rows.failures[position] = error
                rows.refunds.append(
                    Refund(
                        outRefundNo: row.text(0) ?? "", outTradeNo: row.text(1) ?? "", merchant: RefundRows.unknownMerchant,
                        amount: Money(minorUnits: 0, currency: RefundRows.unknownCurrency), status: .pending,
                        createdAt: Timestamp(epochSeconds: 0)))
            }
        }

        /// The rows read.
        func finish() -> RefundRows {
            rows.recorded = recorder.recorded
            return rows
        }
    }

    private init(path: String) {
        self.path = path
    }

    /// Looks for the orders of the refunds not located yet among `chunk`'s, the orders of a part of
    /// the day's read, so that ``sorted(for:lookup:)`` need not look them up in the store. The
    /// chunks may come in any order: a key that two of them hold is a key the store repeats,
    /// which the day's read refuses, or the same order read twice.
    public func locate(in chunk: OrderChunk) {
        if search == nil {
            let (otherKeys, withoutKey) = (otherKeys, withoutKey)
            // An order number that is not ASCII is looked up in the store by its bytes: one that
            // is not UTF-8 reads as other text, and its row, refused, still needs its order to say
            // whose refusal it is. A NULL number has no order.
            search = OrderSearch(keys: refunds.map(\.outTradeNo)) { otherKeys[$0] == nil && !withoutKey.contains($0) }
        }
        search!.search(chunk, number: searched.count)
        searched.append(chunk)
    }

    /// Gives each refund to its order's merchant, and adds its row to that merchant's digest, in
    /// the order read. A refund whose order was not found by ``locate(in:)`` has it looked up. The
    /// rows are used up: sorted again, they are none.
    /// - Parameters:
    ///   - digests: The merchants asked for, each with its digest; a refund of another is passed over.
    ///   - lookup: The owners of the orders numbered by the bytes given, in their order (`nil` for a
    ///     number without an order), looked up in the store (``OrderSource/orderOwners(_:)``).
    /// - Throws: ``StoreError/orphanRefund(path:outRefundNo:outTradeNo:)`` for a refund whose
    ///   order is in neither, and the error of a row of a merchant asked for that could not be decoded.
    public func sorted(
        for digests: [MerchantRef: StoreDigest], lookup: ([[UInt8]]) throws -> [OrderOwner?]
    ) throws -> [MerchantRef: [Refund]] {
        let search = search
        let unknown = refunds.indices.filter {
            search?.order(of: $0) == nil && (withoutKey.isEmpty || !withoutKey.contains($0))
        }
        let keys = unknown.map { otherKeys[$0] ?? Array(refunds[$0].outTradeNo.utf8) }
        // Each number once, in the order of its bytes, as the store's index of order numbers holds
        // them: one walk along it rather than a jump to a page read anew for every number.
        let byKey = keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
        var distinct: [[UInt8]] = []
        var slot = [Int](repeating: 0, count: keys.count)
        for index in byKey {
            if distinct.last != keys[index] { distinct.append(keys[index]) }
            slot[index] = distinct.count - 1
        }
        let found = distinct.isEmpty ? [] : try lookup(distinct)
        precondition(found.count == distinct.count, "a lookup answers every number it is given")
        var lookedUp = [Int: OrderOwner](minimumCapacity: unknown.count)
        for (index, position) in unknown.enumerated() { lookedUp[position] = found[slot[index]] }

        // Each refund's owner, as an index in `owners`; -1 for a refund passed over.
        let (owners, ownerOf) = try findOwners(lookedUp: lookedUp, digests: digests)
        // The rows go into their digests on a thread of their own while the refunds take their owners.
        let recorded = recorded
        try concurrently {
            for position in ownerOf.indices where ownerOf[position] >= 0 {
                let owner = owners[Int(ownerOf[position])]
                // A currency is read from its own code: the row's digest is as if read with its order.
                var code = owner.currency.code
                code.withUTF8 { owner.digest.add(recorded, row: position, filling: $0) }
            }
        } with: {
            // The kept refunds move to the front, in the order read, and the others go.
            var kept = 0
            for position in ownerOf.indices where ownerOf[position] >= 0 {
                let owner = owners[Int(ownerOf[position])]
                refunds.swapAt(kept, position)
                refunds[kept].merchant = owner.merchant
                refunds[kept].amount = Money(minorUnits: refunds[kept].amount.minorUnits, currency: owner.currency)
                kept += 1
            }
            refunds.removeSubrange(kept...)
        }
        var sorted: [Refund] = []
        swap(&sorted, &refunds)
        (self.recorded, searched, self.search) = (RecordedRows(), [], nil)
        guard digests.count > 1 else { return digests.keys.first.map { [$0: sorted] } ?? [:] }
        var byMerchant = digests.mapValues { _ in [Refund]() }
        for refund in sorted { byMerchant[refund.merchant]!.append(refund) }
        return byMerchant
    }

    /// Whether `left` sorts before `right` byte by byte, as SQLite's BINARY collation compares text.
    private static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBytes { left in
            right.withUnsafeBytes { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    /// The merchant of refunds, their currency, and the merchant's digest.
    private struct Owner {
        var merchant: MerchantRef
        var currency: Currency
        var digest: StoreDigest
    }

    /// The owner of each refund of a merchant asked for, in the order read, as an index in the
    /// owners found; -1 for a refund passed over.
    private func findOwners(
        lookedUp: [Int: OrderOwner], digests: [MerchantRef: StoreDigest]
    ) throws -> (owners: [Owner], ownerOf: [Int32]) {
        var owners: [Owner] = []
        var ownerOf = [Int32](repeating: -1, count: refunds.count)
        var currencies = CurrencyCodes()
        for position in refunds.indices {
            let merchant: MerchantRef
            let currency: Currency
            if let (chunk, order) = search?.order(of: position) {
                let orders = searched[chunk].orders
                (merchant, currency) = (orders.merchant(at: order), orders.amount(at: order).currency)
                guard owners.last?.merchant == merchant || digests[merchant] != nil else { continue }
            } else if let owner = lookedUp[position] {
                guard digests[owner.merchant] != nil else { continue }
                merchant = owner.merchant
                guard let known = currencies.currency(owner.currency) else {
                    throw StoreError.badValue(
                        path: path, table: "orders", key: refunds[position].outTradeNo, column: "currency",
                        value: owner.currency ?? "NULL", expected: CurrencyCodes.expectation)
                }
                currency = known
            } else {
                throw StoreError.orphanRefund(
                    path: path, outRefundNo: refunds[position].outRefundNo, outTradeNo: refunds[position].outTradeNo)
            }
            if !failures.isEmpty, let failure = failures[position] { throw failure }
            if let last = owners.indices.last, owners[last].merchant == merchant, owners[last].currency == currency {
                ownerOf[position] = Int32(last)
            } else if let known = owners.firstIndex(where: { $0.merchant == merchant && $0.currency == currency }) {
                ownerOf[position] = Int32(known)
            } else {
                owners.append(Owner(merchant: merchant, currency: currency, digest: digests[merchant]!))
                ownerOf[position] = Int32(owners.count - 1)
            }
        }
        return (owners, ownerOf)
    }
}

/// The merchant and currency of the order a refund refunds.
public struct OrderOwner: Hashable, Sendable {
    /// The order's merchant.
    public var merchant: MerchantRef
    /// The order's `currency` as the store holds it; `nil` for NULL.
    public var currency: String?

    public init(merchant: MerchantRef, currency: String?) {
        self.merchant = merchant
        self.currency = currency
    }
}
