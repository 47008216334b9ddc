import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconTestSupport
import Testing
import WalletGatewayProvider

@Suite("Pending selection")
struct PendingSelectorTests {
    let selector = PendingSelector(book: Providers.directory.book)

    @Test(
        "an order is queried when PENDING, or when its last code must be confirmed or is unknown, whatever its status",
        arguments: [
            (OrderStatus.pending, nil, Sample.gateway, "pending_status"),
            (.pending, "C14", Sample.gateway, "pending_status"),
            (.failed, "E02", Sample.gateway, "query_to_confirm"),
            (.failed, "P01", Sample.gateway, "query_to_confirm"),
            (.closed, "E01", Sample.gateway, "query_to_confirm"),
            (.paid, "E03", Sample.gateway, "query_to_confirm"),
            (.failed, "C10", Sample.gateway, "query_to_confirm"),
            (.failed, "SYSTEM_ERROR", Sample.wechat, "query_to_confirm"),
            (.failed, "1000000", Sample.wechat, "query_to_confirm"),
            (.failed, "-1", MerchantRef(provider: .walletGateway, merchantID: "m"), "query_to_confirm"),
            (.failed, "58", MerchantRef(provider: .walletGateway, merchantID: "m"), "query_to_confirm"),
            (.failed, "NOT_A_CODE", Sample.gateway, "unknown_code"),
            (.failed, "E02", MerchantRef(provider: "alipay", merchantID: "m"), "unknown_code"),
            (.failed, "C14", Sample.gateway, nil),
            (.failed, "S03", Sample.gateway, nil),
            (.failed, "C08", Sample.gateway, nil),
            (.failed, "-1", Sample.wechat, nil),
            (.closed, "ORDER_CLOSED", Sample.wechat, nil),
            (.paid, nil, Sample.gateway, nil),
            (.failed, "", Sample.gateway, nil),
            (.failed, "  ", Sample.gateway, nil),
            (.closed, "0", Sample.gateway, nil),
        ] as [(OrderStatus, String?, MerchantRef, String?)])
    func orders(status: OrderStatus, code: String?, merchant: MerchantRef, reason: String?) {
        let order = Sample.order("A", "10.00", status, merchant: merchant, lastErrorCode: code)
        #expect(selector.reason(for: order)?.name == reason)
    }

    @Test(
        "a refund is queried by the same rules",
        arguments: [
            (RefundStatus.pending, nil, "pending_status"), (.failed, "E02", "query_to_confirm"), (.success, nil, nil),
            (.failed, "C15", nil), (.failed, "X1", "unknown_code"),
        ] as [(RefundStatus, String?, String?)])
    func refunds(status: RefundStatus, code: String?, reason: String?) {
        var refund = Sample.refund("R", of: "A", "5.00", status, merchant: Sample.gateway)
        refund.lastErrorCode = code
        #expect(selector.reason(for: refund)?.name == reason)
    }

    @Test("the reason names the code, and items are listed by merchant, orders first, then key")
    func listing() {
        let items = selector.select(
            orders: [
                Sample.order("B", "1.00", .failed, merchant: Sample.wechat, lastErrorCode: "SYSTEM_ERROR"),
                Sample.order("A", "1.00", .pending, merchant: Sample.wechat),
                Sample.order("Z", "1.00", .failed, merchant: Sample.gateway, lastErrorCode: "E02"),
                Sample.order("Y", "1.00", .paid, merchant: Sample.gateway),
            ],
            refunds: [Sample.refund("R1", of: "Y", "1.00", .pending, merchant: Sample.gateway)])
        #expect(items.map(\.key) == ["Z", "R1", "A", "B"])
        #expect(items[0].reason == .queryToConfirm(code: "E02"))
        #expect(items[0].reason.description == "last call ended with E02, which must be confirmed by query")
        #expect(items[1].outTradeNo == "Y")
    }

    @Test("older items are taken up to the age limit before the day window")
    func ageRange() {
        let window = DayWindow(day: Sample.day, zone: .shanghai)
        #expect(PendingSelector(maxAgeSeconds: 3 * 86_400, book: Providers.directory.book).range(for: window) == (window.start - 3 * 86_400)..<window.end)
        #expect(PendingSelector(book: Providers.directory.book).range(for: window).lowerBound == window.start - 7 * 86_400)
    }
}
