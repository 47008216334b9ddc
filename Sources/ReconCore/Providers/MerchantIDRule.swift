/// What a provider's merchant ids look like before they name a folder, a file, a report or a query.
///
/// Every rule is a whitelist of ASCII letters and digits (the general rule adds `-` and `_` after
/// the first character), so no merchant id can hold `/`, `.`, `..`, a control character or a byte
/// that changes how a terminal shows text. A provider's plug-in states its own rule; a provider
/// order-recon does not know gets ``general(for:)``.
public struct MerchantIDRule: Hashable, Sendable {
    /// The characters a merchant id may hold.
    public enum Characters: Hashable, Sendable {
        /// ASCII digits only.
        case digits
        /// ASCII letters and digits.
        case lettersAndDigits
        /// A letter or digit, then letters, digits, `-` or `_`.
        case general
    }

    public var characters: Characters
    /// How many characters it has.
    public var lengths: ClosedRange<Int>
    /// What it starts with (`2088` for an Alipay PID); empty for any start.
    public var prefix: String
    /// What it must look like, for messages: `a WeChat Pay merchant id (1 to 32 digits, such as 1900000109)`.
    public var shape: String

    /// Creates a rule.
    public init(characters: Characters, lengths: ClosedRange<Int>, prefix: String = "", shape: String) {
        self.characters = characters
        self.lengths = lengths
        self.prefix = prefix
        self.shape = shape
    }

    /// The rule of a provider order-recon has no plug-in for: 1 to 64 letters, digits, `-` or `_`.
    public static func general(for provider: ProviderID) -> MerchantIDRule {
        MerchantIDRule(
            characters: .general, lengths: 1...64, shape: "a merchant id of \(provider) (1 to 64 letters, digits, '-' or '_')")
    }

    /// `true` when `id` follows the rule.
    public func accepts(_ id: String) -> Bool { accepts(utf8: Array(id.utf8)) }

    /// `true` when the UTF-8 `bytes` follow the rule; readers check every row's id this way
    /// without making a string of it.
    @inlinable
    public func accepts(utf8 bytes: some Collection<UInt8>) -> Bool {
        // Most rules have no prefix, and every row is checked: the generic comparison is skipped then.
        guard lengths.contains(bytes.count), prefix.isEmpty || bytes.starts(with: prefix.utf8) else { return false }
        switch characters {
        case .digits:
            return bytes.allSatisfy(Identifier.isDigit)
        case .lettersAndDigits:
            return bytes.allSatisfy { Identifier.isDigit($0) || Identifier.isLetter($0) }
        case .general:
            return bytes.first.map { Identifier.isDigit($0) || Identifier.isLetter($0) } == true
                && bytes.allSatisfy {
                    Identifier.isDigit($0) || Identifier.isLetter($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                }
        }
    }

    /// What is wrong with `id`, or `nil` when it follows the rule:
    /// `'../x' is not a WeChat Pay merchant id (1 to 32 digits, such as 1900000109)`.
    public func problem(_ id: String) -> String? {
        accepts(id) ? nil : "'\(Printable.escaped(id))' is not \(shape)"
    }
}
