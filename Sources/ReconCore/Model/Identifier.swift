/// The shapes identifiers from outside must have before they name a folder, a file, a report or a
/// query: a provider name, a merchant id, a provider's code.
///
/// Every rule is a whitelist of ASCII letters, digits and a few separators, so no identifier can
/// hold `/`, `.` alone, `..`, a control character or a byte that changes how a terminal shows text.
///
/// - provider: a lower-case letter, then lower-case letters, digits or `-`; at most 32 (`wechatpay`).
/// - WeChat Pay merchant id (`mchid`, `sub_mchid`): 1 to 32 digits.
/// - gateway merchant number: 1 to 32 ASCII letters or digits.
/// - any other provider's merchant id: an ASCII letter or digit, then letters, digits, `-` or `_`; at most 64.
/// - provider code (`NO_STATEMENT_EXIST`, `C12`, `ACQ.SYSTEM_ERROR`): an ASCII letter or digit,
///   then letters, digits, `_`, `.` or `-`; at most 64.
public enum Identifier {
    /// What a provider name must look like.
    public static let providerShape = "a provider name (lower-case letters, digits and '-', such as wechatpay)"

    /// What a merchant id at `provider` must look like.
    public static func merchantIDShape(for provider: ProviderID) -> String {
        switch provider {
        case .wechatPay: "a WeChat Pay merchant id (1 to 32 digits, such as 1900000109)"
        case .gateway: "a gateway merchant number (1 to 32 letters or digits, such as 800100200)"
        default: "a merchant id of \(provider) (1 to 64 letters, digits, '-' or '_')"
        }
    }

    /// What a provider's answer code must look like.
    public static let codeShape = "a provider code (letters, digits, '_', '.' or '-', such as NO_STATEMENT_EXIST)"

    /// `true` when `text` is a well-formed provider name.
    public static func isProvider(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...32).contains(bytes.count) && isLower(bytes[0])
            && bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// `true` when `id` is a well-formed merchant id at `provider`.
    public static func isMerchantID(_ id: String, provider: ProviderID) -> Bool {
        isMerchantID(utf8: Array(id.utf8), provider: provider)
    }

    /// `true` when the UTF-8 `bytes` are a well-formed merchant id at `provider`; readers check
    /// every row's id this way without making a string of it (inlined into them, so it costs a
    /// few comparisons per byte).
    @inlinable
    public static func isMerchantID(utf8 bytes: some Collection<UInt8>, provider: ProviderID) -> Bool {
        switch provider {
        case .wechatPay:
            return (1...32).contains(bytes.count) && bytes.allSatisfy(isDigit)
        case .gateway:
            return (1...32).contains(bytes.count) && bytes.allSatisfy { isDigit($0) || isLetter($0) }
        default:
            return (1...64).contains(bytes.count) && bytes.first.map { isDigit($0) || isLetter($0) } == true
                && bytes.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
    }

    /// `true` when `code` is a well-formed provider code.
    public static func isCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        let separators: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")]
        return (1...64).contains(bytes.count) && (isDigit(bytes[0]) || isLetter(bytes[0]))
            && bytes.allSatisfy { isDigit($0) || isLetter($0) || separators.contains($0) }
    }

    /// What is wrong with `id` as a merchant id at `provider`, or `nil` when it is well formed:
    /// `'../x' is not a WeChat Pay merchant id (1 to 32 digits, such as 1900000109)`.
    public static func merchantIDProblem(_ id: String, provider: ProviderID) -> String? {
        isMerchantID(id, provider: provider) ? nil : "'\(Printable.escaped(id))' is not \(merchantIDShape(for: provider))"
    }

    /// What is wrong with `merchant`, or `nil` when both its provider and its id are well formed.
    public static func problem(_ merchant: MerchantRef) -> String? {
        guard isProvider(merchant.provider.rawValue) else {
            return "'\(Printable.escaped(merchant.provider.rawValue))' is not \(providerShape)"
        }
        return merchantIDProblem(merchant.merchantID, provider: merchant.provider)
    }

    /// What is wrong with `code` as a provider's answer code, or `nil` when it is well formed.
    public static func codeProblem(_ code: String) -> String? {
        isCode(code) ? nil : "'\(Printable.escaped(code))' is not \(codeShape)"
    }

    @usableFromInline static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @usableFromInline static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @usableFromInline static func isLetter(_ byte: UInt8) -> Bool { isLower(byte) || byte &- 0x41 < 26 }
}
