/// A merchant account at a provider: the unit a bill is issued for.
public struct MerchantRef: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The provider.
    public var provider: ProviderID
    /// The merchant id at that provider (a WeChat Pay `mchid`, a gateway merchant number).
    public var merchantID: String

    /// Creates a merchant reference.
    public init(provider: ProviderID, merchantID: String) {
        self.provider = provider
        self.merchantID = merchantID
    }

    /// `wechatpay/1900000109`.
    public var description: String { "\(provider)/\(merchantID)" }

    public static func < (lhs: MerchantRef, rhs: MerchantRef) -> Bool {
        (lhs.provider.rawValue, lhs.merchantID) < (rhs.provider.rawValue, rhs.merchantID)
    }
}
