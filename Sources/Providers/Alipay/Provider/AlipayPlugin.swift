import ReconBills
import ReconCore
import ReconProviders

extension ProviderID {
    /// Alipay (支付宝): the open platform's trade query and its daily trade bill.
    public static let alipay: ProviderID = "alipay"
}

/// Alipay merchants, named by their PID (`2088…`): `alipay.trade.query` and
/// `alipay.trade.fastpay.refund.query`, the trade detail file of `bill_type=trade`, and the
/// gateway's codes and `ACQ.*`, `isp.*`, `isv.*` sub-codes.
package struct AlipayPlugin: ProviderPlugin {
    package init() {}

    package var profile: ProviderProfile { Self.profile }

    package static let profile = ProviderProfile(
        id: .alipay, name: "Alipay",
        merchantIDRule: MerchantIDRule(
            characters: .digits, lengths: 16...16, prefix: "2088",
            shape: "an Alipay PID (16 digits starting 2088, such as 2088021109625633)"),
        catalogs: [.alipay])

    /// Alipay's codes, for its client's messages.
    static let codes = ErrorCodeBook(catalogs: profile.catalogs)

    package var billFormats: [any BillFormatReader] { [AlipayBillFormat()] }

    package var settingKeys: [String] { ["alipay_public_key_file", "merchants.*.app_id", "merchants.*.private_key_file"] }

    package func account(from section: any ProviderConfigSection) throws -> (any ProviderAccount)? {
        try AlipayAccount(section)
    }
}

/// Alipay's trade detail file (`<PID>0156_<yyyyMMdd>_业务明细.csv`), GBK inside a `.csv.zip` as
/// Alipay delivers it; the reader unpacks and decodes it before this format sees it.
struct AlipayBillFormat: BillFormatReader {
    static let format = BillFormat(provider: .alipay, type: "trade", generation: "detail", kinds: [.payment, .refund])
    static let title = "#支付宝业务明细查询"

    let provider = ProviderID.alipay
    let described = "Alipay trade detail files (…_业务明细.csv, or the .csv.zip Alipay delivers)"

    func matches(_ header: [String]) -> Bool {
        header.count == 1 && header[0].hasPrefix(Self.title)
    }

    func decoder(
        header: [String], file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (consuming BillEntry) -> Void
    ) throws -> any BillRowDecoder {
        AlipayBillDecoder(file: file, expectation: expectation, zone: zone, onEntry: onEntry)
    }

    func hint(forUnknownFirstLine line: String) -> String? {
        if line.hasPrefix("#支付宝业务汇总查询") {
            return "It is Alipay's summary file (…_业务明细(汇总).csv): pass the detail file (…_业务明细.csv), or the whole .csv.zip."
        }
        if line.contains("支付宝") {
            return "It looks like an Alipay statement, not the trade detail file of bill_type=trade."
        }
        return nil
    }
}
