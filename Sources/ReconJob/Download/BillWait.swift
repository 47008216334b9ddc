import Foundation
import Logging
import ReconClock
import ReconCore

/// Downloads the bills a run needs before it starts, and waits for the ones the provider has not
/// finished: it applies again every ``retryEvery`` seconds until ``waitSeconds`` have passed,
/// then gives up with ``ExitStatus/billsNotReady``.
///
/// Bills already in the folder (or days already marked as having none) are not fetched again, so
/// a rerun after a failure only fetches what is missing.
public struct BillWait {
    /// The downloads.
    public var fetch: BillFetch
    /// How long to keep trying, in seconds; 0 tries once.
    public var waitSeconds: Int64
    /// How long to wait between tries, in seconds.
    public var retryEvery: Int64
    /// Where progress is logged.
    public var logger: Logger
    /// Counts the wait and waits between tries: the fetch's clock.
    public var clock: any RunClock { fetch.clock }

    /// Creates a wait.
    public init(fetch: BillFetch, waitSeconds: Int64, retryEvery: Int64, logger: Logger) {
        self.fetch = fetch
        self.waitSeconds = waitSeconds
        self.retryEvery = retryEvery
        self.logger = logger
    }

    /// Fetches every merchant's bill of every day that `folder` does not hold yet.
    /// - Throws: ``ReconError``: `billsNotReady` when a bill is still being made at the deadline,
    ///   `badInput` when a download failed (a bad signature or hash, a refused call).
    public func run(days: [CivilDate], merchants: [MerchantRef], folder: String) async throws -> [BillFetch.Outcome] {
        let started = clock.uptime()
        var wanted = days.flatMap { day in merchants.map { (merchant: $0, day: day) } }.filter {
            !Self.present(merchant: $0.merchant, day: $0.day, in: folder)
        }
        var done: [BillFetch.Outcome] = []
        var tries = 0
        while !wanted.isEmpty {
            tries += 1
            let outcomes = try await fetch.run(wanted, folder: folder)
            for outcome in outcomes where outcome.result != nil && !outcome.isNotReady {
                logger.info("bill fetched", metadata: ["merchant": "\(outcome.merchant)", "day": "\(outcome.day)", "result": "\(outcome.line)"])
            }
            done += outcomes.filter { $0.result != nil && !$0.isNotReady }
            let failed = outcomes.filter { $0.result == nil }
            if !failed.isEmpty {
                throw ReconError.badInput(
                    "A bill download failed, so nothing was reconciled:\n" + failed.map { "  " + $0.line }.joined(separator: "\n")
                        + "\nFix the cause (keys, base URL, the provider's answer) and run again.")
            }
            let waiting = outcomes.filter(\.isNotReady)
            wanted = waiting.map { ($0.merchant, $0.day) }
            guard !waiting.isEmpty else { break }
            let elapsed = Int64(clock.seconds(since: started))
            guard elapsed + retryEvery <= waitSeconds else {
                throw ReconError(
                    .billsNotReady,
                    "Bills not ready after \(tries) tr\(tries == 1 ? "y" : "ies") over \(DurationText.describe(elapsed)) "
                        + "(bills.wait is \(DurationText.describe(waitSeconds))):\n"
                        + waiting.map { "  " + $0.line }.joined(separator: "\n")
                        + "\nNothing was reconciled. Run again later; the bills already fetched are kept.")
            }
            logger.warning(
                "bills not ready; trying again",
                metadata: [
                    "bills": "\(waiting.map { "\($0.merchant) \($0.day)" }.joined(separator: ", "))",
                    "in": "\(DurationText.describe(retryEvery))",
                ])
            try await clock.sleep(seconds: Double(retryEvery))
        }
        return done
    }

    /// Whether `folder` already holds the merchant's bill of `day`, or a marker that it has none.
    /// Names are read as the run reads them.
    public static func present(merchant: MerchantRef, day: CivilDate, in folder: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.contains { name in
            guard !name.hasPrefix("."), let bill = BillFileName(fileName: name) ?? NoBillMarker.billName(of: name) else { return false }
            return bill.merchant == merchant && bill.day == day
        }
    }
}
