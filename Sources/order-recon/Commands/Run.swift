import ArgumentParser
import Foundation
import Logging
import ReconCore
import ReconJob

/// `order-recon run`: reconciles one day or a range of days.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Reconcile the store against the bills of one day or a range of days.",
        discussion: """
            Each day is reconciled separately; its JSON, CSV and HTML reports go under \
            <reports>/YYYY/MM/DD/, with a folder per provider and merchant holding that merchant's \
            reports and raw bills. A summary is printed on stdout. Without a date, yesterday (in \
            the providers' time zone) is reconciled. When providers are configured, pending and \
            uncertain orders and refunds are queried; --apply writes the final states they resolve \
            back to the store, --dry-run lists them. Exit codes: 0 clean, 1 discrepancies, 2 usage or \
            configuration error (including a merchant whose queries stopped on a credential answer), \
            3 bad input, 4 other failure, 5 bills still not ready when --wait ran out, 6 another \
            order-recon held the store's lock past --lock-wait, 7 a provider could not be reached (its \
            merchants' pending items were not queried; the reports are written).
            """)

    @OptionGroup var dates: DayOptions

    @Flag(help: "Write the final states that queries resolve back to the store, with an audit row each.")
    var apply = false

    @Flag(name: .customLong("dry-run"), help: "Print the changes --apply would make, and write none.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Reconcile only shard I of N of the merchants (0 ≤ I < N; the same split on every machine), with the results "
                + "in a PostgreSQL database all shards share; 'order-recon report' then composes the day.",
            valueName: "I/N"))
    var shard: String?

    @OptionGroup var inputs: InputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard '\(shard)' is not I/N with 0 ≤ I < N ≤ 10000, such as 0/3 (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX is I).")
        }
        if apply, dryRun { throw ValidationError("Give --apply or --dry-run, not both.") }
        if apply || dryRun, inputs.noQueries { throw ValidationError("--\(apply ? "apply" : "dry-run") needs queries; drop --no-queries.") }
    }

    func run() async throws {
        var overrides = inputs.overrides
        overrides.shard = shard.flatMap(Shard.init)
        let config = try await ConfigLoader.load(file: inputs.config, overrides: overrides, environment: Machine.environment)
        let days = dates.days(orElse: [config.today(Machine.clock).adding(days: -1)])
        let logger = try logging.bootstrap()
        let line = try logging.resolvedFormat() == .console && StandardError.shared.isTerminal ? ProgressLine(clock: Machine.clock) : nil
        let mode: ReconciliationRun.ApplyMode = apply ? .apply : dryRun ? .dryRun : .report
        var progress: (@Sendable (ProgressEvent) -> Void)?
        if let line { progress = { line.show($0) } }
        let job = JobAssembly.build(
            config: config, mode: mode, clock: Machine.clock, environment: Machine.environment, cores: Machine.cores,
            identity: Machine.identity, logger: logger, progress: progress)
        let outcome = await job.execute(days: days)
        line?.finish()
        if let result = outcome.result {
            Output.write(result.summary)
            for warning in result.warnings { Output.error("warning: \(warning)") }
            for message in result.stopped {
                Output.error(message)
            }
        }
        if let error = outcome.error {
            Output.error(error.message)
        }
        for problem in outcome.problems {
            Output.error(problem)
        }
        let status = outcome.status
        // The process ends next: the run's reports (every discrepancy and open item of its days)
        // are freed beside it rather than one by one before it.
        BackgroundRelease.release(consume outcome)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}
