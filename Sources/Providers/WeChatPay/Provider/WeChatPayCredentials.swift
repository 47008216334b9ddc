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
    /// What its answers are verified with.
    public var platform: WeChatPayPlatform
    /// The service provider (服务商, `sp_mchid`) that calls for this sub-merchant with its own keys,
    /// when the merchant is one; `nil` for a direct merchant.
    public var serviceProviderID: String?

    /// The merchant id that signs the calls: the service provider's, or the merchant's own.
    public var signingMerchantID: String { serviceProviderID ?? merchantID }

    /// Credentials of a merchant whose answers are signed with the WeChat Pay public key.
    public init(
        merchantID: String, serialNumber: String, privateKey: _RSA.Signing.PrivateKey, platformKeyID: String,
        platformKey: _RSA.Signing.PublicKey
    ) {
        self.init(
            merchantID: merchantID, serialNumber: serialNumber, privateKey: privateKey,
            platform: WeChatPayPlatform(.publicKey(id: platformKeyID, key: platformKey)))
    }

    /// Credentials of a merchant whose answers are verified as `platform` says; for a
    /// sub-merchant, `serviceProviderID` names the service provider whose keys these are.
    public init(
        merchantID: String, serialNumber: String, privateKey: _RSA.Signing.PrivateKey, platform: WeChatPayPlatform,
        serviceProviderID: String? = nil
    ) {
        self.merchantID = merchantID
        self.serialNumber = serialNumber
        self.privateKey = privateKey
        self.platform = platform
        self.serviceProviderID = serviceProviderID
    }

    public var description: String {
        "WeChat Pay merchant \(merchantID) (certificate serial \(serialNumber), answers checked with \(platform.name), keys not shown)"
    }
}
