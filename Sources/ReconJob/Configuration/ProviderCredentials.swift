import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// The provider clients of a run, built from ``ProviderSettings`` once the key files are read.
public struct ProviderCredentials: Sendable {
    /// WeChat Pay merchants' keys.
    public var wechatPay: [WeChatPayCredentials] = []
    /// Gateway merchants' secrets.
    public var gateway: [GatewayCredentials] = []

    /// Reads every key file the settings name.
    /// - Throws: ``ReconError`` with status `usage` naming the file when one is missing, is not a
    ///   key, or may be read by group or others. The message never holds key material.
    public init(_ settings: ProviderSettings) throws {
        do {
            if let wechat = settings.wechatPay {
                let platformKey = try KeyFile.publicKey(at: wechat.platformPublicKeyFile)
                wechatPay = try wechat.merchants.map { merchant in
                    WeChatPayCredentials(
                        merchantID: merchant.merchantID, serialNumber: merchant.serialNumber,
                        privateKey: try KeyFile.privateKey(at: merchant.privateKeyFile), platformKeyID: wechat.platformKeyID,
                        platformKey: platformKey)
                }
            }
            if let gateway = settings.gateway {
                self.gateway = try gateway.merchants.map {
                    GatewayCredentials(merchantNo: $0.merchantNo, secret: try KeyFile.secret(at: $0.secretFile))
                }
            }
        } catch let problem as KeyFile.Problem {
            throw ReconError.usage(problem.description)
        }
    }

    /// The clients, over one HTTP client.
    public func clients(_ settings: ProviderSettings, http: HTTPClient, clock: any RunClock) -> [any PaymentProvider] {
        var clients: [any PaymentProvider] = []
        if let wechat = settings.wechatPay {
            clients.append(
                WeChatPayClient(baseURL: wechat.baseURL, credentials: wechatPay, http: http, timeout: .seconds(Int64(settings.timeoutSeconds)), clock: clock))
        }
        if let gateway = settings.gateway {
            clients.append(
                GatewayClient(baseURL: gateway.baseURL, credentials: self.gateway, http: http, timeout: .seconds(Int64(settings.timeoutSeconds)), clock: clock))
        }
        return clients
    }
}
