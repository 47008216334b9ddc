import CryptoExtras

/// What one Alipay merchant (a PID) needs: the app that calls for it, the app's private key, and
/// the Alipay public key answers are verified with. Its description never holds key material.
public struct AlipayCredentials: Sendable, CustomStringConvertible {
    /// The merchant's PID (`2088…`).
    public var pid: String
    /// The app that calls for the merchant (`app_id`).
    public var appID: String
    /// The app's private key, which signs requests.
    public var privateKey: _RSA.Signing.PrivateKey
    /// The Alipay public key, which verifies answers.
    public var alipayPublicKey: _RSA.Signing.PublicKey

    public init(pid: String, appID: String, privateKey: _RSA.Signing.PrivateKey, alipayPublicKey: _RSA.Signing.PublicKey) {
        self.pid = pid
        self.appID = appID
        self.privateKey = privateKey
        self.alipayPublicKey = alipayPublicKey
    }

    public var description: String { "Alipay merchant \(pid) through app \(appID) (keys not shown)" }
}
