import Crypto
import CryptoExtras
import Foundation
import ReconProviders

/// The test keys of a simulated setup, as files in one folder. They serve the simulator only.
///
/// | file | holder | use |
/// |---|---|---|
/// | `wechatpay_<mchid>_private.pem` | order-recon | signs the merchant's WeChat Pay requests |
/// | `wechatpay_<mchid>_public.pem` | simulator | verifies them |
/// | `wechatpay_platform_private.pem` | simulator | signs WeChat Pay answers |
/// | `wechatpay_platform_public.pem` | order-recon | verifies them |
/// | `gateway_<merchant>.secret` | both | signs and verifies gateway requests and answers |
///
/// Private keys and secrets are written with mode 0600.
public struct SimulatorKeys: Sendable {
    /// The folder.
    public let folder: String
    /// The serial number the merchants' certificates are given.
    public static let merchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    /// The id of the WeChat Pay public key answers are signed with.
    public static let platformKeyID = "PUB_KEY_ID_0114232806042503"

    public init(folder: String) { self.folder = folder }

    public func wechatPrivateKey(_ merchantID: String) -> String { folder + "/wechatpay_\(merchantID)_private.pem" }
    public func wechatPublicKey(_ merchantID: String) -> String { folder + "/wechatpay_\(merchantID)_public.pem" }
    public var platformPrivateKey: String { folder + "/wechatpay_platform_private.pem" }
    public var platformPublicKey: String { folder + "/wechatpay_platform_public.pem" }
    public func gatewaySecret(_ merchantNo: String) -> String { folder + "/gateway_\(merchantNo).secret" }

    /// Writes fresh keys for the given merchants (keeping any that exist).
    public func generate(wechatMerchants: [String], gatewayMerchants: [String]) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: platformPrivateKey) {
            let platform = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(platform.pemRepresentation, to: platformPrivateKey, secret: true)
            try write(platform.publicKey.pemRepresentation, to: platformPublicKey, secret: false)
        }
        for merchant in wechatMerchants where !FileManager.default.fileExists(atPath: wechatPrivateKey(merchant)) {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(key.pemRepresentation, to: wechatPrivateKey(merchant), secret: true)
            try write(key.publicKey.pemRepresentation, to: wechatPublicKey(merchant), secret: false)
        }
        for merchant in gatewayMerchants where !FileManager.default.fileExists(atPath: gatewaySecret(merchant)) {
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            try write(secret + "\n", to: gatewaySecret(merchant), secret: true)
        }
    }

    private func write(_ text: String, to path: String, secret: Bool) throws {
        let temporary = path + ".tmp"
        FileManager.default.createFile(
            atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: secret ? 0o600 : 0o644])
        try FileManager.default.setAttributes([.posixPermissions: secret ? 0o600 : 0o644], ofItemAtPath: temporary)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
