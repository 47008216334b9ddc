import AlipayProvider
import CryptoExtras
import HTTPTypes
import Hummingbird
import ReconCore
import ReconProviders
import SimulatorKit

/// Alipay's gateway in the simulator (``AlipayRoutes``), answers signed with the platform key.
package struct AlipaySimulation: SimulatedProvider {
    package static let provider = ProviderID.alipay
    let platformKey: _RSA.Signing.PrivateKey

    package init(keys: SimulatorKeyRing) throws {
        platformKey = try KeyFile.privateKey(at: keys.folder.alipayPlatformPrivateKey)
    }

    package static func generateKeys(for merchants: [String], in keys: SimulatorKeys) throws {
        try keys.generateAlipay(merchants)
    }

    package static let sampleMerchantID = "2088021109625633"
    package static let sampleOrderStates = ["TRADE_SUCCESS", "TRADE_CLOSED", "WAIT_BUYER_PAY", "TRADE_FINISHED"]

    package static func account(baseURL: String, merchants: [String], keys: SimulatorKeys) -> any ProviderAccount {
        AlipayAccount(
            baseURL: baseURL + AlipayRoutes.gateway, alipayPublicKeyFile: keys.alipayPlatformPublicKey,
            merchants: merchants.map {
                .init(pid: $0, appID: SimulatorKeys.alipayAppID(for: $0), privateKeyFile: keys.alipayAppPrivateKey(SimulatorKeys.alipayAppID(for: $0)))
            })
    }

    package let downloadPaths: Set<String> = [AlipayRoutes.download]
    package let serverError: (status: HTTPResponse.Status, text: String) = (.badGateway, "502 Bad Gateway")

    package func register(on group: RouterGroup<SimulatorContext>, server: SimulatorServer) {
        AlipayRoutes(server: server, platformKey: platformKey).register(on: group)
    }
}
