/// The providers a job knows, as their plug-ins registered them: merchant-id rules, error codes
/// and bill naming, looked up by provider name. A provider without a profile is still a valid
/// name; its merchant ids follow ``MerchantIDRule/general(for:)`` and it has no codes.
public struct ProviderDirectory: Sendable {
    /// The profiles, in registration order.
    public let profiles: [ProviderProfile]
    /// Every registered catalog, in registration order.
    public let book: ErrorCodeBook
    private let byID: [ProviderID: ProviderProfile]

    /// Creates a directory; a provider registered twice keeps its first profile.
    public init(_ profiles: [ProviderProfile]) {
        self.profiles = profiles
        self.book = ErrorCodeBook(catalogs: profiles.flatMap(\.catalogs))
        self.byID = Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A directory of no provider: every merchant id follows the general rule.
    public static let none = ProviderDirectory([])

    /// The registered providers' names, in registration order.
    public var ids: [ProviderID] { profiles.map(\.id) }

    /// The registered providers' names for a message: `wechatpay, gateway and alipay`.
    public var listed: String {
        let names = ids.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "none" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// The profile of `provider`, when registered.
    public func profile(_ provider: ProviderID) -> ProviderProfile? { byID[provider] }

    /// `true` when `provider` is registered.
    public func knows(_ provider: ProviderID) -> Bool { byID[provider] != nil }

    /// The merchant-id rule of `provider`.
    public func merchantIDRule(for provider: ProviderID) -> MerchantIDRule {
        byID[provider]?.merchantIDRule ?? .general(for: provider)
    }

    /// What is wrong with `id` as a merchant id at `provider`, or `nil` when it is well formed.
    public func merchantIDProblem(_ id: String, provider: ProviderID) -> String? {
        merchantIDRule(for: provider).problem(id)
    }

    /// What is wrong with `merchant`, or `nil` when both its provider and its id are well formed.
    public func problem(_ merchant: MerchantRef) -> String? {
        guard Identifier.isProvider(merchant.provider.rawValue) else {
            return "'\(Printable.escaped(merchant.provider.rawValue))' is not \(Identifier.providerShape)"
        }
        return merchantIDProblem(merchant.merchantID, provider: merchant.provider)
    }

    /// The bill types `provider`'s bill file names carry (``ProviderProfile/billTypes``).
    public func billTypes(of provider: ProviderID) -> [BillFileType] { byID[provider]?.billTypes ?? [] }
}
