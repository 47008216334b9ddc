import Foundation
import ProviderPlugins
import ReconBills
import ReconCore
import ReconTestSupport
import Testing
import WeChatPayProvider

/// A bill fixture and what reading it must give.
struct BillExpectationCase: Sendable, CustomTestStringConvertible {
    var file: String
    var format: String
    var payments: Int
    var refunds: Int
    var paid: Int64
    var refunded: Int64
    var fees: String
    var checks: Int

    var testDescription: String { file }
}

func read(
    _ path: String, expecting expectation: BillExpectation = BillExpectation(), zones: ProviderZones = ProviderZones()
) throws -> (facts: BillFacts, entries: [BillEntry]) {
    var entries: [BillEntry] = []
    let facts = try BillReader(formats: Providers.billFormats, zones: zones).read(path, expecting: expectation) { entries.append($0) }
    return (facts, entries)
}

@Suite("WeChat Pay trade bills")
struct WeChatBillTests {
    static let fixtures: [BillExpectationCase] = [
        .init(file: "ALL-current.csv", format: "wechatpay ALL (current columns)", payments: 4, refunds: 2,
              paid: 35_731, refunded: 4_550, fees: "1.87080", checks: 7),
        .init(file: "ALL-current.csv.gz", format: "wechatpay ALL (current columns)", payments: 4, refunds: 2,
              paid: 35_731, refunded: 4_550, fees: "1.87080", checks: 7),
        .init(file: "ALL-current-lf-nobom-nofinal.csv", format: "wechatpay ALL (current columns)", payments: 4,
              refunds: 2, paid: 35_731, refunded: 4_550, fees: "1.87080", checks: 7),
        .init(file: "ALL-current-rounded-summary.csv", format: "wechatpay ALL (current columns)", payments: 4,
              refunds: 2, paid: 35_731, refunded: 4_550, fees: "1.87080", checks: 7),
        .init(file: "ALL-legacy.csv", format: "wechatpay ALL (legacy columns)", payments: 4, refunds: 2,
              paid: 35_731, refunded: 4_550, fees: "1.87080", checks: 5),
        .init(file: "SUCCESS-current.csv", format: "wechatpay SUCCESS (current columns)", payments: 4, refunds: 0,
              paid: 35_731, refunded: 0, fees: "2.14380", checks: 7),
        .init(file: "SUCCESS-current-4col-summary.csv", format: "wechatpay SUCCESS (current columns)", payments: 4,
              refunds: 0, paid: 35_731, refunded: 0, fees: "2.14380", checks: 4),
        .init(file: "SUCCESS-legacy.csv", format: "wechatpay SUCCESS (legacy columns)", payments: 4, refunds: 0,
              paid: 35_731, refunded: 0, fees: "2.14380", checks: 5),
        .init(file: "REFUND-current.csv", format: "wechatpay REFUND (current columns)", payments: 0, refunds: 2,
              paid: 0, refunded: 4_550, fees: "-0.27300", checks: 7),
        .init(file: "REFUND-legacy.csv", format: "wechatpay REFUND (legacy columns)", payments: 0, refunds: 2,
              paid: 0, refunded: 4_550, fees: "-0.27300", checks: 5),
        .init(file: "ALL-current-empty-day.csv", format: "wechatpay ALL (current columns)", payments: 0, refunds: 0,
              paid: 0, refunded: 0, fees: "0", checks: 7),
    ]

    @Test("bundled bills of every type and generation read with correct totals", arguments: fixtures)
    func fixture(_ expected: BillExpectationCase) throws {
        let (facts, entries) = try read(Repository.fixture("bills/wechatpay/" + expected.file))
        #expect(facts.problems.isEmpty, "\(facts.problems)")
        #expect(facts.isValid)
        #expect(facts.format.description == expected.format)
        #expect(entries.filter { $0.kind == .payment }.count == expected.payments)
        #expect(entries.filter { $0.kind == .refund }.count == expected.refunds)
        let totals = facts.totals[.cny] ?? BillCurrencyTotals(currency: .cny)
        #expect(totals.paid == expected.paid)
        #expect(totals.refunded == expected.refunded)
        #expect(totals.fees == FixedDecimal(expected.fees)!)
        #expect(facts.summaryChecks.count == expected.checks)
        #expect(facts.summaryChecks.allSatisfy { $0.matches })
        if expected.payments + expected.refunds > 0 {
            #expect(facts.merchant == MerchantRef(provider: .wechatPay, merchantID: "1900000109"))
            let refundsOnly = expected.payments == 0
            #expect(facts.firstRowTime?.description == (refundsOnly ? "2026-11-18 10:11:12" : "2026-11-18 09:05:44"))
            #expect(facts.lastRowTime?.description == (refundsOnly ? "2026-11-18 16:20:00" : "2026-11-18 23:58:31"))
            #expect(facts.day == CivilDate("2026-11-18"))
        }
    }

