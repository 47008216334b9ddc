import Foundation
import Logging
import ReconClock
import ReconCore
import ReconReports
import ReconStore

/// A whole job: the run, then its e-mail and its metrics file. Whatever the run does, the metrics
/// record it and the e-mail goes out when the settings say so.
public struct JobRunner {
    /// The run.
    public var run: ReconciliationRun
    /// Where e-mail and metrics go.
    public var outputs: OutputSettings
    /// Where the e-mail goes.
    public var mailer: any Mailer
    /// Where the metrics go, when the settings name a place (`metrics.textfile`).
    public var metrics: (any MetricsSink)?
    /// How the job names itself in the store's lock.
    public var identity = ProcessIdentity.unnamed

    /// What a job did.
    public struct Outcome: Sendable {
        /// The run's result, when it saved one.
        public var result: RunResult?
        /// Why it failed, when it did.
        public var error: ReconError?
        /// Problems after the run (e-mail, metrics), each a message for stderr.
        public var problems: [String]
        /// The exit status: the run's, or ``ExitStatus/failure`` when the e-mail or metrics could not be written.
        public var status: ExitStatus
    }

    /// Creates a job; ``JobAssembly/build(config:mode:clock:environment:logger:progress:)`` is how commands make one.
    /// - Parameters:
    ///   - mailer: The mailer; by default the MTA command of `outputs`.
    ///   - metrics: Where the metrics go; by default the textfile `outputs` names, if any.
    public init(run: ReconciliationRun, outputs: OutputSettings, mailer: (any Mailer)? = nil, metrics: (any MetricsSink)? = nil) {
        self.run = run
        self.outputs = outputs
        self.mailer = mailer ?? SendmailMailer(command: outputs.mailCommand, arguments: outputs.mailArguments)
        self.metrics = metrics ?? outputs.metricsTextfile.map(MetricsTextfile.init(path:))
    }

    /// The store's lock, once any other command holding it has finished (``StoreLock``); `nil`
    /// when the store does not exist, which the run then reports, and when the results are in
    /// PostgreSQL, where the run takes its merchants instead (``PostgresResultsStore/claim(_:)``).
    private func takeLock() async throws -> StoreLock? {
        guard !run.config.resultsInPostgres else { return nil }
        let store = run.config.resultsFile
        // A results file of its own is made before it is locked, so the first run holds the lock too.
        if run.config.resultsPath != nil { _ = try OrderStore.results(at: store) }
        guard FileManager.default.fileExists(atPath: store) else { return nil }
        let config = run.config
        return try await StoreLock.acquire(
            store: store, holder: identity.holder(since: config.timestamp(run.clock)),
            waitSeconds: config.storeLockWaitSeconds, logger: run.logger, clock: run.clock)
    }

    /// Downloads what the run will need, waiting for bills that are not ready.
    private func fetchBills(_ days: [CivilDate]) async throws {
        let config = run.config
        let folder = outputs.downloadFolder ?? config.billPaths.first { path in
            var isFolder: ObjCBool = false
            return !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) || isFolder.boolValue
        }
        guard let folder else {
            throw ReconError.usage("--download needs a folder for the bills: set bills.download_folder, or give a folder in bills.paths.")
        }
        let fetch = BillFetch(config: config, clock: run.clock)
        let wait = BillWait(fetch: fetch, waitSeconds: outputs.billWaitSeconds, retryEvery: outputs.billRetrySeconds, logger: run.logger)
        _ = try await wait.run(days: days, merchants: config.billMerchants.filter(config.owns), folder: folder)
    }

    /// Runs `days` holding the store's lock, then sends the e-mail and writes the metrics.
    public func execute(days: [CivilDate]) async -> Outcome {
        var lock: StoreLock?
        defer { lock?.release() }
        return await finish(days: days) {
            lock = try await takeLock()
            if outputs.download { try await fetchBills(days) }
            return try await run.run(days: days)
        }
    }

    /// Composes `day` from what its shards saved (``DayComposer``), then sends the day's e-mail and
    /// writes the metrics, as a run over every merchant would.
    public func report(day: CivilDate, shards: Int?) async -> Outcome {
        await finish(days: [day]) {
            try DayComposer(config: run.config, logger: run.logger, clock: run.clock).compose(day, shards: shards)
        }
    }

    /// Does `work`, then sends the e-mail and writes the metrics of what it did.
    private func finish(days: [CivilDate], _ work: () async throws -> RunResult) async -> Outcome {
        let started = run.clock.uptime()
        var outcome = Outcome(result: nil, error: nil, problems: [], status: .clean)
        do {
            let result = try await work()
            outcome.result = result
            outcome.status = result.status
        } catch {
            outcome.error = ReconError.wrapping(error)
            outcome.status = outcome.error!.status
        }
        let finished = run.config.timestamp(run.clock)
        let duration = run.clock.seconds(since: started)

        if outputs.sendsMail(for: outcome.status) {
            let message = outcome.result.map { RunMail.message(for: $0, days: days, settings: outputs, date: Date(timeIntervalSince1970: run.clock.now())) }
                ?? RunMail.failure(outcome.error!, days: days, settings: outputs, date: Date(timeIntervalSince1970: run.clock.now()))
            do {
                try await mailer.send(message)
                run.logger.info("mail sent", metadata: ["to": "\(outputs.mailTo.joined(separator: ","))"])
            } catch {
                outcome.problems.append("The e-mail was not sent: \(error)")
            }
        }
        if let sink = metrics {
            let store = try? JobAssembly.openResults(run.config)
            let metrics: RunMetrics
            if let result = outcome.result {
                metrics = RunMetrics(
                    result, finished: finished, durationSeconds: duration, openItems: (try? store?.openItems(in: [.open]).count) ?? 0)
            } else {
                metrics = RunMetrics(
                    failedAt: finished, lastSuccess: (try? store?.lastRunFinished()) ?? nil,
                    exitCode: outcome.status.rawValue, durationSeconds: duration, days: days.count)
            }
            do {
                try sink.write(metrics)
            } catch {
                outcome.problems.append("\(error)")
            }
        }
        if !outcome.problems.isEmpty, outcome.status.rawValue < ExitStatus.failure.rawValue {
            outcome.status = .failure
        }
        return outcome
    }
}
