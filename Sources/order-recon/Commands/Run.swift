import ArgumentParser
import Foundation
import Logging
import ReconCore
import ReconJob

/// `order-recon run`: reconciles one day or a range of days.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile the store against the bills of one day or a range of days.",
        discussion: """
            Each day is reconciled separately and gets its own JSON and CSV report under \
            <reports>/<YYYY-MM-DD>/. A summary is printed on stdout. Without a date, yesterday (in \
            the providers' time zone) is reconciled.
            """)

    @Option(help: "The day to reconcile.")
    var date: CivilDate?

    @Option(help: "The first day of a range (with --to).")
    var from: CivilDate?

    @Option(help: "The last day of a range (with --from).")
    var to: CivilDate?

    @OptionGroup var inputs: InputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if date != nil, from != nil || to != nil {
            throw ValidationError("Give either --date, or --from and --to, not both.")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together.") }
        if let from, let to, to < from { throw ValidationError("--to (\(to)) is before --from (\(from)).") }
    }

    func run() async throws {
        let config = try await ConfigLoader.load(file: inputs.config, overrides: inputs.overrides)
        let days: [CivilDate]
        if let date {
            days = [date]
        } else if let from, let to {
            days = from.through(to)
        } else {
            let today = config.zones.defaultZone.timestamp(atEpochSeconds: Int64(Date().timeIntervalSince1970)).wallClock.date
            days = [today.adding(days: -1)]
        }
        var logger = Logger(label: "order-recon")
        logger.logLevel = logging.verbose ? .info : .warning
        do {
            let result = try await ReconciliationRun(config: config, logger: logger).run(days: days)
            print(result.summary, terminator: "")
            if result.status != .clean { throw ExitCode(result.status.rawValue) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ReconError.wrapping(error)
        }
    }
}
