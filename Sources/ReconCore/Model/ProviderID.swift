/// A payment provider, named as in the store's `provider` column: `wechatpay`, `gateway`, ….
public struct ProviderID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The name as stored.
    public let rawValue: String

    /// Creates a provider id from its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    /// WeChat Pay (APIv3 and its trade bills).
    public static let wechatPay: ProviderID = "wechatpay"
    /// The payment gateway whose error codes are P01, E01–E03, S01–S11, ….
    public static let gateway: ProviderID = "gateway"
    /// The WeChat/Alipay wallet gateway whose status codes are `00`, `-1`, `-99`, `09`, `52`, ….
    public static let walletGateway: ProviderID = "wallet-gateway"

    public var description: String { rawValue }

    public static func < (lhs: ProviderID, rhs: ProviderID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
