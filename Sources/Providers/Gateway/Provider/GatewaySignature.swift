import Crypto
import Foundation
import ReconCore

/// The gateway's request and response signatures (docs/gateway-api.md): HMAC-SHA256 with the
/// merchant's secret key, Base64, over lines that each end in `\n`.
public enum GatewaySignature {
    /// The message a request's signature covers: `METHOD\nPATH\nTIMESTAMP\nREQUEST_ID\nBODY\n`.
    public static func requestMessage(
        method: String, path: String, timestamp: Int64, requestID: String, body: some Collection<UInt8>
    ) -> [UInt8] {
        Array("\(method.uppercased())\n\(path)\n\(timestamp)\n\(requestID)\n".utf8) + body + [0x0A]
    }

    /// The message a response's signature covers: `TIMESTAMP\nREQUEST_ID\nBODY\n`.
    public static func responseMessage(timestamp: String, requestID: String, body: some Collection<UInt8>) -> [UInt8] {
        Array("\(timestamp)\n\(requestID)\n".utf8) + body + [0x0A]
    }

    /// The Base64 HMAC-SHA256 of a message.
    public static func sign(_ message: [UInt8], secret: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: secret)).base64EncodedString()
    }

    /// Whether a Base64 signature is the message's HMAC, compared in constant time.
    public static func isValid(_ signature: String, for message: [UInt8], secret: SymmetricKey) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: message, using: secret)
    }
}
