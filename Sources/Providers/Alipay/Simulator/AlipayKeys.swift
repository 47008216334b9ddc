import CryptoExtras
import SimulatorKit

/// Alipay's test keys in a simulator's folder, one app per merchant:
///
/// | file | holder | use |
/// |---|---|---|
/// | `alipay_app_<app_id>_private.pem` | order-recon | signs the app's requests |
/// | `alipay_app_<app_id>_public.pem` | simulator | verifies them |
/// | `alipay_platform_private.pem` | simulator | signs answers |
/// | `alipay_platform_public.pem` | order-recon | verifies them (the Alipay public key) |
extension SimulatorKeys {
    /// The app that calls for merchant `pid` in a simulated setup: `2021` and the PID's other 12 digits.
    public static func alipayAppID(for pid: String) -> String { "2021" + pid.dropFirst(4) }
    /// The merchant an app of ``alipayAppID(for:)`` calls for.
    public static func alipayPID(forApp app: String) -> String { "2088" + app.dropFirst(4) }

    public func alipayAppPrivateKey(_ appID: String) -> String { file("alipay_app_\(appID)_private.pem") }
    public func alipayAppPublicKey(_ appID: String) -> String { file("alipay_app_\(appID)_public.pem") }
    public var alipayPlatformPrivateKey: String { file("alipay_platform_private.pem") }
    public var alipayPlatformPublicKey: String { file("alipay_platform_public.pem") }

    /// Writes the platform key and each merchant's app key pair, keeping any that exist.
    func generateAlipay(_ merchants: [String]) throws {
        try createFolder()
        if !exists(alipayPlatformPrivateKey) {
            let platform = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(platform.pemRepresentation, to: alipayPlatformPrivateKey, secret: true)
            try write(platform.publicKey.pemRepresentation, to: alipayPlatformPublicKey, secret: false)
        }
        for pid in merchants where !exists(alipayAppPrivateKey(Self.alipayAppID(for: pid))) {
            let app = Self.alipayAppID(for: pid)
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            try write(key.pemRepresentation, to: alipayAppPrivateKey(app), secret: true)
            try write(key.publicKey.pemRepresentation, to: alipayAppPublicKey(app), secret: false)
        }
    }
}
