/// An ISO 4217 currency, with the number of digits its minor unit has.
///
/// CNY has 2 (fen), JPY has 0, BHD has 3. Amounts in the store and in reports are integers of the
/// minor unit, so the exponent decides how a bill's decimal string becomes an integer.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The three-letter code, such as `CNY`.
    public let code: String
    /// Digits after the decimal point in the currency's major unit.
    public let minorUnitDigits: Int

    /// Creates a currency from its code.
    ///
    /// Returns `nil` unless `code` is three upper-case ASCII letters. Codes whose minor unit is not
    /// 2 digits are listed explicitly; every other well-formed code has 2.
    public init?(code: some StringProtocol) {
        let utf8 = Array(code.utf8)
        guard utf8.count == 3, utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return nil
        }
        let code = String(decoding: utf8, as: UTF8.self)
        self.code = code
        self.minorUnitDigits = Self.exceptionalDigits[code] ?? 2
    }

    /// Creates a currency with an explicit exponent, for codes ISO 4217 does not list.
    public init(code: String, minorUnitDigits: Int) {
        self.code = code
        self.minorUnitDigits = minorUnitDigits
    }

    /// Chinese yuan renminbi.
    public static let cny = Currency(code: "CNY")!
    /// Hong Kong dollar.
    public static let hkd = Currency(code: "HKD")!
    /// US dollar.
    public static let usd = Currency(code: "USD")!
    /// Japanese yen (no minor unit).
    public static let jpy = Currency(code: "JPY")!

    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    /// ISO 4217 codes whose minor unit is not two digits.
    private static let exceptionalDigits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]
}
