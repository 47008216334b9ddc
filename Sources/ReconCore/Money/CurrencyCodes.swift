/// Currencies read from their ISO 4217 codes row after row: the last code read is kept with its
/// currency, since the rows of a bill or a store mostly repeat one code.
public struct CurrencyCodes: Sendable {
    /// What a currency code must be, as the errors about one say.
    public static let expectation = "an ISO 4217 code such as CNY"

    @usableFromInline var lastBytes: (UInt8, UInt8, UInt8) = (0, 0, 0)
    @usableFromInline var last: Currency?

    public init() {}

    /// The currency the code in `bytes` names; `nil` when it names none.
    @inlinable public mutating func currency(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Currency? {
        if bytes.count == 3, let last, (bytes[0], bytes[1], bytes[2]) == lastBytes { return last }
        return lookUp(bytes)
    }

    /// The currency `code` names; `nil` when it is `nil` or names none.
    public mutating func currency(_ code: String?) -> Currency? {
        guard var code else { return nil }
        return code.withUTF8 { currency(utf8: $0) }
    }

    @usableFromInline mutating func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) -> Currency? {
        guard let currency = Currency(code: String(decoding: bytes, as: UTF8.self)) else { return nil }
        if bytes.count == 3 { (last, lastBytes) = (currency, (bytes[0], bytes[1], bytes[2])) }
        return currency
    }
}