    @Test("free text keeps its commas, quotes and leading spaces; amounts are exact")
    func freeText() throws {
        let (_, entries) = try read(Repository.fixture("bills/wechatpay/ALL-current.csv"))
        let latte = try #require(entries.first { $0.outTradeNo == "WX20261118090512" })
        #expect(latte.amount == Money(minorUnits: 1250, currency: .cny))
        #expect(latte.location.line == 3)
        #expect(latte.time.rfc3339 == "2026-11-18T09:05:44+08:00")
        let partial = entries.filter { $0.outTradeNo == "WX20261117101533" }
        #expect(partial.map(\.outRefundNo) == ["WX20261117101533-R1", "WX20261117101533-R2"])
        #expect(partial.map(\.status) == [.success, .processing])
        #expect(partial.map(\.providerStatus) == ["REFUND/SUCCESS", "REFUND/PROCESSING"])
        #expect(entries.first { $0.outTradeNo == "WX20261118235801" }?.amount.minorUnits == 1)
    }

    @Test("a comma inside 商品名称 or 商户数据包 does not shift the columns")
    func commaInFreeText() throws {
        let directory = TemporaryDirectory()
        let rows = [
            WeChatBillRow(
                kind: .payment, time: LocalDateTime("2026-11-20 10:00:00")!, outTradeNo: "A1", transactionID: "4200000001",
                amount: FixedDecimal("9.90")!, fee: FixedDecimal("0.06")!, goods: "Tea, green, 50g", attach: "a=1,b=2"),
            WeChatBillRow(
                kind: .payment, time: LocalDateTime("2026-11-20 11:00:00")!, outTradeNo: "A2", transactionID: "4200000002",
                amount: FixedDecimal("1.00")!, goods: ",leading comma", attach: "trailing,"),
        ]
        let path = directory.write(
            "bill.csv", WeChatBillWriter.bill(type: .all, merchantID: "1900000109", rows: rows))
        let (facts, entries) = try read(path)
        #expect(facts.isValid, "\(facts.problems)")
        #expect(entries.map(\.outTradeNo) == ["A1", "A2"])
        #expect(entries.map(\.amount.minorUnits) == [990, 100])
    }

    @Test(
        "the writer's bills read back exactly, for every type and generation",
        arguments: WeChatBillWriter.BillType.allCases, WeChatBillWriter.Generation.allCases)
    func roundTrip(type: WeChatBillWriter.BillType, generation: WeChatBillWriter.Generation) throws {
        var rows: [WeChatBillRow] = []
        for index in 0..<50 {
            let refund = type == .refund || (type == .all && index % 5 == 0)
            rows.append(
                WeChatBillRow(
                    kind: refund ? .refund : .payment,
                    time: LocalDateTime("2026-11-20 00:00:00")!.adding(seconds: index * 1500),
                    outTradeNo: "O\(index)", transactionID: "42000\(index)",
                    amount: FixedDecimal(units: Int64(index * 137 + 1), scale: 2),
                    fee: FixedDecimal(units: Int64(refund ? -index * 11 : index * 11), scale: 5),
                    outRefundNo: refund ? "O\(index)-R" : nil, refundID: refund ? "503\(index)" : nil,
                    goods: "goods \(index), size \(index % 3)"))
        }
        let directory = TemporaryDirectory()
        let path = directory.write(
            "bill.csv", WeChatBillWriter.bill(type: type, generation: generation, merchantID: "1900000109", rows: rows))
        let (facts, entries) = try read(
            path, expecting: BillExpectation(merchant: Sample.wechat, day: CivilDate("2026-11-20")))
        #expect(facts.isValid, "\(facts.problems)")
        #expect(facts.format.type == type.rawValue)
        #expect(facts.format.generation == generation.rawValue)
        #expect(entries.count == rows.count)
        #expect(entries.map(\.amount.minorUnits) == rows.map { $0.amount.units })
        #expect(entries.map(\.kind) == rows.map(\.kind))
        #expect(entries.map(\.location.line) == Array(2..<(2 + rows.count)))
    }
}

extension LocalDateTime {
    func adding(seconds: Int) -> LocalDateTime { LocalDateTime(wallSeconds: wallSeconds + Int64(seconds)) }
}
