import Logging
import ProviderPlugins
import ReconBills
import ReconClock
import ReconCore
import ReconReports
import ReconStore

/// The one place a nightly job is put together from its configuration and the machine it runs
/// on. The run opens the orders (``openOrders(_:)``) and its results (``openResults(_:)``) and reads the bills named in the configuration
/// with every format the providers' plug-ins publish (``billReader(zones:)``), and connects to the
/// providers their accounts configure (``ProviderConnection``); the job around it gets the mailer
/// and the metrics sink of the outputs. Below this point nothing reads the clock or the
/// environment: the clock and the user are handed down from here. Tests put the same parts
/// together with their own transport (a simulator's clients, a mailer that keeps messages).
public enum JobAssembly {
    /// The providers this build knows (``Providers``): their merchant-id rules, error codes and bill naming.
    public static var providers: ProviderDirectory { Providers.directory }

    /// A reader of every bill format the providers publish.
    public static func billReader(zones: ProviderZones) -> BillReader {
        BillReader(formats: Providers.billFormats, zones: zones)
    }

    /// The merchant's orders a run reads: the SQLite store, or PostgreSQL on a read-only connection.
    public static func openOrders(_ config: ReconConfig) throws -> any OrderSource {
        guard config.ordersInPostgres else {
            return try OrderStore(path: config.storePath, naiveTimeZone: config.storeTimeZone, providers: providers)
        }
        return try PostgresOrderStore(
            address: PostgresAddress(config.storePath, setting: "store.url"), environment: config.postgresEnvironment,
            naiveTimeZone: config.storeTimeZone, providers: providers, displayZone: config.zones.defaultZone)
    }

    /// Where a run keeps its results: `results.url`'s PostgreSQL database or SQLite file (created when
    /// missing), else the order store's own tables, on a connection of its own.
    /// - Throws: ``StoreError`` when the file, a table or a column is missing, or the server cannot be reached.
    public static func openResults(_ config: ReconConfig) throws -> any ResultsStore {
        guard let results = config.resultsPath else {
            return try OrderStore(path: config.storePath, naiveTimeZone: config.storeTimeZone, providers: providers)
        }
        guard config.resultsInPostgres else { return try OrderStore.results(at: results) }
        return try PostgresResultsStore(
            address: PostgresAddress(results, setting: "results.url"), environment: config.postgresEnvironment, providers: providers)
    }

    /// Builds the job.
    /// - Parameters:
    ///   - environment: The process environment; `USER` names who `--apply` audits.
    ///   - cores: The machine's cores, for reading large bills in parts.
    ///   - identity: How the job names itself in the store's lock.
    ///   - progress: Where long steps report, for a progress line on a terminal.
    public static func build(
        config: ReconConfig, mode: ReconciliationRun.ApplyMode, clock: any RunClock, environment: [String: String],
        cores: Int, identity: ProcessIdentity, logger: Logger, progress: (@Sendable (ProgressEvent) -> Void)? = nil
    ) -> JobRunner {
        var run = ReconciliationRun(config: config, logger: logger, clock: clock)
        run.mode = mode
        run.progress = progress
        run.cores = cores
        run.host = identity.host
        run.actor = environment["USER"].map { "order-recon (\($0))" } ?? "order-recon"
        let outputs = config.outputs
        var job = JobRunner(
            run: run, outputs: outputs, mailer: SendmailMailer(command: outputs.mailCommand, arguments: outputs.mailArguments),
            metrics: outputs.metricsTextfile.map(MetricsTextfile.init(path:)))
        job.identity = identity
        return job
    }
}
