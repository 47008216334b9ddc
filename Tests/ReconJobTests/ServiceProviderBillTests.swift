import Foundation
import ProviderPlugins
import ReconBills
import ReconCore
import ReconJob
import ReconTestSupport
import Synchronization
import Testing
import WeChatPayProvider

/// A WeChat Pay service provider's (服务商) bill: one file for all its sub-merchants, each row
/// naming its own in 特约商户号.
@Suite("A service provider's bill")
struct ServiceProviderBillTests {
    let directory = TemporaryDirectory()
    static let serviceProvider = MerchantRef(provider: .wechatPay, merchantID: "1900000100")
    static let first = MerchantRef(provider: .wechatPay, merchantID: "1900000201")
    static let second = MerchantRef(provider: .wechatPay, merchantID: "1900000202")

    /// `rows` rows alternating between the two sub-merchants (or all `only`'s), every fifth a refund.
    static func bill(rows: Int = 10, only: MerchantRef? = nil) -> String {
        var writer = WeChatBillWriter(type: .all, merchantID: serviceProvider.merchantID)
        var text = writer.header
        for index in 0..<rows {
            let refund = index % 5 == 4
            let sub = only ?? (index % 2 == 0 ? first : second)
            text += writer.line(for: WeChatBillRow(
                kind: refund ? .refund : .payment, time: LocalDateTime(String(format: "2026-11-19 %02d:%02d:00", 8 + index / 60, index % 60))!,
                outTradeNo: "SP-\(index)", transactionID: "42000\(index)", amount: FixedDecimal(units: Int64(100 * (index + 1)), scale: 2),
                fee: FixedDecimal(units: 6, scale: 2), outRefundNo: refund ? "SP-\(index)-R" : nil, goods: "tea, green",
                subMerchantID: sub.merchantID))
        }
        return text + writer.summary()
    }

    func read(_ text: String, name: String = "wechatpay_1900000100_2026-11-19_ALL.csv", _ expectation: BillExpectation)
        async throws -> (BillFacts, [BillEntry])
    {
        let path = directory.write(name, text)
        let collected = Mutex<[BillEntry]>([])
        let facts = try await BillReader(formats: Providers.billFormats).readConcurrently(
            path, expecting: expectation, workers: 3, minimumBytes: 0
        ) { batch in collected.withLock { $0 += batch.entries } }
        return (facts, collected.withLock { $0 })
    }

    @Test("bill check: valid, each row the sub-merchant's it names, counts and totals per sub-merchant")
    func attributed() async throws {
        let (facts, entries) = try await read(Self.bill(), BillExpectation(merchant: Self.serviceProvider))
        #expect(facts.isValid, "\(facts.problems)")
        #expect(facts.merchant == Self.serviceProvider)
        #expect(Set(entries.map(\.merchant)) == [Self.first, Self.second])
        #expect(entries.filter { $0.merchant == Self.first }.map(\.outTradeNo).sorted() == ["SP-0", "SP-2", "SP-4", "SP-6", "SP-8"])
        let first = facts.share(of: Self.first), second = facts.share(of: Self.second)
        // Rows 0, 2, 6, 8 are the first's payments and 4 its refund; 1, 3, 5, 7 the second's and 9 its refund.
        #expect(first.paymentRows == 4 && first.refundRows == 1 && second.paymentRows == 4 && second.refundRows == 1)
        #expect(first.totals[.cny]?.paid == 100 + 300 + 700 + 900 && first.totals[.cny]?.refunded == 500)
        #expect(second.totals[.cny]?.paid == 200 + 400 + 600 + 800 && second.totals[.cny]?.refunded == 1000)
        #expect(facts.totals[.cny]?.paid == 4000 && facts.share(of: Self.serviceProvider) == BillShare())

        let text = BillCheckRenderer.text(facts)
        #expect(text.contains("  sub        1900000201: 4 payment SUCCESS, 1 refund REFUND/SUCCESS"))
        #expect(text.contains("  sub        1900000202: 4 payment SUCCESS, 1 refund REFUND/SUCCESS"))
        #expect(text.contains("CNY: 4 paid = 2000 minor (20.00), 1 refunded = 1000 minor (10.00), fees 0.30"))
        let json = try JSONSerialization.jsonObject(with: try BillCheckRenderer.json(facts)) as? [String: Any]
        let members = try #require(json?["merchants"] as? [[String: Any]])
        #expect(members.compactMap { $0["merchant_id"] as? String } == ["1900000201", "1900000202"])
    }

    @Test("a bill named for no merchant is the service provider's when its rows name two sub-merchants, the sub-merchant's when one")
    func unnamed() async throws {
        let (both, _) = try await read(Self.bill(), name: "bill.csv", BillExpectation())
        #expect(both.isValid && both.merchant == Self.serviceProvider && both.shares.count == 2)
        let (one, entries) = try await read(Self.bill(only: Self.second), name: "one.csv", BillExpectation())
        #expect(one.isValid && one.merchant == Self.second && one.shares.isEmpty)
        #expect(one.share(of: Self.second).paymentRows == 8 && Set(entries.map(\.merchant)) == [Self.second])
    }

    @Test("a run that reads the bill for some sub-merchants refuses a row of another, saying what to configure")
    func unconfiguredSubMerchant() async throws {
        let (facts, _) = try await read(
            Self.bill(), BillExpectation(merchant: Self.serviceProvider, covered: [Self.first]))
        #expect(!facts.isValid)
        let messages = facts.problems.filter { $0.area == .identity }.map(\.message)
        // Every row of the other sub-merchant (rows 1, 3, 5, 7 and 9), however many parts the bill is read in.
        #expect(facts.problems.filter { $0.area == .identity }.map { $0.line ?? 0 } == [3, 5, 7, 9, 11], "\(messages)")
        #expect(messages.first?.contains("sub-merchant 1900000202 of service provider 1900000100") == true)
        #expect(messages.first?.contains(#"providers.wechatpay.merchants."1900000202" with sp_mchid 1900000100"#) == true)
    }

    @Test("a sub-merchant's own bill, named for it, is all its rows")
    func subMerchantsOwnBill() async throws {
        let (facts, entries) = try await read(
            Self.bill(only: Self.first), name: "wechatpay_1900000201_2026-11-19_ALL.csv",
            BillExpectation(merchant: Self.first, covered: [Self.first]))
        #expect(facts.isValid && facts.shares.isEmpty && facts.share(of: Self.first).paymentRows == 8)
        #expect(Set(entries.map(\.merchant)) == [Self.first])
    }
}
