import ReconCore

/// The currencies of the store's `currency` columns, each code checked against ISO 4217 and the
/// last one kept, since a day's rows mostly repeat one code.
struct StoreCurrencies {
    /// What a `currency` column must hold, as its errors say.
    static let expectation = "an ISO 4217 code such as CNY"

    private var lastBytes: (UInt8, UInt8, UInt8) = (0, 0, 0)
    private var last: Currency?

    /// The currency the code in `bytes` names; `nil` when it names none.
    mutating func currency(_ bytes: UnsafeBufferPointer<UInt8>) -> Currency? {
        if bytes.count == 3, let last, (bytes[0], bytes[1], bytes[2]) == lastBytes { return last }
        guard let currency = Currency(code: String(decoding: bytes, as: UTF8.self)) else { return nil }
        if bytes.count == 3 { (last, lastBytes) = (currency, (bytes[0], bytes[1], bytes[2])) }
        return currency
    }

    /// The currency `code` names; `nil` when it is NULL or names none.
    mutating func currency(_ code: String?) -> Currency? {
        guard var code else { return nil }
        return code.withUTF8 { currency($0) }
    }
}
