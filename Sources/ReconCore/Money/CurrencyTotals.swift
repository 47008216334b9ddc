/// Running totals kept separately for each currency, in minor units.
///
/// Amounts in different currencies are never added together. A total that would overflow 64 bits
/// is recorded in ``overflowed`` instead of wrapping.
public struct CurrencyTotals: Hashable, Sendable, Codable {
    /// The total per currency.
    public private(set) var byCurrency: [Currency: Int64] = [:]
    /// Currencies whose total no longer fits in 64 bits.
    public private(set) var overflowed: Set<Currency> = []

    /// Creates empty totals.
    public init() {}

    init(byCurrency: [Currency: Int64], overflowed: Set<Currency>) {
        self.byCurrency = byCurrency
        self.overflowed = overflowed
    }

    /// Adds an amount to its currency's total.
    public mutating func add(_ money: Money) {
        let current = byCurrency[money.currency, default: 0]
        let (sum, overflow) = current.addingReportingOverflow(money.minorUnits)
        if overflow {
            overflowed.insert(money.currency)
        } else {
            byCurrency[money.currency] = sum
        }
    }

    /// Adds every total of `other`.
    public mutating func add(_ other: CurrencyTotals) {
        for (currency, units) in other.byCurrency { add(Money(minorUnits: units, currency: currency)) }
        overflowed.formUnion(other.overflowed)
    }

    /// The totals as amounts, ordered by currency code.
    public var amounts: [Money] {
        byCurrency.keys.sorted().map { Money(minorUnits: byCurrency[$0]!, currency: $0) }
    }

    /// The total for `currency`, zero when nothing was added.
    public subscript(currency: Currency) -> Money {
        Money(minorUnits: byCurrency[currency, default: 0], currency: currency)
    }

    /// `true` when nothing has been added.
    public var isEmpty: Bool { byCurrency.isEmpty && overflowed.isEmpty }
}

/// Totals for the few currencies of one day, kept in a small array: adding costs a comparison or
/// two instead of hashing, which matters once per order of a million-order day.
struct SmallCurrencyTotals {
    private var currencies: [Currency] = []
    private var sums: [Int64] = []
    private var overflowed: Set<Currency> = []

    mutating func add(_ money: Money) {
        let index: Int
        if let found = currencies.firstIndex(of: money.currency) {
            index = found
        } else {
            currencies.append(money.currency)
            sums.append(0)
            index = currencies.count - 1
        }
        let (sum, overflow) = sums[index].addingReportingOverflow(money.minorUnits)
        if overflow { overflowed.insert(money.currency) } else { sums[index] = sum }
    }

    mutating func add(_ other: SmallCurrencyTotals) {
        for (currency, sum) in zip(other.currencies, other.sums) { add(Money(minorUnits: sum, currency: currency)) }
        overflowed.formUnion(other.overflowed)
    }

    var totals: CurrencyTotals {
        var byCurrency: [Currency: Int64] = [:]
        for (currency, sum) in zip(currencies, sums) where !overflowed.contains(currency) { byCurrency[currency] = sum }
        return CurrencyTotals(byCurrency: byCurrency, overflowed: overflowed)
    }
}
