/// One worker's share of a night's merchants: shard `index` of `count` (`--shard 0/3`, `1/3`,
/// `2/3`), numbered from 0 as a Kubernetes Indexed Job numbers its pods.
///
/// A merchant belongs to the shard its key falls in: FNV-1a (64 bits) of `provider/merchant_id`
/// modulo `count`. The key depends on nothing but the merchant, so the split is the same on every
/// machine and every night, and each merchant (with its bills, queries and rate limit) is in
/// exactly one shard of a split.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// The shard, from 0 to `count − 1`.
    public let index: Int
    /// How many shards the merchants are split into.
    public let count: Int

    /// The whole night in one shard.
    public static let all = Shard(checkedIndex: 0, count: 1)

    private init(checkedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Shard `index` of `count`; `nil` unless `0 ≤ index < count ≤ 10,000`.
    public init?(index: Int, count: Int) {
        guard count >= 1, count <= 10_000, index >= 0, index < count else { return nil }
        self.init(checkedIndex: index, count: count)
    }

    /// Reads `I/N`, such as `0/3`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let index = Int(parts[0]), let count = Int(parts[1])
        else { return nil }
        self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether `merchant` is in this shard.
    public func owns(_ merchant: MerchantRef) -> Bool {
        Int(Self.key(of: merchant) % UInt64(count)) == index
    }

    /// Whether `merchant` is in this shard, a sub-merchant going with its service provider (whose
    /// one bill holds the rows of all its sub-merchants).
    public func owns(_ merchant: MerchantRef, in groups: MerchantGroups) -> Bool {
        owns(groups.parent(of: merchant) ?? merchant)
    }

    /// The shard of `count` that `merchant` is in.
    public static func of(_ merchant: MerchantRef, count: Int) -> Shard {
        Shard(checkedIndex: Int(key(of: merchant) % UInt64(count)), count: count)
    }

    /// The merchant's stable key: FNV-1a (64 bits) of the UTF-8 of `provider/merchant_id`.
    public static func key(of merchant: MerchantRef) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(merchant.provider.rawValue)/\(merchant.merchantID)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
