import Foundation
import ProviderPlugins
import ReconBills
import ReconCore
import ReconTestSupport
import Synchronization
import Testing
import WeChatPayProvider

@Suite("Reading a bill on several cores")
struct ConcurrentReadTests {
    let directory = TemporaryDirectory()

    /// A bill of `rows` rows, with the given lines replaced.
    func bill(rows: Int, replacing edits: [Int: String] = [:], summary: ((String) -> String)? = nil) -> String {
        var writer = WeChatBillWriter(type: .all, merchantID: "1900000109")
        var lines = [writer.header]
        for index in 0..<rows {
            let refund = index % 9 == 4
            lines.append(writer.line(for: WeChatBillRow(
                kind: refund ? .refund : .payment,
                time: LocalDateTime("2026-11-20 00:00:01")!.adding(seconds: index * 7),
                outTradeNo: "O\(index)", transactionID: "4200000000\(index)",
                amount: FixedDecimal(units: Int64(index % 5000 + 1), scale: 2),
                fee: FixedDecimal(units: Int64(index % 13), scale: 5), outRefundNo: refund ? "O\(index)-R" : nil,
                goods: "tea, \(index)")))
        }
        for (line, text) in edits { lines[line - 1] = text + "\r\n" }
        let tail = writer.summary()
        return lines.joined() + (summary.map { $0(tail) } ?? tail)
    }

    func both(_ path: String, workers: Int, partBytes: Int = 8 << 20) async throws -> (BillFacts, [BillEntry], BillFacts, [BillEntry]) {
        var sequentialRows: [BillEntry] = []
        let sequential = try BillReader(formats: Providers.billFormats).read(path, expecting: BillExpectation(merchant: Sample.wechat)) {
            sequentialRows.append($0)
        }
        let collected = Mutex<[BillEntry]>([])
        let concurrent = try await BillReader(formats: Providers.billFormats).readConcurrently(
            path, expecting: BillExpectation(merchant: Sample.wechat), workers: workers, partBytes: partBytes, minimumBytes: 0
        ) { batch in collected.withLock { $0 += batch.entries } }
        let concurrentRows = collected.withLock { $0 }.sorted { $0.location < $1.location }
        return (sequential, sequentialRows, concurrent, concurrentRows)
    }

    @Test("the same facts and rows as one pass, for any number of parts", arguments: [2, 3, 5, 8])
    func sameAsSequential(workers: Int) async throws {
        let path = directory.write("bill.csv", bill(rows: 3000))
        let (sequential, sequentialRows, concurrent, concurrentRows) = try await both(path, workers: workers)
        #expect(concurrent == sequential)
        #expect(concurrent.isValid)
        #expect(concurrentRows == sequentialRows)
        #expect(concurrentRows.map(\.location.line) == Array(2...3001))
    }

    @Test("parts that outnumber the workers give the same facts, rows and line numbers as one pass", arguments: [2, 3])
    func morePartsThanWorkers(workers: Int) async throws {
        let path = directory.write("bill.csv", bill(rows: 3000))
        // Parts of about 20 KB: some thirty of them for the workers to share.
        let (sequential, sequentialRows, concurrent, concurrentRows) = try await both(path, workers: workers, partBytes: 20_000)
        #expect(concurrent == sequential)
        #expect(concurrentRows == sequentialRows)
        #expect(concurrentRows.map(\.location.line) == Array(2...3001))
        let text = bill(rows: 3000, replacing: [10: "`garbage", 1500: "`x", 2900: "`2026-11-20 01:00:00,`x"])
        let damaged = directory.write("damaged.csv", text)
        let (single, _, parts, _) = try await both(damaged, workers: workers, partBytes: 20_000)
        #expect(parts == single)
        #expect(parts.problems.map(\.line) == [10, 1500, 2900])
    }

