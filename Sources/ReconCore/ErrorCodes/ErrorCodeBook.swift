/// Looks codes up across catalogs, for one provider or for all.
public struct ErrorCodeBook: Sendable {
    /// One row found, with the catalog that holds it.
    public struct Match: Hashable, Sendable {
        /// The catalog's id.
        public var catalog: String
        /// The catalog's title.
        public var title: String
        /// The row.
        public var row: ErrorCode
    }

    /// The catalogs consulted, in order.
    public let catalogs: [ErrorCatalog]

    /// Creates a book over the given catalogs (``ProviderDirectory/book`` holds every registered one).
    public init(catalogs: [ErrorCatalog]) {
        self.catalogs = catalogs
    }

    /// The catalogs that hold a provider's codes, in lookup order.
    public func catalogs(for provider: ProviderID) -> [ErrorCatalog] {
        catalogs.filter { $0.providers.contains(provider) }
    }

    /// Every row for a code, from one provider's catalogs or, with `nil`, from all of them.
    public func matches(for code: String, provider: ProviderID? = nil) -> [Match] {
        let searched = provider.map(catalogs(for:)) ?? catalogs
        return searched.flatMap { catalog in
            catalog.rows(for: code).map { Match(catalog: catalog.id, title: catalog.title, row: $0) }
        }
    }

    /// The row that decides what a provider's code means: the first found in the provider's
    /// catalogs. `nil` when none of them knows the code.
    public func row(for code: String, provider: ProviderID) -> ErrorCode? {
        for catalog in catalogs(for: provider) {
            if let row = catalog.rows(for: code).first { return row }
        }
        return nil
    }

    /// The category of a provider's code, or `nil` when its catalogs do not know the code.
    public func category(of code: String, provider: ProviderID) -> ErrorCategory? {
        row(for: code, provider: provider)?.category
    }

    /// The code with its text for reports (`E02 — Network timeout or error`), or the bare code
    /// with a note when the provider's catalogs do not know it.
    public func quote(_ code: String, provider: ProviderID) -> String {
        row(for: code, provider: provider)?.quoted ?? "\(code) — not in \(provider)'s error-code catalogs"
    }
}
