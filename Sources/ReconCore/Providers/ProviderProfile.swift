/// What the pure core needs to know of one provider, stated by the provider's plug-in: its name,
/// the shape of its merchant ids, its error-code catalogs and how its bill files are named.
public struct ProviderProfile: Sendable {
    /// The name stored in the `provider` column.
    public var id: ProviderID
    /// The name people use: `WeChat Pay`.
    public var name: String
    /// What its merchant ids look like.
    public var merchantIDRule: MerchantIDRule
    /// Its error codes, in the order lookups consult them.
    public var catalogs: [ErrorCatalog]
    /// The bill types a bill file's name carries (`ALL`, `SUCCESS`, `REFUND` for WeChat Pay),
    /// the one order-recon downloads first; empty when the provider has one kind of bill and its
    /// names carry no type.
    public var billTypes: [BillFileType]

    /// Creates a profile.
    public init(
        id: ProviderID, name: String, merchantIDRule: MerchantIDRule, catalogs: [ErrorCatalog], billTypes: [BillFileType] = []
    ) {
        self.id = id
        self.name = name
        self.merchantIDRule = merchantIDRule
        self.catalogs = catalogs
        self.billTypes = billTypes
    }
}

/// A type of bill a provider publishes, as a bill file's name carries it, with the rows it lists.
public struct BillFileType: Hashable, Sendable {
    /// The name: `ALL`.
    public var name: String
    /// The kinds of row it lists.
    public var kinds: Set<BillEntry.Kind>

    /// Creates a bill type.
    public init(name: String, kinds: Set<BillEntry.Kind>) {
        self.name = name
        self.kinds = kinds
    }
}
