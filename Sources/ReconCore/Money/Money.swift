/// An amount of money: an integer count of a currency's minor unit.
///
/// `Money(minorUnits: 1234, currency: .cny)` is 12.34 yuan. There is no floating point anywhere on
/// the way in or out.
public struct Money: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The amount in minor units (fen for CNY).
    public var minorUnits: Int64
    /// The currency.
    public var currency: Currency

    /// Creates an amount from minor units.
    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Converts an exact decimal in major units, or returns `nil` when it has non-zero digits
    /// beyond the currency's minor unit (`12.345` CNY) or does not fit in 64 bits.
    public init?(_ decimal: FixedDecimal, currency: Currency) {
        guard let units = decimal.units(atScale: currency.minorUnitDigits) else { return nil }
        self.init(minorUnits: units, currency: currency)
    }

    /// Parses a decimal string in major units, such as `"12.30"`, exactly.
    public init?(parsing text: some StringProtocol, currency: Currency) {
        guard let decimal = FixedDecimal(text) else { return nil }
        self.init(decimal, currency: currency)
    }

    /// The largest amount one payment or refund may have: 10^15 minor units (ten trillion yuan).
    /// Amounts come from the store, the bills and the providers' answers; a negative one or a larger
    /// one is an input error, which keeps every difference of two amounts within 64 bits.
    public static let maximumMinorUnits: Int64 = 1_000_000_000_000_000

    /// `true` when the amount is one a payment or refund can have: 0 to ``maximumMinorUnits``.
    public var isValidAmount: Bool { Self.isValidAmount(minorUnits) }

    /// `true` when `minorUnits`, in any currency, is an amount a payment or refund can have: 0 to
    /// ``maximumMinorUnits``.
    public static func isValidAmount(_ minorUnits: Int64) -> Bool { (0...maximumMinorUnits).contains(minorUnits) }

    /// What an amount must be, for messages.
    public static let validAmountText = "count of minor units from 0 to 1000000000000000"

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// The amount as a decimal in major units.
    public var decimal: FixedDecimal { FixedDecimal(units: minorUnits, scale: currency.minorUnitDigits) }

    /// `"CNY 12.30"`.
    public var description: String { "\(currency.code) \(decimal)" }

    /// The amount in major units without the code, such as `"12.30"`.
    public var amountText: String { decimal.description }

    /// The absolute amount; saturates at `Int64.max` for `Int64.min`.
    public var magnitude: Money {
        Money(minorUnits: minorUnits == .min ? .max : Swift.abs(minorUnits), currency: currency)
    }

    /// The negated amount; saturates at `Int64.max` for `Int64.min`.
    public var negated: Money {
        Money(minorUnits: minorUnits == .min ? .max : -minorUnits, currency: currency)
    }

    /// `self - other` when the currencies agree and the result fits; otherwise `nil`.
    public func subtracting(_ other: Money) -> Money? {
        guard currency == other.currency else { return nil }
        let (result, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: result, currency: currency)
    }

    /// `self + other` when the currencies agree and the result fits; otherwise `nil`.
    public func adding(_ other: Money) -> Money? {
        guard currency == other.currency else { return nil }
        let (result, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(minorUnits: result, currency: currency)
    }

    /// `self × factor`, or `nil` on overflow.
    public func multiplied(by factor: Int) -> Money? {
        let (result, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(factor))
        return overflow ? nil : Money(minorUnits: result, currency: currency)
    }
}
