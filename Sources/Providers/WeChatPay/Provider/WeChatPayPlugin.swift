import ReconBills
import ReconCore
import ReconProviders

extension ProviderID {
    /// WeChat Pay (APIv3 and its trade bills).
    public static let wechatPay: ProviderID = "wechatpay"
}

/// WeChat Pay direct merchants: APIv3 order, combine and refund queries, the trade bill of every
/// state (`ALL`), and the APIv3, mini-program and card error codes.
package struct WeChatPayPlugin: ProviderPlugin {
    package init() {}

    package var profile: ProviderProfile { Self.profile }

    package static let profile = ProviderProfile(
        id: .wechatPay, name: "WeChat Pay",
        merchantIDRule: MerchantIDRule(
            characters: .digits, lengths: 1...32, shape: "a WeChat Pay merchant id (1 to 32 digits, such as 1900000109)"),
        catalogs: [.wechatPayV3, .wechatMiniProgram, .wechatCard],
        billTypes: [
            BillFileType(name: "ALL", kinds: [.payment, .refund]), BillFileType(name: "SUCCESS", kinds: [.payment]),
            BillFileType(name: "REFUND", kinds: [.refund]),
        ])

    /// WeChat Pay's codes, for its client's messages.
    static let codes = ErrorCodeBook(catalogs: profile.catalogs)

    package var billFormats: [any BillFormatReader] { [WeChatBillFormat()] }

    package var settingKeys: [String] {
        ["platform_key_id", "platform_public_key_file", "merchants.*.serial_no", "merchants.*.private_key_file", "merchants.*.apiv3_key_file", "merchants.*.sp_mchid"]
    }

    package func account(from section: any ProviderConfigSection) throws -> (any ProviderAccount)? {
        try WeChatPayAccount(section)
    }

    /// Each sub-merchant under its service provider (`merchants.<sub_mchid>.sp_mchid`). A service
    /// provider is not itself one of the section's merchants, nor a sub-merchant of another.
    package func merchantGroups(from section: any ProviderConfigSection) throws -> [(member: String, parent: String)] {
        let pairs = try section.merchantIDs.compactMap { id -> (member: String, parent: String)? in
            guard let parent = try WeChatPayAccount.serviceProvider(of: id, in: section) else { return nil }
            return (id, parent)
        }
        for pair in pairs where section.merchantIDs.contains(pair.parent) {
            throw ProviderConfigProblem(
                "providers.wechatpay.merchants.\(pair.member).sp_mchid names \(pair.parent), which is itself listed under "
                    + "providers.wechatpay.merchants: a bill named for a service provider is read as its sub-merchants' bill. "
                    + "List the service provider's own keys under each sub-merchant, not as a merchant.")
        }
        return pairs
    }
}
