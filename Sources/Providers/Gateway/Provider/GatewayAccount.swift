import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// The gateway's API as configured: each merchant's secret file.
///
/// ```yaml
/// providers:
///   gateway:
///     base_url: https://gateway.example.com
///     merchants:
///       "800100200": { secret_file: keys/800100200.secret }
/// ```
package struct GatewayAccount: ProviderAccount {
    /// One merchant's secret file.
    package struct Merchant: Sendable, Hashable {
        package var merchantNo: String
        /// The file holding the merchant's secret key on its first line.
        package var secretFile: String

        package init(merchantNo: String, secretFile: String) {
            self.merchantNo = merchantNo
            self.secretFile = secretFile
        }
    }

    public let provider = ProviderID.gateway
    public var baseURL: String
    package var merchants: [Merchant]

    package init(baseURL: String, merchants: [Merchant]) {
        self.baseURL = baseURL
        self.merchants = merchants
    }

    /// Reads the section; `nil` when it has no `base_url`.
    init?(_ section: any ProviderConfigSection) throws {
        guard let base = try section.baseURL() else { return nil }
        self.init(
            baseURL: base,
            merchants: try section.merchantIDs.map {
                Merchant(merchantNo: $0, secretFile: try section.requiredPath(["merchants", $0, "secret_file"]))
            })
    }

    public var merchantIDs: [String] { merchants.map(\.merchantNo) }
    public var secretFiles: [String] { merchants.map(\.secretFile) }

    public func connect(http: HTTPClient, timeout: TimeAmount, clock: any RunClock) throws -> any PaymentProvider & BillSource {
        let credentials = try merchants.map {
            GatewayCredentials(merchantNo: $0.merchantNo, secret: try KeyFile.secret(at: $0.secretFile))
        }
        return GatewayClient(baseURL: baseURL, credentials: credentials, http: http, timeout: timeout, clock: clock)
    }
}
