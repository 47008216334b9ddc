import AlipayProvider
import GatewayProvider
import ReconBills
import ReconCore
import ReconProviders
import WalletGatewayProvider
import WeChatPayProvider

/// The providers order-recon knows, one line each. A provider is a folder under
/// `Sources/Providers/` (its profile, bill formats, client and configuration, and its simulator
/// routes beside them) plus its line here, and its line in the simulator's list.
package enum Providers {
    package static let all: [any ProviderPlugin] = [
        GatewayPlugin(),
        WeChatPayPlugin(),
        AlipayPlugin(),
        WalletGatewayPlugin(),
    ]

    /// Their profiles, looked up by name.
    package static let directory = ProviderDirectory(all.map(\.profile))

    /// Every bill format they publish, in the order they are tried.
    package static let billFormats: [any BillFormatReader] = all.flatMap(\.billFormats)

    /// The providers order-recon reconciles: those whose bills it reads. The others lend their
    /// error codes only.
    package static let reconciled: [ProviderID] = all.filter { !$0.billFormats.isEmpty }.map(\.id)

    /// The plug-in of `provider`, when registered.
    package static func plugin(_ provider: ProviderID) -> (any ProviderPlugin)? { all.first { $0.id == provider } }
}