    @Test("a part that fails fails the read with its error, which names the line")
    func failedPart() async throws {
        var text = Array(bill(rows: 3000).utf8)
        // A NUL byte on line 2000, which the tokenizer refuses wherever it reads it.
        let lineStarts = text.indices.filter { $0 == 0 || text[$0 - 1] == 0x0A }
        text[lineStarts[1999] + 5] = 0
        let path = directory.write("nul.csv", String(decoding: text, as: UTF8.self))
        do {
            _ = try await BillReader(formats: Providers.billFormats).readConcurrently(
                path, expecting: BillExpectation(merchant: Sample.wechat), workers: 2, partBytes: 20_000, minimumBytes: 0
            ) { _ in }
            Issue.record("a bill with a NUL byte was read")
        } catch BillError.malformed(_, let line, let detail) {
            #expect(line == 2000)
            #expect(detail.contains("NUL"))
        }
    }

    @Test("problems in different parts keep their line numbers, and the summary is still checked", arguments: [2, 4])
    func problemsAcrossParts(workers: Int) async throws {
        let text = bill(rows: 3000, replacing: [10: "`garbage", 2900: "`2026-11-20 01:00:00,`x"]) {
            $0.replacingOccurrences(of: "`3000,", with: "`3001,")
        }
        let path = directory.write("bill.csv", text)
        let (sequential, _, concurrent, _) = try await both(path, workers: workers)
        #expect(concurrent == sequential)
        #expect(concurrent.problems.map(\.line) == [10, 2900, 3003])
        #expect(concurrent.problems.last?.message.contains("总交易单数 says 3001 but the rows add up to 3000") == true)
    }

    @Test("a bill named for no merchant reads the same in parts: rows checked against its first row's merchant", arguments: [2, 3])
    func unnamedBill(workers: Int) async throws {
        // A service provider's bill of one sub-merchant, with one row of the same sub-merchant under
        // another service provider: the bill's merchant is the sub-merchant, and that row, whose
        // 商户号 is not the first row's, is reported.
        var writer = WeChatBillWriter(type: .all, merchantID: "1900000109")
        var other = WeChatBillWriter(type: .all, merchantID: "1900000110")
        var lines = [writer.header]
        for index in 0..<600 {
            let row = WeChatBillRow(
                kind: .payment, time: LocalDateTime("2026-11-20 00:00:01")!.adding(seconds: index * 7), outTradeNo: "O\(index)",
                transactionID: "4200000000\(index)", amount: FixedDecimal(units: Int64(index + 1), scale: 2),
                fee: .zero, goods: "tea", subMerchantID: "1900000201")
            lines.append(index == 500 ? other.line(for: row) : writer.line(for: row))
        }
        let path = directory.write("unnamed.csv", lines.joined() + writer.summary())
        let sequential = try BillReader(formats: Providers.billFormats).read(path) { _ in }
        let parts = try await BillReader(formats: Providers.billFormats).readConcurrently(path, workers: workers, minimumBytes: 0) { _ in }
        #expect(parts == sequential)
        #expect(
            parts.problems.filter { $0.area == .identity }.map(\.line) == [502],
            "\(parts.problems.map { "\($0.line ?? 0): \($0.message)" })")
        #expect(
            parts.problems.first { $0.line == 502 }?.message
                == "the row belongs to merchant 1900000201, not 1900000109, the merchant of the bill's first row")
        #expect(parts.merchant == MerchantRef(provider: .wechatPay, merchantID: "1900000201"))
    }

    @Test("a truncated bill is reported as such")
    func truncated() async throws {
        let text = bill(rows: 3000)
        let path = directory.write("bill.csv", String(text.prefix(text.count * 3 / 4)))
        let (sequential, _, concurrent, _) = try await both(path, workers: 3)
        #expect(concurrent == sequential)
        #expect(concurrent.problems.contains { $0.area == .truncated })
    }

    @Test("gzip files and gateway bills are read in one pass with the same result")
    func fallbacks() async throws {
        for fixture in ["bills/wechatpay/ALL-current.csv.gz", "bills/gateway/daily-2026-11-20.csv"] {
            let path = Repository.fixture(fixture)
            let sequential = try BillReader(formats: Providers.billFormats).read(path) { _ in }
            let concurrent = try await BillReader(formats: Providers.billFormats).readConcurrently(path, workers: 2, minimumBytes: 0) { _ in }
            #expect(concurrent == sequential)
        }
    }
}
