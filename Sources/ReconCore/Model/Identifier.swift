/// The shapes identifiers from outside must have before they name a folder, a file, a report or a
/// query: a provider name, a merchant id, a provider's code.
///
/// Every rule is a whitelist of ASCII letters, digits and a few separators, so no identifier can
/// hold `/`, `.` alone, `..`, a control character or a byte that changes how a terminal shows text.
///
/// - provider: a lower-case letter, then lower-case letters, digits or `-`; at most 32 (`wechatpay`).
/// - merchant id: the provider's ``MerchantIDRule``, looked up in a ``ProviderDirectory``.
/// - provider code (`NO_STATEMENT_EXIST`, `C12`, `ACQ.SYSTEM_ERROR`): an ASCII letter or digit,
///   then letters, digits, `_`, `.` or `-`; at most 64.
public enum Identifier {
    /// What a provider name must look like.
    public static let providerShape = "a provider name (lower-case letters, digits and '-', such as wechatpay)"

    /// What a provider's answer code must look like.
    public static let codeShape = "a provider code (letters, digits, '_', '.' or '-', such as NO_STATEMENT_EXIST)"

    /// `true` when `text` is a well-formed provider name.
    public static func isProvider(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...32).contains(bytes.count) && isLower(bytes[0])
            && bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// `true` when `code` is a well-formed provider code.
    public static func isCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        let separators: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")]
        return (1...64).contains(bytes.count) && (isDigit(bytes[0]) || isLetter(bytes[0]))
            && bytes.allSatisfy { isDigit($0) || isLetter($0) || separators.contains($0) }
    }

    /// What is wrong with `code` as a provider's answer code, or `nil` when it is well formed.
    public static func codeProblem(_ code: String) -> String? {
        isCode(code) ? nil : "'\(Printable.escaped(code))' is not \(codeShape)"
    }

    @inlinable static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inlinable static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inlinable static func isLetter(_ byte: UInt8) -> Bool { isLower(byte) || byte &- 0x41 < 26 }
}
