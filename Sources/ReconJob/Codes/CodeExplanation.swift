import Foundation
import ReconCore

/// What `order-recon codes CODE` prints: every catalog row for a code, as text or JSON.
public struct CodeExplanation: Sendable {
    /// The code asked about, as typed.
    public let code: String
    /// The provider the lookup was limited to, if any.
    public let provider: ProviderID?
    /// The rows found.
    public let matches: [ErrorCodeBook.Match]
    /// The catalogs searched.
    public let searched: [ErrorCatalog]

    /// Looks a code up.
    public init(code: String, provider: ProviderID?, book: ErrorCodeBook = JobAssembly.providers.book) throws {
        self.code = code
        self.provider = provider
        self.searched = provider.map(book.catalogs(for:)) ?? book.catalogs
        if let provider, searched.isEmpty {
            let known = Set(book.catalogs.flatMap(\.providers)).sorted().map(\.rawValue).joined(separator: ", ")
            throw ReconError.usage("No error-code catalog covers provider '\(provider)'. Known providers: \(known).")
        }
        self.matches = book.matches(for: code, provider: provider)
    }

    /// Whether any catalog knows the code.
    public var isKnown: Bool { !matches.isEmpty }

    /// The explanation for people.
    public func text() -> String {
        guard isKnown else {
            let names = searched.map(\.id).joined(separator: ", ")
            return """
                \(code): not in any catalog searched (\(names)).
                Check the spelling, or leave out --provider to search every catalog. An order whose last \
                call ended with a code no catalog knows is queried, since its outcome is unknown.

                """
        }
        var lines: [String] = []
        for match in matches {
            let catalog = searched.first { $0.id == match.catalog }
            let row = match.row
            lines.append("\(row.code) — \(match.title) [\(match.catalog)]")
            if let english = row.english { lines.append("  text      \(english)") }
            if let chinese = row.chinese, chinese != row.english { lines.append("  中文      \(chinese)") }
            if let solution = row.solution { lines.append("  solution  \(solution)") }
            if let status = row.httpStatus { lines.append("  http      \(status)") }
            lines.append("  category  \(row.category.rawValue): \(row.category.meaning)")
            lines.append("  source    \(row.source ?? catalog?.source ?? "")")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// The explanation as JSON: `{"code", "provider", "known", "matches": [...]}`.
    public func json() throws -> String {
        struct Document: Encodable {
            struct Row: Encodable {
                let catalog: String
                let title: String
                let providers: [String]
                let code: String
                let category: String
                let categoryMeaning: String
                let httpStatus: Int?
                let english: String?
                let chinese: String?
                let solution: String?
                let source: String
                let quoted: String

                enum CodingKeys: String, CodingKey {
                    case catalog, title, providers, code, category, categoryMeaning = "category_meaning",
                        httpStatus = "http_status", english, chinese, solution, source, quoted
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(catalog, forKey: .catalog)
                    try container.encode(title, forKey: .title)
                    try container.encode(providers, forKey: .providers)
                    try container.encode(code, forKey: .code)
                    try container.encode(category, forKey: .category)
                    try container.encode(categoryMeaning, forKey: .categoryMeaning)
                    try container.encode(httpStatus, forKey: .httpStatus)
                    try container.encode(english, forKey: .english)
                    try container.encode(chinese, forKey: .chinese)
                    try container.encode(solution, forKey: .solution)
                    try container.encode(source, forKey: .source)
                    try container.encode(quoted, forKey: .quoted)
                }
            }
            let code: String
            let provider: String?
            let known: Bool
            let matches: [Row]

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(code, forKey: .code)
                try container.encode(provider, forKey: .provider)
                try container.encode(known, forKey: .known)
                try container.encode(matches, forKey: .matches)
            }

            enum CodingKeys: String, CodingKey { case code, provider, known, matches }
        }
        let rows = matches.map { match in
            let catalog = searched.first { $0.id == match.catalog }
            return Document.Row(
                catalog: match.catalog, title: match.title, providers: catalog?.providers.map(\.rawValue) ?? [],
                code: match.row.code, category: match.row.category.rawValue,
                categoryMeaning: match.row.category.meaning, httpStatus: match.row.httpStatus,
                english: match.row.english, chinese: match.row.chinese, solution: match.row.solution,
                source: match.row.source ?? catalog?.source ?? "", quoted: match.row.quoted)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(code: code, provider: provider?.rawValue, known: isKnown, matches: rows))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
