import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore
import ReconProviders

/// The keys of every configured merchant, read from the key files ``ProviderSettings`` names.
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
}
