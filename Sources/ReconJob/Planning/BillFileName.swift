import ProviderPlugins
import ReconCore

/// The documented name of a bill file: `<provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv[.gz|.zip]`.
///
/// `wechatpay_1900000109_2026-11-20_ALL.csv.gz` is the ALL bill of WeChat Pay merchant
/// 1900000109 for 2026-11-20; `gateway_800100200_2026-11-20.csv` a gateway daily bill.
public struct BillFileName: Hashable, Sendable {
    /// The merchant.
    public var merchant: MerchantRef
    /// The bill day.
    public var day: CivilDate
    /// The bill type, for a provider with several (``ProviderProfile/billTypes``: `ALL`,
    /// `SUCCESS` or `REFUND` for WeChat Pay); `nil` for a provider with one (the gateway).
    public var type: String?

    /// Creates a name.
    public init(merchant: MerchantRef, day: CivilDate, type: String? = nil) {
        self.merchant = merchant
        self.day = day
        self.type = type
    }

    /// The name of the bill order-recon downloads for `merchant` on `day`: the provider's first
    /// bill type (WeChat Pay's `ALL`), or none.
    public static func downloaded(merchant: MerchantRef, day: CivilDate) -> BillFileName {
        BillFileName(merchant: merchant, day: day, type: Providers.directory.billTypes(of: merchant.provider).first?.name)
    }

    /// Parses a file name (without folders); `nil` when it does not follow the convention or its
    /// merchant id is not of its provider's shape (``invalidMerchant(inFileName:)`` says which).
    public init?(fileName: String) {
        guard let parsed = Self.parts(of: fileName), Providers.directory.problem(parsed.merchant) == nil else { return nil }
        self.init(merchant: parsed.merchant, day: parsed.day, type: parsed.type)
    }

    /// What is wrong with the merchant id of a name that otherwise follows the convention.
    public static func invalidMerchant(inFileName fileName: String) -> String? {
        parts(of: fileName).flatMap { Providers.directory.problem($0.merchant) }
    }

    private static func parts(of fileName: String) -> (merchant: MerchantRef, day: CivilDate, type: String?)? {
        var stem = Substring(fileName)
        if let packing = packings.first(where: { !$0.isEmpty && stem.hasSuffix($0) }) { stem = stem.dropLast(packing.count) }
        guard stem.hasSuffix(".csv") else { return nil }
        stem = stem.dropLast(4)
        var parts = stem.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        let provider = ProviderID(rawValue: parts[0])
        guard ReconConfig.knownProviders.contains(provider) else { return nil }
        let types = Providers.directory.billTypes(of: provider).map(\.name)
        var type: String?
        if let last = parts.last, types.contains(last) {
            type = last
            parts.removeLast()
        }
        guard types.isEmpty == (type == nil), parts.count >= 3, let day = CivilDate(parts[parts.count - 1]) else { return nil }
        let merchantID = parts[1..<(parts.count - 1)].joined(separator: "_")
        return (MerchantRef(provider: provider, merchantID: merchantID), day, type)
    }

    /// How a bill file may be packed after `.csv`: as it is, gzipped, or in a ZIP archive.
    public static let packings = ["", ".gz", ".zip"]

    /// The file name, without `.gz` or `.zip`.
    public var fileName: String {
        "\(merchant.provider)_\(merchant.merchantID)_\(day)" + (type.map { "_\($0)" } ?? "") + ".csv"
    }

    /// The kinds of row a bill of this name lists.
    public var kinds: Set<BillEntry.Kind> {
        Providers.directory.billTypes(of: merchant.provider).first { $0.name == type }?.kinds ?? [.payment, .refund]
    }
}
