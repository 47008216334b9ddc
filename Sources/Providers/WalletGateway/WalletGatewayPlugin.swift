import ReconCore
import ReconProviders

extension ProviderID {
    /// The WeChat/Alipay wallet gateway whose status codes are `00`, `-1`, `-99`, `09`, `52`, ….
    public static let walletGateway: ProviderID = "wallet-gateway"
}

/// The WeChat/Alipay wallet gateway: its status codes, so orders its calls left behind are
/// explained and queried by category. order-recon reads none of its bills and has no client for it.
package struct WalletGatewayPlugin: ProviderPlugin {
    package init() {}

    package let profile = ProviderProfile(
        id: .walletGateway, name: "wallet gateway", merchantIDRule: .general(for: .walletGateway), catalogs: [.walletGateway])
}
