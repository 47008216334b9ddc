import Foundation

/// The ratios of two programs' times taken within each turn of a benchmark, summed up so that the
/// machine's noise can be told from a difference between them: their median, an interval that
/// holds the true median with a known confidence whatever the ratios' distribution, and how many
/// turns each program was the faster in.
///
/// The interval is bounded by order statistics: of `n` ratios sorted, the `k`-th smallest and the
/// `k`-th largest hold the median between them with probability 1 − 2·P(B ≤ k − 1), where B is
/// binomial(n, ½). `k` is the largest that keeps that probability at least `level`. Turns too few
/// to reach `level` (fewer than six at 95 %) give the whole range, with the confidence it has.
public struct TurnRatios: Sendable, Equatable {
    /// The median ratio.
    public var median: Double
    /// The interval's bounds.
    public var low: Double
    public var high: Double
    /// The probability that the interval holds the true median (at least `level` when there are enough turns).
    public var confidence: Double
    /// The turns whose ratio is below 1: those the first program was the faster in.
    public var below: Int
    /// The turns whose ratio is above 1.
    public var above: Int
    /// The turns.
    public var count: Int

    /// Sums up `ratios`; `nil` when there are none, or one is not a finite positive number.
    public init?(_ ratios: [Double], level: Double = 0.95) {
        guard !ratios.isEmpty, ratios.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        let sorted = ratios.sorted()
        let n = sorted.count
        median = BenchData.median(sorted)
        // k = 1 is the whole range, outside which the median lies with probability 2·P(B = 0);
        // each larger k narrows it while its confidence stays at `level`.
        var k = 1
        var outside = Self.exactly(0, of: n)
        while k + 1 <= (n + 1) / 2 {
            let next = outside + Self.exactly(k, of: n)
            guard 1 - 2 * next >= level else { break }
            outside = next
            k += 1
        }
        low = sorted[k - 1]
        high = sorted[n - k]
        confidence = max(0, 1 - 2 * outside)
        below = sorted.count { $0 < 1 }
        above = sorted.count { $0 > 1 }
        count = n
    }

    /// P(B = i) for B binomial(n, ½), computed in logarithms so that no power of two overflows.
    private static func exactly(_ i: Int, of n: Int) -> Double {
        exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * M_LN2)
    }
}
