import AlipayProvider
import Foundation
import ProviderPlugins
import ReconBills
import ReconCore
import ReconTestSupport
import Testing

/// The real Alipay trade detail file of `fixtures/bills/alipay`, as Alipay delivers it (GBK inside
/// a `.csv.zip` with GBK entry names) and as text, and what a damaged one must give.
@Suite("Alipay trade bills")
struct AlipayBillTests {
    let directory = TemporaryDirectory()
    static let zipped = Repository.fixture("bills/alipay/alipay_2088021109625633_2019-09-16.csv.zip")
    static let text = Repository.fixture("bills/alipay/trade_detail_2019.csv")
    static let merchant = MerchantRef(provider: .alipay, merchantID: "2088021109625633")

    @Test("the real bill, zipped and GBK as delivered: 6 payments, 4 refunds, footers verified", arguments: [zipped, text])
    func real(_ path: String) throws {
        let (facts, entries) = try read(path)
        #expect(facts.isValid, "\(facts.problems)")
        #expect(facts.format.description == "alipay trade (detail columns)")
        #expect(facts.merchant == Self.merchant && facts.day == CivilDate("2019-09-16"))
        #expect(entries.filter { $0.kind == .payment }.count == 6 && entries.filter { $0.kind == .refund }.count == 4)
        #expect(facts.totals[.cny]?.paid == 6 && facts.totals[.cny]?.refunded == 4)
        #expect(facts.summaryChecks.count == 6 && facts.summaryChecks.allSatisfy(\.matches))
        let refund = try #require(entries.first { $0.kind == .refund })
        #expect(refund.outTradeNo == "service_1568601259302" && refund.outRefundNo == "re_test_1568602607356")
        #expect(refund.amount == Money(minorUnits: 1, currency: .cny) && refund.transactionID == "2019091622001458860515315453")
        #expect(refund.time == Timestamp(rfc3339: "2019-09-16T10:56:48+08:00"))
        if path == Self.zipped {
            #expect(facts.zipEntry == "20880211096256330156_20190916_业务明细.csv" && facts.wasGB18030)
        } else {
            #expect(facts.zipEntry == nil && !facts.wasGB18030)
        }
    }

    @Test("a row changed after Alipay totalled it fails the footer, zipped or not")
    func tampered() throws {
        let zipped = try read(Repository.fixture("bills/alipay/tampered/alipay_2088021109625633_2019-09-16.csv.zip")).facts
        #expect(!zipped.isValid)
        #expect(zipped.problems.map(\.message) == ["the summary's 交易商家实收 says 0.06 but the rows add up to 0.07 (rows − summary = +0.01)"])
        let changed = try String(contentsOfFile: Self.text, encoding: .utf8).replacingOccurrences(of: "#交易合计：6笔", with: "#交易合计：7笔")
        let facts = try read(directory.write("changed.csv", changed)).facts
        #expect(facts.problems.map(\.message) == ["the summary's 交易笔数 says 7 but the rows add up to 6 (rows − summary = -1)"])
    }

    @Test("a bill cut before its end marker or its footers is truncated", arguments: ["#-----", "#交易合计", "#退款合计"])
    func cut(at marker: String) throws {
        let text = try String(contentsOfFile: Self.text, encoding: .utf8)
        let cut = String(text[..<text.range(of: marker, options: .backwards)!.lowerBound])
        let facts = try read(directory.write("cut.csv", cut)).facts
        #expect(!facts.isValid)
        #expect(facts.problems.contains { $0.area == .truncated })
    }

    @Test("a business type other than 交易 or 退款 is reported, never dropped")
    func otherType() throws {
        let text = try String(contentsOfFile: Self.text, encoding: .utf8)
            .replacingOccurrences(of: "qd_201909161844073417CB0wPzR\t,交易\t,", with: "qd_201909161844073417CB0wPzR\t,充值\t,")
        let facts = try read(directory.write("recharge.csv", text)).facts
        #expect(facts.problems.contains { $0.message.hasPrefix("业务类型 '充值' is not 交易 or 退款") })
    }

    @Test("a bill named for another merchant or day is refused")
    func identity() throws {
        let other = MerchantRef(provider: .alipay, merchantID: "2088000000000001")
        let facts = try read(Self.zipped, expecting: BillExpectation(merchant: other, day: CivilDate("2019-09-17"))).facts
        #expect(facts.problems.contains { $0.message.contains("the bill is of account 2088021109625633, but it was named as a bill of 2088000000000001") })
        #expect(facts.problems.contains { $0.message.contains("the bill covers 2019-09-16, but it was named for 2019-09-17") })
    }

    @Test("the summary file and a ZIP without a bill are refused with what they are")
    func notTheDetailFile() throws {
        let summary = directory.write("summary.csv", "#支付宝业务汇总查询\n#账号：[20880211096256330156]\n")
        #expect { _ = try read(summary) } throws: { "\($0)".contains("It is Alipay's summary file") }
    }
}
