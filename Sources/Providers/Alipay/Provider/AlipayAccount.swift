import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// Alipay's gateway as configured: the Alipay public key, and for each merchant (PID) the app that
/// calls for it and that app's private key.
///
/// ```yaml
/// providers:
///   alipay:
///     base_url: https://openapi.alipay.com/gateway.do
///     alipay_public_key_file: keys/alipay_public.pem
///     merchants:
///       "2088021109625633": { app_id: "2021000000000001", private_key_file: keys/alipay_app.pem }
/// ```
package struct AlipayAccount: ProviderAccount {
    /// One merchant's app and key file.
    package struct Merchant: Sendable, Hashable {
        package var pid: String
        package var appID: String
        /// The app's private key (PEM).
        package var privateKeyFile: String

        package init(pid: String, appID: String, privateKeyFile: String) {
            self.pid = pid
            self.appID = appID
            self.privateKeyFile = privateKeyFile
        }
    }

    public let provider = ProviderID.alipay
    /// The gateway's URL (`…/gateway.do`).
    public var baseURL: String
    /// The Alipay public key (PEM).
    package var alipayPublicKeyFile: String
    package var merchants: [Merchant]

    package init(baseURL: String, alipayPublicKeyFile: String, merchants: [Merchant]) {
        self.baseURL = baseURL
        self.alipayPublicKeyFile = alipayPublicKeyFile
        self.merchants = merchants
    }

    /// Reads the section; `nil` when it has no `base_url`.
    init?(_ section: any ProviderConfigSection) throws {
        guard let base = try section.baseURL() else { return nil }
        self.init(
            baseURL: base, alipayPublicKeyFile: try section.requiredPath(["alipay_public_key_file"]),
            merchants: try section.merchantIDs.map { pid in
                Merchant(
                    pid: pid, appID: try section.required(["merchants", pid, "app_id"]),
                    privateKeyFile: try section.requiredPath(["merchants", pid, "private_key_file"]))
            })
    }

    public var merchantIDs: [String] { merchants.map(\.pid) }
    public var secretFiles: [String] { merchants.map(\.privateKeyFile) }

    public func connect(http: HTTPClient, timeout: TimeAmount, clock: any RunClock) throws -> any PaymentProvider & BillSource {
        let alipayKey = try KeyFile.publicKey(at: alipayPublicKeyFile)
        let credentials = try merchants.map {
            AlipayCredentials(pid: $0.pid, appID: $0.appID, privateKey: try KeyFile.privateKey(at: $0.privateKeyFile), alipayPublicKey: alipayKey)
        }
        return AlipayClient(baseURL: baseURL, credentials: credentials, http: http, timeout: timeout, clock: clock)
    }
}
