import BenchData
import Foundation
import Testing

/// The benchmark's summary of the ratios taken within its turns.
@Suite("The benchmark's ratios within turns")
struct TurnRatiosTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var turns: Int
        /// The ranks (1-based, of the sorted ratios) that bound the interval.
        var ranks: (low: Int, high: Int)
        var confidence: Double
        var testDescription: String { "\(turns) turns" }
    }

    /// The ranks of the order-statistics interval for the median, and their confidence,
    /// 1 − 2·P(B ≤ k − 1) with B binomial(n, ½): too few turns give the whole range.
    static let scenarios: [Scenario] = [
        Scenario(turns: 1, ranks: (1, 1), confidence: 0),
        Scenario(turns: 2, ranks: (1, 2), confidence: 0.5),
        Scenario(turns: 4, ranks: (1, 4), confidence: 1 - 2.0 / 16),
        Scenario(turns: 5, ranks: (1, 5), confidence: 1 - 2.0 / 32),
        Scenario(turns: 6, ranks: (1, 6), confidence: 1 - 2.0 / 64),
        Scenario(turns: 9, ranks: (2, 8), confidence: 1 - 2.0 * 10 / 512),
        Scenario(turns: 12, ranks: (3, 10), confidence: 1 - 2.0 * 79 / 4096),
        Scenario(turns: 20, ranks: (6, 15), confidence: 1 - 2.0 * 21_700 / 1_048_576),
    ]

    @Test("bounds the median by the order statistics that keep 95 % confidence", arguments: scenarios)
    func interval(_ scenario: Scenario) throws {
        // Ratios 0.80, 0.81, … given in reverse, so that the summary must sort them.
        let ratios = (0..<scenario.turns).map { 0.8 + Double($0) / 100 }
        let summary = try #require(TurnRatios(ratios.reversed()))
        #expect(summary.low == ratios[scenario.ranks.low - 1])
        #expect(summary.high == ratios[scenario.ranks.high - 1])
        #expect(abs(summary.confidence - scenario.confidence) < 1e-12)
        #expect(summary.count == scenario.turns)
        #expect(summary.low <= summary.median && summary.median <= summary.high)
    }

    @Test("gives the median, and counts the turns on each side of 1")
    func medianAndSides() throws {
        let summary = try #require(TurnRatios([1.2, 0.9, 1.0, 0.8, 1.1, 0.95]))
        #expect(abs(summary.median - 0.975) < 1e-12)
        #expect(summary.below == 3)
        #expect(summary.above == 2)
        #expect(try #require(TurnRatios([1.3, 0.7, 1.1])).median == 1.1)
    }

    @Test("keeps its confidence over many turns, where a power of two would overflow")
    func manyTurns() throws {
        let summary = try #require(TurnRatios((0..<2_001).map { 1 + Double($0 - 1_000) / 10_000 }))
        #expect(summary.confidence >= 0.95 && summary.confidence < 0.96)
        #expect(summary.median == 1)
        #expect(summary.low < 1 && summary.high > 1 && summary.low > 0.99 && summary.high < 1.01)
    }

    @Test("refuses no ratios, and ratios that are not finite positive numbers")
    func refuses() {
        #expect(TurnRatios([]) == nil)
        #expect(TurnRatios([1, .nan]) == nil)
        #expect(TurnRatios([1, .infinity]) == nil)
        #expect(TurnRatios([1, 0]) == nil)
    }
}
