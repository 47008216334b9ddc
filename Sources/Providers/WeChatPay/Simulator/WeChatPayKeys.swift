import CryptoExtras
import SimulatorKit

/// WeChat Pay's test keys in a simulator's folder:
///
/// | file | holder | use |
/// |---|---|---|
/// | `wechatpay_<mchid>_private.pem` | order-recon | signs the merchant's requests |
/// | `wechatpay_<mchid>_public.pem` | simulator | verifies them |
/// | `wechatpay_platform_private.pem` | simulator | signs answers |
/// | `wechatpay_platform_public.pem` | order-recon | verifies them |
extension SimulatorKeys {
    /// The serial number the merchants' certificates are given.
    public static let merchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
    /// The id of the WeChat Pay public key answers are signed with.
    public static let platformKeyID = "PUB_KEY_ID_0114232806042503"

    public func wechatPrivateKey(_ merchantID: String) -> String { file("wechatpay_\(merchantID)_private.pem") }
    public func wechatPublicKey(_ merchantID: String) -> String { file("wechatpay_\(merchantID)_public.pem") }
    public var platformPrivateKey: String { file("wechatpay_platform_private.pem") }
    public var platformPublicKey: String { file("wechatpay_platform_public.pem") }
    /// A merchant's APIv3 key: its answers are then signed as with platform certificates.
    public func wechatAPIv3Key(_ merchantID: String) -> String { file("wechatpay_\(merchantID)_apiv3.key") }

    /// Writes an APIv3 key for each of `merchants` (keeping any that exist), which the simulator
    /// then treats as merchants that verify answers with platform certificates.
    public func generateWeChatPayAPIv3Keys(_ merchants: [String]) throws {
        try createFolder()
        for merchant in merchants where !exists(wechatAPIv3Key(merchant)) {
            var generator = SystemRandomNumberGenerator()
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            let key = String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            try write(key + "\n", to: wechatAPIv3Key(merchant), secret: true)
        }
    }

    /// Writes the platform key and each merchant's key pair, keeping any that exist.
    func generateWeChatPay(_ merchants: [String]) throws {
        try createFolder()
        if !exists(platformPrivateKey) {
            let platform = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(platform.pemRepresentation, to: platformPrivateKey, secret: true)
            try write(platform.publicKey.pemRepresentation, to: platformPublicKey, secret: false)
        }
        for merchant in merchants where !exists(wechatPrivateKey(merchant)) {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(key.pemRepresentation, to: wechatPrivateKey(merchant), secret: true)
            try write(key.publicKey.pemRepresentation, to: wechatPublicKey(merchant), secret: false)
        }
    }
}
