import Foundation
import ReconBills
import ReconCore

/// The totals an Alipay detail file closes with, and the sums of its rows they are checked
/// against: `#交易合计：6笔，商家实收共0.06元，商家优惠共0.00元` and
/// `#退款合计：4笔，商家实收退款共-0.04元，商家优惠退款共0.00元`.
struct AlipayFooter {
    /// One footer line's stated values: the count, then each `共…元` amount with its label.
    struct Line {
        var count: Int
        var amounts: [(label: String, value: FixedDecimal)]
    }

    /// The rows' sums for one business type.
    struct Sums {
        var count = 0
        var received = FixedDecimal.zero
        var discount = FixedDecimal.zero
        var overflowed = false

        mutating func add(received: FixedDecimal, discount: FixedDecimal) {
            count += 1
            guard let r = self.received.adding(received), let d = self.discount.adding(discount) else {
                overflowed = true
                return
            }
            (self.received, self.discount) = (r, d)
        }
    }

    /// Parses the text after `#交易合计：` or `#退款合计：`; `nil` when it is not `N笔，…共X元，…`.
    static func parse(_ text: Substring) -> Line? {
        let parts = text.split(separator: "，", omittingEmptySubsequences: false)
        guard let first = parts.first, first.hasSuffix("笔"), let count = Int(first.dropLast()) else { return nil }
        var amounts: [(String, FixedDecimal)] = []
        for part in parts.dropFirst() {
            guard let together = part.range(of: "共"), part.hasSuffix("元"),
                let value = FixedDecimal(String(part[together.upperBound...].dropLast()))
            else { return nil }
            amounts.append((String(part[..<together.lowerBound]), value))
        }
        return Line(count: count, amounts: amounts)
    }

    /// Checks a footer line against the rows' sums: the count, then 商家实收 and 商家优惠 (the
    /// first and second amounts), each exactly; an amount the rows cannot give is left unchecked.
    static func check(_ line: Line, name: String, against sums: Sums, hasDiscount: Bool, at number: Int, into facts: inout BillFacts) {
        facts.record(
            ColumnSums.check(
                name: "\(name)笔数", stated: FixedDecimal(units: Int64(line.count), scale: 0),
                computed: FixedDecimal(units: Int64(sums.count), scale: 0)),
            line: number)
        for (index, amount) in line.amounts.enumerated() {
            let label = "\(name)\(amount.label)"
            if sums.overflowed {
                facts.report(.summary, line: number, "the rows' amounts add up to more than 64 bits can hold")
                return
            }
            switch index {
            case 0: facts.record(ColumnSums.check(name: label, stated: amount.value, computed: sums.received), line: number)
            case 1 where hasDiscount:
                facts.record(ColumnSums.check(name: label, stated: amount.value, computed: sums.discount), line: number)
            default: facts.leaveUnchecked(label)
            }
        }
    }
}
