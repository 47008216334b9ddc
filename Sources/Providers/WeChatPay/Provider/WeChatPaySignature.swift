import Crypto
import CryptoExtras
import Foundation
import ReconCore

/// WeChat Pay APIv3's `WECHATPAY2-SHA256-RSA2048` signatures (provider-formats §1.2–1.3):
/// RSASSA-PKCS1-v1_5 with SHA-256, never PSS, over a message of lines that each end in `\n`.
public enum WeChatPaySignature {
    /// The scheme name that starts the `Authorization` header.
    public static let scheme = "WECHATPAY2-SHA256-RSA2048"

    /// The message a request's signature covers:
    /// `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n`, with an empty body for GET.
    /// - Parameter canonicalURL: The path and query exactly as sent (`/v3/pay/transactions/…?mchid=…`).
    public static func requestMessage(
        method: String, canonicalURL: String, timestamp: Int64, nonce: String, body: some Collection<UInt8>
    ) -> [UInt8] {
        Array("\(method.uppercased())\n\(canonicalURL)\n\(timestamp)\n\(nonce)\n".utf8) + body + [0x0A]
    }

    /// The message a response's signature covers: `TIMESTAMP\nNONCE\nBODY\n`, over the raw body bytes.
    public static func responseMessage(timestamp: String, nonce: String, body: some Collection<UInt8>) -> [UInt8] {
        Array("\(timestamp)\n\(nonce)\n".utf8) + body + [0x0A]
    }

    /// The Base64 signature of a message.
    public static func sign(_ message: [UInt8], with key: _RSA.Signing.PrivateKey) throws -> String {
        let signature = try key.signature(for: Data(message), padding: .insecurePKCS1v1_5)
        return signature.rawRepresentation.base64EncodedString()
    }

    /// Whether a Base64 signature of a message verifies with a public key.
    public static func isValid(_ signature: String, for message: [UInt8], with key: _RSA.Signing.PublicKey) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: bytes), for: Data(message), padding: .insecurePKCS1v1_5)
    }

    /// The `Authorization` header value.
    public static func authorization(
        merchantID: String, serialNumber: String, timestamp: Int64, nonce: String, signature: String
    ) -> String {
        "\(scheme) mchid=\"\(merchantID)\",nonce_str=\"\(nonce)\",timestamp=\"\(timestamp)\",serial_no=\"\(serialNumber)\","
            + "signature=\"\(signature)\""
    }

    /// The `key="value"` pairs of an `Authorization` header, or `nil` when it is not this scheme.
    public static func parseAuthorization(_ header: String) -> [String: String]? {
        guard header.hasPrefix(scheme + " ") else { return nil }
        var fields: [String: String] = [:]
        for pair in header.dropFirst(scheme.count + 1).split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let key = pair[..<equals].trimmingCharacters(in: .whitespaces)
            var value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return nil }
            value = String(value.dropFirst().dropLast())
            fields[key] = value
        }
        return fields
    }

    /// A random nonce of 32 upper-case hexadecimal characters.
    public static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02X", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
