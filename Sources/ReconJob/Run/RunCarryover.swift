import Foundation
import ReconCore
import ReconProviders
import ReconStore

/// How a run carries its open items over (``Carryover``): what it found, re-examined and
/// reconciled, known once its days are resolved, applied to the items from before the run.
///
/// The carryover can be worked out ahead (``advance(ahead:)``): on a thread of its own, from the
/// items read ahead of the transaction (``OpenItemsAhead``), while the run makes its reports on
/// the other core. The transaction uses it when it takes those same items; when it reads the
/// items itself (another connection committed since, or the read failed), the carryover is worked
/// out again from what it read (``advance(_:)``).
struct RunCarryover: Sendable {
    let results: [DayResult]
    let outcomes: [DayOutcome]
    /// What the run looked at again, so open items resting on it may be resolved.
    let reexamined: Reexamination
    /// The merchant-days the run reconciled: those whose records it writes.
    let reconciled: Set<BillCoverage.Key>
    let zones: ProviderZones
    let runID: String
    let time: Timestamp

    /// The carryover of a run whose days resolved to `results`, read from `inputs` as
    /// `coverage` says; `runID` finished at `time`.
    init(
        results: [DayResult], outcomes: [DayOutcome], inputs: [CivilDate: DayInputs], coverage: BillCoverage,
        config: ReconConfig, runID: String, at time: Timestamp
    ) {
        self.results = results
        self.outcomes = outcomes
        var reexamined = Reexamination(bills: coverage)
        for (day, inputs) in inputs {
            guard let queries = inputs.queries else { continue }
            for merchant in config.queriedMerchants(coverage.merchants(on: day)) where queries.stopped[merchant] == nil {
                reexamined.queried.insert(BillCoverage.Key(merchant: merchant, day: day))
            }
            for outcome in queries.outcomes {
                guard case .notQueried = outcome.result else { continue }
                reexamined.notQueried.insert(
                    Reexamination.Subject(merchant: outcome.item.merchant, isRefund: outcome.item.isRefund, key: outcome.item.key))
            }
        }
        self.reexamined = reexamined
        reconciled = Set(
            results.flatMap { result in
                RunOutputs.recordedMerchants(on: result.day, of: result.discrepancies, coverage: coverage).map {
                    BillCoverage.Key(merchant: $0, day: result.day)
                }
            })
        zones = config.zones
        self.runID = runID
        self.time = time
    }

    /// Advances `previous`, the store's items before the run, by the run.
    func advance(_ previous: [OpenItem]) -> Carryover {
        Carryover(
            previous: previous, results: results, outcomes: outcomes, reexamined: reexamined, reconciled: reconciled,
            zones: zones, runID: runID, at: time)
    }

    /// Starts advancing the items `ahead` reads, on a thread of its own; what it hands over is
    /// `nil` when the read failed.
    func advance(ahead: OpenItemsAhead) -> Handoff<Carryover?> {
        let carried = Handoff<Carryover?>()
        let carryover = self
        Thread { carried.put(.success(ahead.itemsRead.map(carryover.advance))) }.start()
        return carried
    }
}
