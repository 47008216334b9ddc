import ReconCore

/// The documented name of a bill file: `<provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv[.gz]`.
///
/// `wechatpay_1900000109_2026-11-20_ALL.csv.gz` is the ALL bill of WeChat Pay merchant
/// 1900000109 for 2026-11-20; `gateway_800100200_2026-11-20.csv` a gateway daily bill.
public struct BillFileName: Hashable, Sendable {
    /// The merchant.
    public var merchant: MerchantRef
    /// The bill day.
    public var day: CivilDate
    /// `ALL`, `SUCCESS` or `REFUND` for WeChat Pay; `nil` for the gateway.
    public var type: String?

    /// WeChat Pay bill types a name may carry.
    public static let wechatTypes = ["ALL", "SUCCESS", "REFUND"]

    /// Creates a name.
    public init(merchant: MerchantRef, day: CivilDate, type: String? = nil) {
        self.merchant = merchant
        self.day = day
        self.type = type
    }

    /// Parses a file name (without folders); `nil` when it does not follow the convention or its
    /// merchant id is not of its provider's shape (``invalidMerchant(inFileName:)`` says which).
    public init?(fileName: String) {
        guard let parsed = Self.parts(of: fileName), Identifier.problem(parsed.merchant) == nil else { return nil }
        self.init(merchant: parsed.merchant, day: parsed.day, type: parsed.type)
    }

    /// What is wrong with the merchant id of a name that otherwise follows the convention.
    public static func invalidMerchant(inFileName fileName: String) -> String? {
        parts(of: fileName).flatMap { Identifier.problem($0.merchant) }
    }

    private static func parts(of fileName: String) -> (merchant: MerchantRef, day: CivilDate, type: String?)? {
        var stem = Substring(fileName)
        if stem.hasSuffix(".gz") { stem = stem.dropLast(3) }
        guard stem.hasSuffix(".csv") else { return nil }
        stem = stem.dropLast(4)
        var parts = stem.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        var type: String?
        if let last = parts.last, Self.wechatTypes.contains(last) {
            type = last
            parts.removeLast()
        }
        guard parts.count >= 3, let day = CivilDate(parts[parts.count - 1]) else { return nil }
        let provider = ProviderID(rawValue: parts[0])
        let merchantID = parts[1..<(parts.count - 1)].joined(separator: "_")
        guard ReconConfig.knownProviders.contains(provider), (provider == .wechatPay) == (type != nil) else { return nil }
        return (MerchantRef(provider: provider, merchantID: merchantID), day, type)
    }

    /// The file name, without `.gz`.
    public var fileName: String {
        "\(merchant.provider)_\(merchant.merchantID)_\(day)" + (type.map { "_\($0)" } ?? "") + ".csv"
    }

    /// The kinds of row a bill of this name lists.
    public var kinds: Set<BillEntry.Kind> {
        switch type {
        case "SUCCESS": [.payment]
        case "REFUND": [.refund]
        default: [.payment, .refund]
        }
    }
}
