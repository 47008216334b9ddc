import Foundation
@testable import ReconJob
import ReconBills
import ReconCore
import ReconReports
import ReconStore
import ReconTestSupport
import Synchronization
import Testing
import WeChatPayProvider

/// The store connections a day's read uses, and the lookups they share once it has ended.
@Suite("The store readers")
struct StoreReadersTests {
    let directory = TemporaryDirectory()

    /// Every value of `column` in `table` of the store at `path`, in order.
    func keys(_ column: String, of table: String, in path: String) throws -> [String] {
        let statement = try SQLiteDatabase(path: path, mode: .readOnly)
            .prepare("SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL ORDER BY 1")
        var keys: [String] = []
        while try statement.step() { keys.append(statement.text(0)!) }
        return keys
    }

    @Test("a lookup split over two connections finds what one connection finds, for any number of keys")
    func splitLookup() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        let store = try OrderStore(path: path)
        let readers = try StoreReaders(like: store)
        let orders = try keys("out_trade_no", of: "orders", in: path) + ["NO-SUCH-ORDER"]
        let refunds = try keys("out_refund_no", of: "refunds", in: path) + ["NO-SUCH-REFUND"]
        let combines = try keys("combine_out_trade_no", of: "orders", in: path) + ["NO-SUCH-COMBINE"]
        #expect(orders.count > 4 && refunds.count > 2)
        for orderCount in [0, 1, 2, 3, orders.count] {
            for refundCount in [0, 1, 3, refunds.count] {
                let request = LookupRequest(
                    outTradeNos: Array(orders.prefix(orderCount)), outRefundNos: Array(refunds.prefix(refundCount)),
                    combineOutTradeNos: combines)
                let (split, whole) = (try readers.lookup(request), try store.lookup(request))
                let name = "\(orderCount) orders, \(refundCount) refunds"
                #expect(split.orders == whole.orders, "\(name)")
                #expect(split.refunds == whole.refunds, "\(name)")
                #expect(split.combineMembers.mapValues(Set.init) == whole.combineMembers.mapValues(Set.init), "\(name)")
                #expect(split.orders.count == min(orderCount, orders.count - 1), "\(name)")
            }
        }
    }

    @Test("the owners of orders looked up over two connections are those one connection finds, for any number of keys")
    func splitOrderOwners() throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        let store = try OrderStore(path: path)
        let readers = try StoreReaders(like: store)
        let keys = try keys("out_trade_no", of: "orders", in: path).map { Array($0.utf8) } + [Array("NO-SUCH-ORDER".utf8)]
        #expect(keys.count > 4)
        for count in [0, 1, 2, 3, keys.count] {
            let asked = Array(keys.prefix(count))
            let (split, whole) = (try readers.orderOwners(asked), try store.orderOwners(asked))
            #expect(split == whole, "\(count) keys")
            #expect(split.count == count, "\(count) keys")
            #expect(split.compactMap { $0 }.count == min(count, keys.count - 1), "\(count) keys")
        }
    }

    @Test("a day's store read reports its reads running: the refunds' and a merchant's two halves, down to none")
    func readsRunning() async throws {
        let path = try DemoStore.make(at: directory.file("store.sqlite"))
        let readers = try StoreReaders(like: try OrderStore(path: path))
        let day = CivilDate("2026-11-20")!
        let merchants = [
            MerchantRef(provider: .wechatPay, merchantID: "1900000109"), MerchantRef(provider: .wechatPay, merchantID: "1900000110"),
        ]
        var coverage = BillCoverage()
        for merchant in merchants { coverage.insert(merchant, day: day, kinds: [.payment, .refund]) }
        let config = ReconConfig(storePath: path, billPaths: [], reportsFolder: "", merchants: merchants)
        let plan = DayPlan(
            day: day, inventory: try BillInventory(paths: [Repository.fixture("demo/bills")], days: [day], merchants: [], reader: BillReader(formats: [])),
            coverage: coverage, config: config)
        final class Reports: Sendable {
            let counts = Mutex<[Int]>([])
        }
        let reports = Reports()
        let read = try await DayStoreRead.read(plan, on: readers, config: config) { count in
            reports.counts.withLock { $0.append(count) }
        }
        #expect(read.input.ordersRead > 0)
        let counts = reports.counts.withLock { $0 }
        // Each merchant's halves start together (two more) and each read ends on its own (one fewer).
        #expect(counts.count == 1 + 3 * merchants.count, "\(counts)")
        #expect(counts.first == 3, "\(counts)")
        #expect(counts.last == 0, "\(counts)")
        #expect(counts.allSatisfy { (0...3).contains($0) }, "\(counts)")
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $1 - $0 == 2 || $1 - $0 == -1 }, "\(counts)")
    }
}
