import Crypto
import CryptoExtras
import Foundation

/// Alipay's `RSA2` signatures (docs/alipay-api.md): RSASSA-PKCS1-v1_5 with SHA-256, Base64.
///
/// A request's signature covers its parameters but `sign`, empty ones left out, sorted by name
/// and joined as `name=value&…` with the values as they are. An answer's covers the exact text of
/// its `…_response` value in the body.
public enum AlipaySignature {
    /// The text a request's signature covers.
    public static func content(of parameters: [String: String]) -> String {
        parameters.filter { $0.key != "sign" && !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    /// The Base64 signature of `text`.
    public static func sign(_ text: some Collection<UInt8>, with key: _RSA.Signing.PrivateKey) throws -> String {
        try key.signature(for: Data(text), padding: .insecurePKCS1v1_5).rawRepresentation.base64EncodedString()
    }

    /// Whether a Base64 signature of `text` verifies with `key`.
    public static func isValid(_ signature: String, for text: some Collection<UInt8>, with key: _RSA.Signing.PublicKey) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: bytes), for: Data(text), padding: .insecurePKCS1v1_5)
    }

    /// The exact bytes of the value of `key` in a JSON object's text (`{"key":{…},"sign":"…"}`),
    /// found by scanning the text as JSON: strings and their escapes, and nested braces and
    /// brackets; `nil` when the body has no such member at its top level.
    public static func rawValue(of key: String, in body: [UInt8]) -> ArraySlice<UInt8>? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var index = body.startIndex
        var depth = 0
        func skipString() -> ArraySlice<UInt8>? {
            let start = index + 1
            var at = start
            while at < body.endIndex {
                if body[at] == backslash { at += 2; continue }
                if body[at] == quote { index = at + 1; return body[start..<at] }
                at += 1
            }
            return nil
        }
        func skipSpace() { while index < body.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 } }
        while index < body.endIndex {
            let byte = body[index]
            if byte == quote {
                guard let name = skipString() else { return nil }
                skipSpace()
                guard depth == 1, index < body.endIndex, body[index] == UInt8(ascii: ":"), name.elementsEqual(key.utf8) else { continue }
                index += 1
                skipSpace()
                let start = index
                var nested = 0
                while index < body.endIndex {
                    let byte = body[index]
                    if byte == quote {
                        guard skipString() != nil else { return nil }
                        if nested == 0 { return body[start..<index] }
                        continue
                    }
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { nested += 1 }
                    if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        if nested == 0 { return body[start..<index] }
                        nested -= 1
                        if nested == 0 { return body[start..<(index + 1)] }
                    }
                    if nested == 0, byte == UInt8(ascii: ",") { return body[start..<index] }
                    index += 1
                }
                return nil
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
            index += 1
        }
        return nil
    }
}
