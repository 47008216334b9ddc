/// An ISO 4217 currency, with the number of digits its minor unit has.
///
/// CNY has 2 (fen), JPY has 0, BHD has 3. Amounts in the store and in reports are integers of the
/// minor unit, so the exponent decides how a bill's decimal string becomes an integer.
///
/// A code is three ASCII letters, kept in the value as bytes rather than as a `String`: a currency,
/// and so a ``Money``, is plain bytes, and copying one touches no reference count.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The code's bytes, the first in the highest byte, zeros after the last: the integers are
    /// in the order of the codes.
    private let packed: UInt32
    private let digits: UInt8

    /// The three-letter code, such as `CNY`.
    public var code: String {
        let count = 4 - packed.trailingZeroBitCount / 8
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: packed >> UInt32(24 - 8 * index)) }
            return count
        }
    }

    /// Digits after the decimal point in the currency's major unit.
    public var minorUnitDigits: Int { Int(digits) }

    /// Creates a currency from its ISO 4217 code.
    ///
    /// Returns `nil` for anything that is not an ISO 4217 currency code (`RMB`, `cny`, `¥`).
    public init?(code: some StringProtocol) {
        let code = String(code)
        guard Self.isoCodes.contains(code) else { return nil }
        self.init(code: code, minorUnitDigits: Self.exceptionalDigits[code] ?? 2)
    }

    /// Creates a currency with an explicit exponent, for codes ISO 4217 does not list; the code
    /// is at most three capital letters.
    public init(code: String, minorUnitDigits: Int) {
        precondition(
            Self.canKeep(code: code, minorUnitDigits: minorUnitDigits), "'\(code)' with \(minorUnitDigits) digits is not a currency")
        var packed: UInt32 = 0
        for (index, byte) in code.utf8.enumerated() { packed |= UInt32(byte) << UInt32(24 - 8 * index) }
        self.packed = packed
        self.digits = UInt8(minorUnitDigits)
    }

    /// Whether a currency can be kept: a code of at most three capital ASCII letters, and at most
    /// nine digits after the decimal point.
    private static func canKeep(code: String, minorUnitDigits: Int) -> Bool {
        code.utf8.count <= 3 && code.utf8.allSatisfy { (0x41...0x5A).contains($0) } && (0...9).contains(minorUnitDigits)
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

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.packed < rhs.packed }

    private enum CodingKeys: String, CodingKey {
        case code, minorUnitDigits
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let code = try container.decode(String.self, forKey: .code)
        let digits = try container.decode(Int.self, forKey: .minorUnitDigits)
        guard Self.canKeep(code: code, minorUnitDigits: digits) else {
            throw DecodingError.dataCorruptedError(
                forKey: .code, in: container, debugDescription: "'\(code)' with \(digits) digits is not a currency")
        }
        self.init(code: code, minorUnitDigits: digits)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(minorUnitDigits, forKey: .minorUnitDigits)
    }

    /// ISO 4217 currency codes, current and recently withdrawn (funds and metals left out).
    private static let isoCodes: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
        CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
        GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW
        KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD
        NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE
        SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED
        VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// ISO 4217 codes whose minor unit is not two digits.
    private static let exceptionalDigits: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        "CLF": 4, "UYW": 4,
    ]
}
