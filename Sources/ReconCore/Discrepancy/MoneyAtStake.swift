/// Something whose money is in doubt: a discrepancy, or an open item.
public protocol StakeHolding {
    /// The merchant.
    var merchant: MerchantRef { get }
    /// The refund, order or combine order it is about.
    var subject: String { get }
    /// The money in doubt, if any.
    var amountAtStake: Money? { get }
}

extension Discrepancy: StakeHolding {}
extension OpenItem: StakeHolding {}

/// The money in doubt over a set of findings, counting each order or refund once.
///
/// One payment can be in two findings at once (the bill and the store disagree on it, and its
/// query settles it): its money is in doubt once, so for each merchant, subject and currency only
/// the largest amount at stake counts. Totals are kept per currency; one that would not fit in 64
/// bits is in ``CurrencyTotals/overflowed`` rather than wrapped.
public enum MoneyAtStake {
    private struct Key: Hashable {
        var merchant: MerchantRef
        var subject: String
        var currency: Currency

        /// The subject alone: keys that share it but not the merchant or currency are rare, and
        /// equality still tells them apart.
        func hash(into hasher: inout Hasher) {
            hasher.combine(subject)
        }
    }

    /// The total of the `findings` that `include` accepts, each subject once. The findings are
    /// read in place, not copied.
    public static func total<Finding: StakeHolding>(
        of findings: [Finding], where include: (Finding) -> Bool
    ) -> CurrencyTotals {
        var largest: [Key: Int64] = [:]
        // Most findings have a subject of their own: sized for all of them at once, not grown step by step.
        largest.reserveCapacity(findings.count)
        for index in findings.indices where include(findings[index]) {
            guard let amount = findings[index].amountAtStake else { continue }
            let key = Key(merchant: findings[index].merchant, subject: findings[index].subject, currency: amount.currency)
            let magnitude = amount.magnitude.minorUnits
            if magnitude > largest[key] ?? -1 { largest[key] = magnitude }
        }
        // Magnitudes are never negative, so their sum (and whether it overflows) is the same in any order.
        var totals = CurrencyTotals()
        for (key, magnitude) in largest { totals.add(Money(minorUnits: magnitude, currency: key.currency)) }
        return totals
    }
}
