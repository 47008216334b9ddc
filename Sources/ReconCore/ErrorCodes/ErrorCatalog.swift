/// One provider document's error codes, kept as data.
///
/// A catalog may hold a code more than once when its document gives the code several meanings
/// (`-99` is both "System error" and "out_trade_no/refund_no must be unique"); such rows always
/// share a category.
public struct ErrorCatalog: Hashable, Sendable, Identifiable {
    /// A short name: `gateway`, `wechatpay-v3`, ….
    public var id: String
    /// What the catalog covers, in a few words.
    public var title: String
    /// The document the rows are taken from, relative to the project's `docs/` folder.
    public var source: String
    /// The providers whose answers use these codes.
    public var providers: [ProviderID]
    /// The rows, in the document's order.
    public var codes: [ErrorCode]

    /// Creates a catalog.
    public init(id: String, title: String, source: String, providers: [ProviderID], codes: [ErrorCode]) {
        self.id = id
        self.title = title
        self.source = source
        self.providers = providers
        self.codes = codes
    }

    /// The rows for a code; empty when the catalog does not know it. Letters match in any case.
    public func rows(for code: String) -> [ErrorCode] {
        let wanted = ErrorCatalog.normalized(code)
        return codes.filter { $0.code == wanted }
    }

    /// A code as catalogs spell it: no surrounding blanks, letters upper-case.
    public static func normalized(_ code: String) -> String {
        code.trimmingBlanks().uppercased()
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
