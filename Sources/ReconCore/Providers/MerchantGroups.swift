/// Merchants whose bill holds other merchants' rows: a WeChat Pay service provider (服务商) and the
/// sub-merchants (特约商户) configured under it. A bill named for a service provider covers exactly
/// its configured sub-merchants, each row naming its own; a bill named for any other merchant covers
/// that merchant alone.
public struct MerchantGroups: Hashable, Sendable {
    /// Each service provider's sub-merchants, in order.
    public private(set) var members: [MerchantRef: [MerchantRef]] = [:]

    /// No groups: every bill covers the merchant it is named for.
    public init() {}

    /// Records that `member` is a sub-merchant of `parent` (of the same provider).
    public mutating func add(_ member: MerchantRef, to parent: MerchantRef) {
        guard !(members[parent]?.contains(member) ?? false) else { return }
        members[parent, default: []].append(member)
        members[parent]!.sort()
    }

    /// The merchants a bill named for `merchant` covers: a service provider's sub-merchants, else `merchant` itself.
    public func covered(by merchant: MerchantRef) -> [MerchantRef] {
        members[merchant] ?? [merchant]
    }

    /// The service provider `merchant` is configured under, if any.
    public func parent(of merchant: MerchantRef) -> MerchantRef? {
        members.first { $0.value.contains(merchant) }?.key
    }

    /// `true` when `merchant` has sub-merchants configured under it.
    public func isGroup(_ merchant: MerchantRef) -> Bool { members[merchant] != nil }
}
