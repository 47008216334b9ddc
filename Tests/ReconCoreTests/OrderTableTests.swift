import ReconTestSupport
import Testing

@testable import ReconCore

@Suite("Order table")
struct OrderTableTests {
    /// Orders with every field set and unset, several merchants and currencies, empty and
    /// non-ASCII numbers, times in two offsets.
    static let orders: [Order] = [
        Sample.order("A-1"),
        Sample.order("", "0.00", .pending),
        Sample.order("订单-20261120-1", "12.34", .refunded, at: "2026-11-20T23:59:59Z", merchant: Sample.wechat2),
        Sample.order("C-1", "99.00", .paid, merchant: Sample.gateway, currency: .usd, combine: "PARENT-1"),
        Sample.order("E-1", "1.00", .failed, lastErrorCode: "SYSTEM_ERROR"),
        Order(
            outTradeNo: "4200001234202611201234567890123", merchant: Sample.wechat, amount: Sample.money("5", .jpy),
            status: .partiallyRefunded, lastErrorCode: nil, providerTransactionID: "4200000000202611200000000001",
            createdAt: Sample.time("2026-11-19T10:00:00-05:00"), paidAt: Sample.time("2026-11-20T00:00:01+08:00"),
            updatedAt: Sample.time("2026-11-21T00:00:00+08:00")),
        Sample.order("CLOSED-1", "3.00", .closed, at: "2026-11-20 01:00:00"),
    ]

    @Test("gives back every order as it was added, field for field and offset for offset")
    func roundTrip() {
        let table = OrderTable(Self.orders)
        #expect(table.count == Self.orders.count)
        for (position, order) in Self.orders.enumerated() {
            let stored = table[position]
            #expect(stored == order, "\(order.outTradeNo)")
            #expect(stored.createdAt.utcOffsetSeconds == order.createdAt.utcOffsetSeconds)
            #expect(stored.paidAt?.utcOffsetSeconds == order.paidAt?.utcOffsetSeconds)
            #expect(table.key(at: position) == order.outTradeNo)
            #expect(table.keyEquals(at: position, order.outTradeNo))
            #expect(!table.keyEquals(at: position, order.outTradeNo + "0"))
            #expect(table.merchant(at: position) == order.merchant)
            #expect(table.amount(at: position) == order.amount)
            #expect(table.status(at: position) == order.status)
            #expect(table.isCombineMember(at: position) == (order.combineOutTradeNo != nil))
            #expect(table.effectiveSeconds(at: position) == order.effectiveTime.epochSeconds)
        }
    }

    @Test("is a value: appending to a copy leaves the original as it was, whichever is appended to")
    func valueSemantics() {
        let original = OrderTable(Self.orders.prefix(3))
        var copy = original
        copy.append(Self.orders[3])
        #expect(original.count == 3)
        #expect(Array(original) == Array(Self.orders.prefix(3)))
        #expect(Array(copy) == Array(Self.orders.prefix(4)))
        // A rare field and a new merchant slot in the copy stay out of the original.
        #expect(!original.isCombineMember(at: 2) && copy.isCombineMember(at: 3))
        #expect(original.merchantSlots.count == 2 && copy.merchantSlots.count == 3)

        var reused = original
        var kept = reused
        reused.append(Self.orders[4])
        kept.append(Self.orders[5])
        #expect(Array(reused) == Array(Self.orders.prefix(3)) + [Self.orders[4]])
        #expect(Array(kept) == Array(Self.orders.prefix(3)) + [Self.orders[5]])
        #expect(Array(original) == Array(Self.orders.prefix(3)))
    }

    @Test("keeps every order as its columns grow, on the heap and then in mappings of their own, and a copy is its own")
    func growth() {
        let orders = (0..<5_000).map { index in
            var order = Self.orders[index % Self.orders.count]
            order.outTradeNo = "N-\(index)-" + String(repeating: "x", count: index % 40)
            return order
        }
        var table = OrderTable()
        var copies: [(count: Int, table: OrderTable)] = []
        for (position, order) in orders.enumerated() {
            table.append(order)
            if position.nonzeroBitCount == 1 { copies.append((position + 1, table)) }
        }
        #expect(Array(table) == orders)
        for copy in copies { #expect(Array(copy.table) == Array(orders.prefix(copy.count))) }
        // From the heap into a mapping of its own, which then grows twice.
        var column = ColumnBuffer<Int64>()
        let values = (0..<600_000).map { Int64($0) * 7 - 3 }
        values.prefix(100_000).forEach { column.append($0) }
        values[100_000...].withUnsafeBufferPointer { column.append(contentsOf: $0) }
        column.append(contentsOf: UnsafeBufferPointer(start: nil, count: 0))
        #expect(values.count * 8 > 4 * ColumnBuffer<Int64>.mappedBytes)
        let copy = column.copy()
        column.append(1)
        #expect(column.count == values.count + 1 && copy.count == values.count)
        #expect(copy.withUnsafeBufferPointer(Array.init) == values)
        #expect(column.withUnsafeBufferPointer { Array($0.prefix(values.count)) } == values)
        #expect(column[values.count] == 1 && column[599_999] == values[599_999])
    }

    @Test("agrees with a row exactly when the order built from it does")
    func agreement() {
        let table = OrderTable(Self.orders)
        for (position, order) in Self.orders.enumerated() {
            for status in BillEntry.Status.allCases {
                for (merchant, amount) in [
                    (order.merchant, order.amount), (Sample.wechat2, order.amount),
                    (order.merchant, Money(minorUnits: order.amount.minorUnits + 1, currency: order.amount.currency)),
                    (order.merchant, Money(minorUnits: order.amount.minorUnits, currency: .hkd)),
                ] {
                    let row = BillEntry(
                        kind: .payment, status: status, merchant: merchant, outTradeNo: order.outTradeNo, amount: amount,
                        time: order.effectiveTime, location: SourceLocation(file: Sample.billFile, line: 2))
                    let moves = status.movesMoney(for: .payment)
                    #expect(
                        table.agrees(at: position, with: row, moves: moves) == order.agrees(with: row, moves: moves),
                        "\(order.outTradeNo) \(status) \(merchant) \(amount)")
                }
            }
        }
    }

