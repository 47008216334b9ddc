import AsyncHTTPClient
import Crypto
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// WeChat Pay's API as configured: the WeChat Pay public key answers are verified with (or, for
/// merchants not yet on it, each one's APIv3 key, which opens the platform certificates), and each
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
///       "1900000120": { serial_no: 3D2A…, private_key_file: keys/1900000120.pem, apiv3_key_file: keys/1900000120.apiv3 }
///       "1900000201": { sp_mchid: "1900000100", serial_no: …, private_key_file: keys/1900000100.pem }   # a sub-merchant
/// ```
package struct WeChatPayAccount: ProviderAccount {
    /// One merchant's key files.
    package struct Merchant: Sendable, Hashable {
        package var merchantID: String
        /// The serial number of the merchant's API certificate.
        package var serialNumber: String
        /// The merchant's API private key (PEM).
        package var privateKeyFile: String
        /// The merchant's APIv3 key (32 characters), when its answers are checked with the
        /// platform certificates rather than the WeChat Pay public key.
        package var apiv3KeyFile: String?
        /// The service provider (`sp_mchid`) whose keys call for this sub-merchant, if it is one;
        /// `serial_no` and `private_key_file` are then the service provider's.
        package var serviceProviderID: String?

        package init(
            merchantID: String, serialNumber: String, privateKeyFile: String, apiv3KeyFile: String? = nil,
            serviceProviderID: String? = nil
        ) {
            self.merchantID = merchantID
            self.serialNumber = serialNumber
            self.privateKeyFile = privateKeyFile
            self.apiv3KeyFile = apiv3KeyFile
            self.serviceProviderID = serviceProviderID
        }
    }

    public let provider = ProviderID.wechatPay
    public var baseURL: String
    /// The id of the WeChat Pay public key answers are signed with (`Wechatpay-Serial`), when configured.
    package var platformKeyID: String?
    /// The WeChat Pay public key (PEM), when configured.
    package var platformPublicKeyFile: String?
    package var merchants: [Merchant]

    package init(baseURL: String, platformKeyID: String?, platformPublicKeyFile: String?, merchants: [Merchant]) {
        self.baseURL = baseURL
        self.platformKeyID = platformKeyID
        self.platformPublicKeyFile = platformPublicKeyFile
        self.merchants = merchants
    }

    /// Reads the section; `nil` when it has no `base_url`.
    init?(_ section: any ProviderConfigSection) throws {
        guard let base = try section.baseURL() else { return nil }
        let usesPublicKey = section.string(["platform_key_id"]) != nil || section.string(["platform_public_key_file"]) != nil
        self.init(
            baseURL: base, platformKeyID: usesPublicKey ? try section.required(["platform_key_id"]) : nil,
            platformPublicKeyFile: usesPublicKey ? try section.requiredPath(["platform_public_key_file"]) : nil,
            merchants: try section.merchantIDs.map { id in
                let apiv3 = section.string(["merchants", id, "apiv3_key_file"]) != nil
                if !usesPublicKey && !apiv3 {
                    throw ProviderConfigProblem(
                        "providers.wechatpay needs platform_key_id and platform_public_key_file (the WeChat Pay public key), or "
                            + "merchant \(id) needs apiv3_key_file (its APIv3 key, for the platform certificates).")
                }
                let serviceProvider = try Self.serviceProvider(of: id, in: section)
                return Merchant(
                    merchantID: id, serialNumber: try section.required(["merchants", id, "serial_no"]),
                    privateKeyFile: try section.requiredPath(["merchants", id, "private_key_file"]),
                    apiv3KeyFile: apiv3 ? try section.requiredPath(["merchants", id, "apiv3_key_file"]) : nil,
                    serviceProviderID: serviceProvider)
            })
    }

    /// The service provider merchant `id` is configured under (`sp_mchid`), if any.
    static func serviceProvider(of id: String, in section: any ProviderConfigSection) throws -> String? {
        guard let parent = section.string(["merchants", id, "sp_mchid"]) else { return nil }
        if let problem = WeChatPayPlugin.profile.merchantIDRule.problem(parent) {
            throw ProviderConfigProblem("providers.wechatpay.merchants.\(id).sp_mchid: \(problem).")
        }
        return parent
    }

    public var merchantIDs: [String] { merchants.map(\.merchantID) }
    public var secretFiles: [String] { merchants.flatMap { [$0.privateKeyFile] + ($0.apiv3KeyFile.map { [$0] } ?? []) } }

    public func connect(http: HTTPClient, timeout: TimeAmount, clock: any RunClock) throws -> any PaymentProvider & BillSource {
        let publicKey = try platformPublicKeyFile.map(KeyFile.publicKey(at:))
        let credentials = try merchants.map { merchant in
            let platform: WeChatPayPlatform
            if let file = merchant.apiv3KeyFile {
                let key = try KeyFile.secret(at: file)
                guard key.bitCount == 256 else {
                    throw KeyFile.Problem(description: "\(file): an APIv3 key is 32 characters on the file's first line. Copy it from the merchant platform.")
                }
                platform = WeChatPayPlatform(.certificates(apiv3Key: key))
            } else if let publicKey, let platformKeyID {
                platform = WeChatPayPlatform(.publicKey(id: platformKeyID, key: publicKey))
            } else {
                throw KeyFile.Problem(
                    description: "WeChat Pay merchant \(merchant.merchantID) has neither the WeChat Pay public key nor an APIv3 key file configured.")
            }
            return WeChatPayCredentials(
                merchantID: merchant.merchantID, serialNumber: merchant.serialNumber,
                privateKey: try KeyFile.privateKey(at: merchant.privateKeyFile), platform: platform,
                serviceProviderID: merchant.serviceProviderID)
        }
        return WeChatPayClient(baseURL: baseURL, credentials: credentials, http: http, timeout: timeout, clock: clock)
    }
}
