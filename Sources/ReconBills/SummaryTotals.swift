import ReconCore

/// Exact running sums of bill columns, compared with a bill's stated totals at the end.
public struct ColumnSums: Sendable {
    public var sums: [FixedDecimal]
    public var overflowed: [Bool]

    package init(columns: Int) {
        sums = Array(repeating: .zero, count: columns)
        overflowed = Array(repeating: false, count: columns)
    }

    /// Adds the value of each of `columns` in `values` (indexed by column) to its sum, or marks the
    /// column overflowed when the sum would not fit. The sums are checked for uniqueness once per
    /// call rather than once per column.
    @inlinable public mutating func add(_ values: UnsafeBufferPointer<FixedDecimal>, columns: some Sequence<Int>) {
        sums.withUnsafeMutableBufferPointer { sums in
            overflowed.withUnsafeMutableBufferPointer { overflowed in
                for column in columns {
                    if let total = sums[column].adding(values[column]) { sums[column] = total } else { overflowed[column] = true }
                }
            }
        }
    }

    /// Adds the sums of another part of the same bill.
    package mutating func add(_ other: ColumnSums) {
        let columns = sums.indices
        for column in columns where other.overflowed[column] { overflowed[column] = true }
        other.sums.withUnsafeBufferPointer { add($0, columns: columns) }
    }

    /// Compares a stated total with a computed one.
    ///
    /// When the summary prints fewer decimals than the rows (`0.08` for rows summing to
    /// `0.08000`), the two agree if they differ by at most half a unit of the summary's last digit.
    package static func check(name: String, stated: FixedDecimal, computed: FixedDecimal) -> SummaryCheck {
        var matches = stated == computed
        if !matches, stated.scale < computed.scale, let difference = computed.subtracting(stated)?.magnitude {
            let halfUnit = FixedDecimal(units: 5, scale: stated.scale + 1)
            matches = difference <= halfUnit
        }
        return SummaryCheck(name: name, stated: stated, computed: computed, matches: matches)
    }
}

extension SummaryCheck {
    /// `the summary's 订单总金额 says 100.00 but the rows add up to 99.00 (off by -1.00)`.
    package var mismatchMessage: String {
        let off = computed.subtracting(stated).map { $0.units > 0 ? "+\($0)" : "\($0)" } ?? "?"
        return "the summary's \(name) says \(stated) but the rows add up to \(computed) (rows − summary = \(off))"
    }
}
