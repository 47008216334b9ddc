import Crypto
import ReconCore

/// What one gateway merchant needs to sign requests and verify answers.
///
/// Its description names the merchant only, never the secret.
public struct GatewayCredentials: Sendable, CustomStringConvertible {
    /// The gateway merchant number.
    public var merchantNo: String
    /// The merchant's secret key, shared with the gateway.
    public var secret: SymmetricKey

    /// Creates credentials.
    public init(merchantNo: String, secret: SymmetricKey) {
        self.merchantNo = merchantNo
        self.secret = secret
    }

    public var description: String { "gateway merchant \(merchantNo) (secret not shown)" }
}
