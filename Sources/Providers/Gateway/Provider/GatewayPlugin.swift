import ReconBills
import ReconCore
import ReconProviders

extension ProviderID {
    /// The payment gateway whose error codes are P01, E01–E03, S01–S11, ….
    public static let gateway: ProviderID = "gateway"
}

/// The payment gateway: signed JSON order and refund queries, its daily bill
/// (docs/gateway-bill.md) and its error codes.
package struct GatewayPlugin: ProviderPlugin {
    package init() {}

    package var profile: ProviderProfile { Self.profile }

    package static let profile = ProviderProfile(
        id: .gateway, name: "gateway",
        merchantIDRule: MerchantIDRule(
            characters: .lettersAndDigits, lengths: 1...32,
            shape: "a gateway merchant number (1 to 32 letters or digits, such as 800100200)"),
        catalogs: [.gateway])

    /// The gateway's codes, for its client's messages.
    static let codes = ErrorCodeBook(catalogs: profile.catalogs)

    package var billFormats: [any BillFormatReader] { [GatewayBillFormat()] }

    package var settingKeys: [String] { ["merchants.*.secret_file"] }

    package func account(from section: any ProviderConfigSection) throws -> (any ProviderAccount)? {
        try GatewayAccount(section)
    }
}

/// The gateway's daily bill: quoted CSV, one total row per currency.
struct GatewayBillFormat: BillFormatReader {
    let provider = ProviderID.gateway
    let described = "gateway daily bills (docs/gateway-bill.md)"

    func matches(_ header: [String]) -> Bool { GatewayBillDecoder.matches(header) }

    func decoder(
        header: [String], file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (consuming BillEntry) -> Void
    ) throws -> any BillRowDecoder {
        try GatewayBillDecoder(header: header, file: file, expectation: expectation, zone: zone, onEntry: onEntry)
    }
}
