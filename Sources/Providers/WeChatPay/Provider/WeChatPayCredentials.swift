import CryptoExtras
import ReconCore

/// What one WeChat Pay merchant needs to sign requests and verify answers.
///
/// Its description names the merchant and the serial numbers only, never key material.
public struct WeChatPayCredentials: Sendable, CustomStringConvertible {
    /// The merchant id (`mchid`).
    public var merchantID: String
    /// The serial number of the merchant's API certificate (`serial_no`).
    public var serialNumber: String
    /// The merchant's API private key.
    public var privateKey: _RSA.Signing.PrivateKey
    /// The id of the WeChat Pay public key (or platform certificate serial) answers are signed with.
    public var platformKeyID: String
    /// The WeChat Pay public key that verifies answers.
    public var platformKey: _RSA.Signing.PublicKey

    /// Creates credentials.
    public init(
        merchantID: String, serialNumber: String, privateKey: _RSA.Signing.PrivateKey, platformKeyID: String,
        platformKey: _RSA.Signing.PublicKey
    ) {
        self.merchantID = merchantID
        self.serialNumber = serialNumber
        self.privateKey = privateKey
        self.platformKeyID = platformKeyID
        self.platformKey = platformKey
    }

    public var description: String {
        "WeChat Pay merchant \(merchantID) (certificate serial \(serialNumber), platform key \(platformKeyID), keys not shown)"
    }
}
