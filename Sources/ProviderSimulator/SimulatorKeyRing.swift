import Crypto
import CryptoExtras
import ReconProviders
import Synchronization

/// The simulator's keys, read from a ``SimulatorKeys`` folder once each: the platform key at
/// start, each merchant's public key or secret the first time the merchant calls.
final class SimulatorKeyRing: Sendable {
    let folder: SimulatorKeys
    /// The key answers are signed with.
    let platformKey: _RSA.Signing.PrivateKey
    private let wechat = Mutex<[String: _RSA.Signing.PublicKey?]>([:])
    private let gateway = Mutex<[String: SymmetricKey?]>([:])

    init(_ folder: SimulatorKeys) throws {
        self.folder = folder
        self.platformKey = try KeyFile.privateKey(at: folder.platformPrivateKey)
    }

    /// A WeChat Pay merchant's public key; `nil` when the folder has none.
    func wechatPublicKey(_ merchant: String) -> _RSA.Signing.PublicKey? {
        wechat.withLock { cache in
            if let known = cache[merchant] { return known }
            let key = try? KeyFile.publicKey(at: folder.wechatPublicKey(merchant))
            cache[merchant] = .some(key)
            return key
        }
    }

    /// A gateway merchant's secret; `nil` when the folder has none.
    func gatewaySecret(_ merchant: String) -> SymmetricKey? {
        gateway.withLock { cache in
            if let known = cache[merchant] { return known }
            let secret = try? KeyFile.secret(at: folder.gatewaySecret(merchant))
            cache[merchant] = .some(secret)
            return secret
        }
    }
}
