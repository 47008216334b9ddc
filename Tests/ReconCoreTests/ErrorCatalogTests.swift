import GatewayProvider
import ProviderPlugins
import ReconCore
import Testing
import WalletGatewayProvider
import WeChatPayProvider

@Suite("Error-code catalogs")
struct ErrorCatalogTests {
    let book = Providers.directory.book

    @Test(
        "a provider's code has the category its documents give it",
        arguments: [
            // The gateway: query after P01 and E01–E03; stop on configuration; slow down on S04.
            ("P01", ProviderID.gateway, ErrorCategory.queryToConfirm),
            ("E01", .gateway, .queryToConfirm), ("E02", .gateway, .queryToConfirm), ("E03", .gateway, .queryToConfirm),
            ("C10", .gateway, .queryToConfirm), ("C06", .gateway, .queryToConfirm),
            ("C08", .gateway, .retryLater), ("C26", .gateway, .retryLater), ("C27", .gateway, .retryLater),
            ("S11", .gateway, .retryLater),
            ("S04", .gateway, .rateLimited),
            ("S01", .gateway, .configOrAuth), ("S02", .gateway, .configOrAuth), ("S03", .gateway, .configOrAuth),
            ("S10", .gateway, .configOrAuth), ("M01", .gateway, .configOrAuth), ("M04", .gateway, .configOrAuth),
            ("C03", .gateway, .configOrAuth),
            ("C12", .gateway, .notFound),
            ("C14", .gateway, .finalFailure), ("C15", .gateway, .finalFailure),
            ("0", .gateway, .ok),
            // WeChat Pay: v3 codes first, then the Mini Program and card tables.
            ("SYSTEM_ERROR", .wechatPay, .queryToConfirm), ("SYSTEMERROR", .wechatPay, .queryToConfirm),
            ("OUT_TRADE_NO_USED", .wechatPay, .queryToConfirm),
            ("FREQUENCY_LIMITED", .wechatPay, .rateLimited), ("RATELIMIT_EXCEEDED", .wechatPay, .rateLimited),
            ("SIGN_ERROR", .wechatPay, .configOrAuth), ("NOAUTH", .wechatPay, .configOrAuth),
            ("NO_AUTH", .wechatPay, .configOrAuth),
            ("ORDER_NOT_EXIST", .wechatPay, .notFound), ("NO_STATEMENT_EXIST", .wechatPay, .notFound),
            ("STATEMENT_CREATING", .wechatPay, .retryLater), ("SERVICE_UNAVAILABLE", .wechatPay, .retryLater),
            ("ORDER_CLOSED", .wechatPay, .finalFailure), ("PARAM_ERROR", .wechatPay, .finalFailure),
            ("1000000", .wechatPay, .queryToConfirm), ("1010027", .wechatPay, .queryToConfirm),
            ("300000", .wechatPay, .rateLimited), ("45009", .wechatPay, .rateLimited),
            ("61004", .wechatPay, .configOrAuth), ("1010011", .wechatPay, .notFound),
            ("-1", .wechatPay, .retryLater), ("0", .wechatPay, .ok),
            // The wallet gateway: every outcome-unknown answer is queried.
            ("-1", .walletGateway, .queryToConfirm), ("-99", .walletGateway, .queryToConfirm),
            ("09", .walletGateway, .queryToConfirm), ("24", .walletGateway, .queryToConfirm),
            ("52", .walletGateway, .queryToConfirm), ("54", .walletGateway, .queryToConfirm),
            ("57", .walletGateway, .queryToConfirm), ("58", .walletGateway, .queryToConfirm),
            ("10", .walletGateway, .configOrAuth), ("31", .walletGateway, .notFound),
            ("64", .walletGateway, .finalFailure), ("00", .walletGateway, .ok),
        ] as [(String, ProviderID, ErrorCategory)])
    func categories(code: String, provider: ProviderID, category: ErrorCategory) {
        #expect(book.category(of: code, provider: provider) == category)
    }

    @Test(
        "codes match whatever their case and surrounding blanks",
        arguments: [("e02", ProviderID.gateway), (" E02 ", .gateway), ("system_error", .wechatPay), ("\t-99\n", .walletGateway)]
            as [(String, ProviderID)])
    func normalizedLookups(code: String, provider: ProviderID) {
        #expect(book.category(of: code, provider: provider) == .queryToConfirm)
    }

    @Test(
        "a code is only looked up in its own provider's catalogs",
        arguments: [("E02", ProviderID.wechatPay), ("SYSTEM_ERROR", .gateway), ("1000000", .walletGateway),
            ("XYZ", .gateway), ("", .gateway), ("E02", ProviderID("alipay"))] as [(String, ProviderID)])
    func unknownCodes(code: String, provider: ProviderID) {
        #expect(book.category(of: code, provider: provider) == nil)
    }

    @Test(
        "reports quote a code with the document's text",
        arguments: [
            ("E02", ProviderID.gateway, "E02 — Network timeout or error"),
            ("P01", .gateway, "P01 — Bank channel exception"),
            ("SYSTEM_ERROR", .wechatPay, "SYSTEM_ERROR — 系统异常,请稍后重试"),
            ("-1", .walletGateway, "-1 — System error: Interface returned abnormal (系统错误:接口返回异常)"),
            ("05", .walletGateway, "05 — REFUND_TRADE_NOT_EXISTTRADE_NOT_EXIST"),
            ("Z99", .gateway, "Z99 — not in gateway's error-code catalogs"),
        ] as [(String, ProviderID, String)])
    func quotes(code: String, provider: ProviderID, quoted: String) {
        #expect(book.quote(code, provider: provider) == quoted)
    }

    @Test("without a provider, a code is found in every catalog that has it")
    func everyCatalog() {
        #expect(book.matches(for: "-1").map(\.catalog) == ["wechat-card", "wallet-gateway"])
        #expect(book.matches(for: "0").map(\.catalog) == ["gateway", "wechat-card"])
        #expect(book.matches(for: "-99").map(\.row.english) == ["System error", "out_trade_no/refund_no must be unique"])
    }

    @Test("every row has text, and a code given twice in one catalog keeps one category")
    func catalogInvariants() {
        for catalog in Providers.directory.book.catalogs {
            #expect(!catalog.codes.isEmpty, "\(catalog.id) is empty")
            #expect(!catalog.providers.isEmpty, "\(catalog.id) serves no provider")
            for row in catalog.codes {
                #expect(!row.text.isEmpty, "\(catalog.id) \(row.code) has no text")
                #expect(row.code == ErrorCatalog.normalized(row.code), "\(catalog.id) \(row.code) is not normalized")
                let categories = Set(catalog.rows(for: row.code).map(\.category))
                #expect(categories.count == 1, "\(catalog.id) \(row.code) has categories \(categories)")
            }
        }
        #expect(Set(Providers.directory.book.catalogs.map(\.id)).count == Providers.directory.book.catalogs.count)
        let used = Set(Providers.directory.book.catalogs.flatMap(\.codes).map(\.category))
        #expect(used == Set(ErrorCategory.allCases))
    }
}
