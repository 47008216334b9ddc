import CryptoExtras
import HTTPTypes
import Hummingbird
import ReconCore
import ReconProviders
import SimulatorKit
import WeChatPayProvider

/// WeChat Pay APIv3 in the simulator (``WeChatPayRoutes``), answers signed with the platform key.
package struct WeChatPaySimulation: SimulatedProvider {
    package static let provider = ProviderID.wechatPay
    let platformKey: _RSA.Signing.PrivateKey
    let certificate: WeChatPayPlatformCertificate

    package init(keys: SimulatorKeyRing) throws {
        platformKey = try KeyFile.privateKey(at: keys.folder.platformPrivateKey)
        certificate = try WeChatPayPlatformCertificate(key: platformKey)
    }

    package static func generateKeys(for merchants: [String], in keys: SimulatorKeys) throws {
        try keys.generateWeChatPay(merchants)
    }

    package static let sampleMerchantID = "1900000109"
    package static let sampleOrderStates = ["SUCCESS", "CLOSED", "NOTPAY", "PAYERROR"]

    package static func account(baseURL: String, merchants: [String], keys: SimulatorKeys) -> any ProviderAccount {
        WeChatPayAccount(
            baseURL: baseURL, platformKeyID: SimulatorKeys.platformKeyID, platformPublicKeyFile: keys.platformPublicKey,
            merchants: merchants.map {
                .init(merchantID: $0, serialNumber: SimulatorKeys.merchantSerial, privateKeyFile: keys.wechatPrivateKey($0))
            })
    }

    package let downloadPaths: Set<String> = ["/v3/billdownload/file"]
    package let serverError: (status: HTTPResponse.Status, text: String) = (.badGateway, "502 Bad Gateway")

    package func register(on group: RouterGroup<SimulatorContext>, server: SimulatorServer) {
        WeChatPayRoutes(server: server, platformKey: platformKey, certificate: certificate).register(on: group)
    }
}
