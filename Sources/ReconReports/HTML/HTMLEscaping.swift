import Mustache

/// The HTML report's escaping, registered with Mustache as the content type ``name`` that the
/// templates ``template(_:)`` parses use: the five characters Mustache's own `HTML` type
/// replaces (`<`, `>`, `&`, `"`, `'`), replaced in the text's UTF-8 bytes.
///
/// Mustache's own walks the text one character at a time with a dictionary lookup for each; this
/// returns text without any of the five as it is, and copies the rest a byte at a time. Being
/// byte-wise, it also replaces one of the five that a combining mark follows, which a walk by
/// characters sees as another character and leaves.
struct HTMLEscaping: MustacheContentType {
    /// The content type's name.
    static let name = "RECON_HTML"
    /// Registered once, before the first template that names it is parsed.
    private static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    /// `text` parsed as a template that escapes with this content type.
    static func template(_ text: String) throws -> MustacheTemplate {
        registered
        return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(name)}}\n" + text)
    }

    func escapeText(_ text: String) -> String {
        var text = text
        let escaped: String? = text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: { Self.entity(for: $0) != nil }) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 32)
            output.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                if let entity = Self.entity(for: byte) {
                    entity.withUTF8Buffer { output.append(contentsOf: $0) }
                } else {
                    output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
        return escaped ?? text
    }

    private static func entity(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }
}
