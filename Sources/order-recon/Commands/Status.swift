import ArgumentParser
import Foundation
import ReconClock
import ReconCore
import ReconJob
import ReconStore

/// `order-recon status --max-age 26h`: the dead-man check for monitoring.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say when the last successful run finished; exit 1 when that is longer ago than --max-age.",
        discussion: """
            A run is successful when it saved its results, whether or not it found discrepancies. \
            Exit codes: 0 the last successful run is recent enough, 1 it is too old or there is none, \
            2 usage error, 3 the store cannot be read.
            """)

    @Option(
        name: .customLong("max-age"),
        help: ArgumentHelp("The oldest acceptable last success, such as 26h, 90m or 2d.", valueName: "duration"))
    var maxAge: String = "26h"

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard let seconds = DurationText.seconds(maxAge), seconds > 0 else {
            throw ValidationError("--max-age '\(maxAge)' is not a duration; write it like 26h, 90m, 2d or 1h30m.")
        }
    }

    func run() async throws {
        let limit = DurationText.seconds(maxAge)!
        let last: Timestamp?
        let config: ReconConfig
        do {
            config = try await storeOptions.load()
            last = try JobAssembly.openResults(config).lastRunFinished()
        } catch {
            throw ReconError.wrapping(error)
        }
        guard let last else {
            Output.line("STALE: \(config.resultsFile) records no successful run. Run 'order-recon run' (cron/README.md sets it up).")
            throw ExitCode(ExitStatus.discrepancies.rawValue)
        }
        let age = Machine.clock.epochSeconds() - last.epochSeconds
        let text = "last successful run finished \(last.rfc3339), \(DurationText.describe(age)) ago (limit \(DurationText.describe(limit)))"
        if age > limit {
            Output.line("STALE: \(text). Check the job's log (cron/README.md says where) and run it again.")
            throw ExitCode(ExitStatus.discrepancies.rawValue)
        }
        Output.line("OK: \(text)")
    }
}
