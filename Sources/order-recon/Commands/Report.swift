import ArgumentParser
import Foundation
import ReconCore
import ReconJob

/// `order-recon report`: composes a sharded day's report once every shard has saved it.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compose the day-wide report of a day that shards reconciled, once every shard has saved it.",
        discussion: """
            Reads what each `order-recon run --shard I/N` saved of the day in the PostgreSQL results \
            database (--results), writes the day's JSON, CSV and HTML to <reports>/YYYY/MM/DD/, prints \
            the summary, and sends the e-mail and writes the metrics the configuration asks for, as one \
            run over every merchant would. It reads no bill and asks no provider. When a shard has not \
            saved the day it writes nothing, names the shards missing and the merchants of each (from \
            the order store, when given), and exits 8. Exit codes: 0 clean, 1 discrepancies, 2 usage \
            or configuration error, 3 bad input, 4 other failure, 8 a shard is missing.
            """)

    @Option(help: "The day (YYYY-MM-DD) the shards reconciled (default: yesterday, in the providers' time zone, as run counts it).")
    var date: CivilDate?

    @Option(help: "How many shards split the day (default: the split the day was saved with).")
    var shards: Int?

    /// `--results` names the PostgreSQL database the shards share; `--store`, when given, names
    /// the merchants of a shard that has not saved the day.
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The report archive the shards write to.")
    var reports: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let shards, !(1...10_000).contains(shards) { throw ValidationError("--shards must be 1 to 10000, not \(shards).") }
    }

    func run() async throws {
        let config = try await storeOptions.load(requiringStore: false, reportsFolder: reports)
        guard !config.reportsFolder.isEmpty else {
            throw ReconError.usage("No report folder given. Pass --reports FOLDER (the shards' archive) or set reports.folder.")
        }
        let job = JobAssembly.build(
            config: config, mode: .report, clock: Machine.clock, environment: Machine.environment, cores: Machine.cores,
            identity: Machine.identity, logger: try logging.bootstrap())
        let outcome = await job.report(day: date ?? config.today(Machine.clock).adding(days: -1), shards: shards)
        if let result = outcome.result { Output.write(result.summary) }
        if let error = outcome.error { Output.error(error.message) }
        for problem in outcome.problems { Output.error(problem) }
        if outcome.status != .clean { throw ExitCode(outcome.status.rawValue) }
    }
}
