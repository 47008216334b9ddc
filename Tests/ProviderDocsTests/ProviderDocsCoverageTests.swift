import Foundation
import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconTestSupport
import Testing
import WalletGatewayProvider
import WeChatPayProvider

/// Reads the providers' own documents in `docs/provider-docs/` and checks that every code in every
/// table is in the catalog built from that document, with the document's text.
@Suite("Error-code catalogs against the provider documents")
struct ProviderDocsCoverageTests {
    /// A code and the texts a document gives it.
    struct DocumentRow: CustomStringConvertible {
        var code: String
        var english: String?
        var chinese: String?
        var solution: String?
        var description: String { "\(code): \(english ?? chinese ?? "")" }
    }

    static func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: Repository.root + "/docs/provider-docs/" + name, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `CODE | text |` rows, where a code cell may hold several codes (`990001/990002`).
    static func pipeRows(_ name: String) throws -> [DocumentRow] {
        try lines(name).flatMap { line -> [DocumentRow] in
            guard let match = line.wholeMatch(of: /(-?[0-9]+(?:\/[0-9]+)*) \| (.*?) \|\s*/) else { return [] }
            return match.1.split(separator: "/").map { DocumentRow(code: String($0), english: String(match.2)) }
        }
    }

    /// Appendix 3 of the wallet gateway: a line in Chinese, then the same code in English.
    static func walletRows() throws -> [DocumentRow] {
        let coded = try lines("002_809c4b5b5f9aeca3.txt").compactMap { line -> (String, String)? in
            guard let match = line.wholeMatch(of: /(-?[0-9]+)\s*(.+)/) else { return nil }
            return (String(match.1), String(match.2))
        }
        return stride(from: 0, to: coded.count - 1, by: 2).map { index in
            DocumentRow(code: coded[index].0, english: coded[index + 1].1, chinese: coded[index].1)
        }
    }

    /// `HTTP | CODE | 描述 | 解决方案 |` rows of the WeChat Pay v3 page.
    static func wechatRows() throws -> [DocumentRow] {
        try lines("003_77402864c936c014.txt").compactMap { line in
            guard let match = line.wholeMatch(of: /[0-9]{3} \| ([A-Z_]+) \| (.*?) \| (.*?) \|\s*/) else { return nil }
            return DocumentRow(code: String(match.1), chinese: String(match.2), solution: String(match.3))
        }
    }

    /// `CODE | Description | Solution |` rows of the gateway page, and its `0` row.
    static func gatewayRows() throws -> [DocumentRow] {
        try lines("004_7c3245fcdfb83169.txt").compactMap { line in
            if let match = line.wholeMatch(of: /([A-Z][0-9]{2}) \| (.*?) \| (.*?) \|\s*/) {
                return DocumentRow(code: String(match.1), english: String(match.2), solution: String(match.3))
            }
            if let match = line.wholeMatch(of: /(0) \| (.*?) \|\s*/) {
                return DocumentRow(code: String(match.1), english: String(match.2))
            }
            return nil
        }
    }

    static func expectCovered(_ rows: [DocumentRow], by catalog: ErrorCatalog, minimum: Int) {
        #expect(rows.count >= minimum, "only \(rows.count) rows read from \(catalog.source)")
        for row in rows {
            let candidates = catalog.rows(for: row.code)
            #expect(!candidates.isEmpty, "\(catalog.source): \(row) is missing from catalog \(catalog.id)")
            guard !candidates.isEmpty else { continue }
            let same = candidates.contains {
                $0.english == row.english && $0.chinese == row.chinese && (row.solution == nil || $0.solution == row.solution)
            }
            #expect(same, "\(catalog.source): \(row) has different text in catalog \(catalog.id)")
        }
    }

    @Test("every code of the gateway's page, and every code its advice names, is in the gateway catalog")
    func gateway() throws {
        Self.expectCovered(try Self.gatewayRows(), by: .gateway, minimum: 29)
        let text = try Self.lines("004_7c3245fcdfb83169.txt").joined(separator: "\n")
        for match in text.matches(of: /\b[SCMPE][0-9]{2}\b/) {
            #expect(!ErrorCatalog.gateway.rows(for: String(match.0)).isEmpty, "\(match.0) is named but not catalogued")
        }
    }

    @Test("every code of the WeChat Pay v3 tables is in the wechatpay-v3 catalog")
    func wechatPay() throws {
        Self.expectCovered(try Self.wechatRows(), by: .wechatPayV3, minimum: 15)
    }

    @Test("every code of the Mini Program tables is in the wechat-miniprogram catalog")
    func miniProgram() throws {
        Self.expectCovered(try Self.pipeRows("000_ba317e89552339c8.txt"), by: .wechatMiniProgram, minimum: 136)
    }

    @Test("every code of the card and coupon table is in the wechat-card catalog")
    func card() throws {
        Self.expectCovered(try Self.pipeRows("001_49aac465c61d6854.txt"), by: .wechatCard, minimum: 25)
    }

    @Test("every code of the wallet gateway's appendix, in both languages, is in the wallet-gateway catalog")
    func walletGateway() throws {
        Self.expectCovered(try Self.walletRows(), by: .walletGateway, minimum: 63)
    }

    @Test("every document in docs/provider-docs has a catalog, and every catalog names an existing document")
    func documents() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Repository.root + "/docs/provider-docs")
            .filter { $0.hasSuffix(".txt") }
        let sources = Set(Providers.directory.book.catalogs.map(\.source))
        for name in names {
            #expect(sources.contains("provider-docs/" + name), "\(name) has no catalog")
        }
        for source in sources {
            #expect(FileManager.default.fileExists(atPath: Repository.root + "/docs/" + source), "\(source) is missing")
        }
    }
}
