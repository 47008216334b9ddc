import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// WeChat Pay's API as configured: the WeChat Pay public key answers are verified with, and each
/// merchant's certificate serial and private key file.
///
/// ```yaml
/// providers:
///   wechatpay:
///     base_url: https://api.mch.weixin.qq.com
///     platform_key_id: PUB_KEY_ID_0114232806042503
///     platform_public_key_file: keys/wechatpay_public.pem
///     merchants:
///       "1900000109": { serial_no: 5157F09E…, private_key_file: keys/1900000109.pem }
/// ```
package struct WeChatPayAccount: ProviderAccount {
    /// One merchant's key files.
    package struct Merchant: Sendable, Hashable {
        package var merchantID: String
        /// The serial number of the merchant's API certificate.
        package var serialNumber: String
        /// The merchant's API private key (PEM).
        package var privateKeyFile: String

        package init(merchantID: String, serialNumber: String, privateKeyFile: String) {
            self.merchantID = merchantID
            self.serialNumber = serialNumber
            self.privateKeyFile = privateKeyFile
        }
    }

    public let provider = ProviderID.wechatPay
    public var baseURL: String
    /// The id of the WeChat Pay public key answers are signed with (`Wechatpay-Serial`).
    package var platformKeyID: String
    /// The WeChat Pay public key (PEM).
    package var platformPublicKeyFile: String
    package var merchants: [Merchant]

    package init(baseURL: String, platformKeyID: String, platformPublicKeyFile: String, merchants: [Merchant]) {
        self.baseURL = baseURL
        self.platformKeyID = platformKeyID
        self.platformPublicKeyFile = platformPublicKeyFile
        self.merchants = merchants
    }

    /// Reads the section; `nil` when it has no `base_url`.
    init?(_ section: any ProviderConfigSection) throws {
        guard let base = try section.baseURL() else { return nil }
        self.init(
            baseURL: base, platformKeyID: try section.required(["platform_key_id"]),
            platformPublicKeyFile: try section.requiredPath(["platform_public_key_file"]),
            merchants: try section.merchantIDs.map { id in
                Merchant(
                    merchantID: id, serialNumber: try section.required(["merchants", id, "serial_no"]),
                    privateKeyFile: try section.requiredPath(["merchants", id, "private_key_file"]))
            })
    }

    public var merchantIDs: [String] { merchants.map(\.merchantID) }
    public var secretFiles: [String] { merchants.map(\.privateKeyFile) }

    public func connect(http: HTTPClient, timeout: TimeAmount, clock: any RunClock) throws -> any PaymentProvider & BillSource {
        let platformKey = try KeyFile.publicKey(at: platformPublicKeyFile)
        let credentials = try merchants.map { merchant in
            WeChatPayCredentials(
                merchantID: merchant.merchantID, serialNumber: merchant.serialNumber,
                privateKey: try KeyFile.privateKey(at: merchant.privateKeyFile), platformKeyID: platformKeyID,
                platformKey: platformKey)
        }
        return WeChatPayClient(baseURL: baseURL, credentials: credentials, http: http, timeout: timeout, clock: clock)
    }
}