    @Test("a day's tables answer for an order without building it: its number's bytes and whether the bill must list it")
    func answersInPlace() {
        // The orders in three tables, one of them empty, so positions cross from table to table.
        let tables = [OrderTable(Self.orders[..<3]), OrderTable(), OrderTable(Self.orders[3...])]
        let items = ChunkedCollection(tables)
        #expect(items.count == Self.orders.count)
        for (position, order) in Self.orders.enumerated() {
            #expect(items.expectsBillRow(at: position) == order.expectsBillRow, "\(order.outTradeNo) \(order.status)")
            #expect(items.withKey(at: position) { Array($0) } == Array(order.outTradeNo.utf8), "\(order.outTradeNo)")
        }
        #expect(Self.orders.contains { $0.expectsBillRow } && Self.orders.contains { !$0.expectsBillRow })
    }

    @Test("two reads' chunks name exactly the keys both hold, whichever is the smaller")
    func sharedKeys() {
        func chunk(_ keys: [String]) -> OrderChunk {
            OrderChunk(keys.map { Sample.order($0) }, day: Sample.day, zones: ProviderZones(), policy: MatchPolicy())
        }
        let first = chunk(["A-1", "订单-2", "4200001234202611201234567890123", "A-4", "A-5"])
        let second = chunk(["B-1", "A-4", "4200001234202611201234567890123", "A-44", "A-"])
        #expect(Set(first.keys(sharedWith: second)) == ["A-4", "4200001234202611201234567890123"])
        #expect(Set(second.keys(sharedWith: first)) == ["A-4", "4200001234202611201234567890123"])
        #expect(first.keys(sharedWith: chunk(["B-1"])).isEmpty)
        #expect(chunk([]).keys(sharedWith: first).isEmpty)
    }

    @Test("a day's chunks of many merchants name every key two of them hold, within a merchant's halves and across merchants")
    func sharedKeysAcrossMerchants() {
        func chunk(_ keys: [String], _ merchant: MerchantRef) -> OrderChunk {
            OrderChunk(keys.map { Sample.order($0, merchant: merchant) }, day: Sample.day, zones: ProviderZones(), policy: MatchPolicy())
        }
        let chunks = [
            chunk(["W-1", "W-2", "MOVED"], Sample.wechat), chunk(["W-3", "MOVED"], Sample.wechat),
            chunk(["X-1", "TWICE"], Sample.wechat2), chunk(["X-2"], Sample.wechat2),
            chunk(["G-1", "TWICE", "W-3"], Sample.gateway), chunk([], Sample.gateway),
        ]
        #expect(OrderChunk.sharedKeys(chunks).sorted() == ["MOVED", "TWICE", "W-3"])
        #expect(OrderChunk.sharedKeys(Array(chunks[2...3])).isEmpty)
        #expect(chunks[0].merchants == [Sample.wechat] && chunks[5].merchants.isEmpty)
    }

    @Test("a search finds each number's order in the first chunk given that holds it, by the numbers or by the orders")
    func orderSearch() {
        func chunk(_ keys: [String], _ merchant: MerchantRef) -> OrderChunk {
            OrderChunk(keys.map { Sample.order($0, merchant: merchant) }, day: Sample.day, zones: ProviderZones(), policy: MatchPolicy())
        }
        let many = (0..<40).map { "K-\($0)" }
        let large = chunk(many + ["订单-1", "BOTH"], Sample.wechat)
        let small = chunk(["BOTH", "G-1"], Sample.gateway)
        // Numbers twice (two refunds of one order), one never searched, one in no chunk.
        let keys = ["G-1", "NONE", "BOTH", "订单-1", "SKIPPED", "G-1"] + many.reversed() + ["K-7"]
        func found(_ search: OrderSearch, _ chunks: [OrderChunk]) -> [String] {
            keys.indices.map { item in
                guard let (number, position) = search.order(of: item) else { return "\(keys[item]) -" }
                return "\(keys[item]) \(chunks[number].orders.merchant(at: position).provider.rawValue) \(chunks[number].orders.key(at: position))"
            }
        }
        let expected = ["G-1 gateway G-1", "NONE -", "BOTH wechatpay BOTH", "订单-1 wechatpay 订单-1", "SKIPPED -", "G-1 gateway G-1"]
            + many.reversed().map { "\($0) wechatpay \($0)" } + ["K-7 wechatpay K-7"]
        // The large chunk first (its index answers), then the small one (searched through the numbers' index).
        var search = OrderSearch(keys: keys) { keys[$0] != "SKIPPED" }
        search.search(large, number: 0)
        search.search(small, number: 1)
        #expect(found(search, [large, small]) == expected)
        // The small chunk first: 48 numbers against 2 orders, so its orders are looked up among the numbers.
        search = OrderSearch(keys: keys) { keys[$0] != "SKIPPED" }
        search.search(small, number: 0)
        search.search(large, number: 1)
        #expect(found(search, [small, large]) == expected.map { $0 == "BOTH wechatpay BOTH" ? "BOTH gateway BOTH" : $0 })
    }
}
