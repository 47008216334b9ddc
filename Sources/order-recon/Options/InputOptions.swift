import ArgumentParser
import Foundation
import Logging
import ReconJob

/// Where the store, the bills and the reports are; each option wins over the environment and
/// the config file.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "YAML config file (see the README's Configuration section).")
    var config: String?

    @Option(name: .long, help: "The order store: an SQLite file, or a postgres:// URL (read only; needs --results).")
    var store: String?

    @Option(name: .long, help: "The SQLite file the results go to (default: the order store's file).")
    var results: String?

    @Option(
        name: .customLong("bills"),
        help: ArgumentHelp(
            "A bill file, or a folder of bills named <provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv[.gz]. Repeatable.",
            valueName: "path"))
    var bills: [String] = []

    @Option(name: .long, help: "The report archive: YYYY/MM/DD/ per day, with a folder per provider and merchant.")
    var reports: String?

    @Option(name: .customLong("time-zone"), help: "The providers' time zone (default Asia/Shanghai).")
    var timeZone: String?

    @Option(name: .long, help: "Seconds from midnight within which a missing row is blamed on the day boundary (default 600).")
    var grace: Int?

    @Option(
        name: .customLong("merchant"),
        help: ArgumentHelp("A merchant that must have a bill every day, as provider/id. Repeatable.", valueName: "merchant"))
    var merchants: [String] = []

    @Flag(
        name: .customLong("no-queries"),
        help: "Reconcile against the bills only: ask no provider about pending items, even when providers are configured.")
    var noQueries = false

    @Option(name: .customLong("keep-days"), help: "Keep this many days of reports in the archive; older day folders are removed.")
    var keepDays: Int?

    @Flag(help: "Download the bills the run needs first (those not in the bills folder yet), through the providers' bill APIs.")
    var download = false

    @Option(
        name: .customLong("wait"),
        help: ArgumentHelp("With --download, keep trying bills that are not ready for this long (such as 4h; default bills.wait or 0).", valueName: "duration"))
    var wait: String?

    @Option(
        name: .customLong("lock-wait"),
        help: ArgumentHelp(
            "How long to wait for another order-recon to release the store (such as 10m; default store.lock_wait or 5m); then exit 6.",
            valueName: "duration"))
    var lockWait: String?

    var overrides: ConfigOverrides {
        var overrides = ConfigOverrides(
            storePath: store, billPaths: bills, reportsFolder: reports, timeZone: timeZone, graceSeconds: grace,
            merchants: merchants, queries: noQueries ? false : nil)
        overrides.resultsPath = results
        overrides.keepDays = keepDays
        overrides.download = download ? true : nil
        overrides.billWait = wait
        overrides.lockWait = lockWait
        return overrides
    }
}

/// How much is logged to stderr, and how.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log each step to stderr (info level); otherwise only warnings and errors.")
    var verbose = false

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp(
            "auto (console on a terminal, logfmt otherwise), console, logfmt or json. Default: $ORDER_RECON_LOG_FORMAT or auto.",
            valueName: "format"))
    var format: String?

    func validate() throws {
        _ = try resolvedFormat()
    }

    /// The format asked for, resolved against whether stderr is a terminal.
    func resolvedFormat(isTerminal: Bool = StandardError.shared.isTerminal) throws -> LogFormat {
        let text = format ?? Machine.environment["ORDER_RECON_LOG_FORMAT"] ?? "auto"
        guard let format = LogFormat(rawValue: text) else {
            throw ValidationError("--log-format '\(text)' is not one of auto, console, logfmt, json.")
        }
        return format.resolved(isTerminal: isTerminal)
    }

    /// Sends swift-log's output to stderr in the chosen format, and returns the logger to use.
    func bootstrap(label: String = "order-recon") throws -> Logger {
        let format = try resolvedFormat()
        LoggingSystem.bootstrap { LineLogHandler(label: $0, format: format, clock: Machine.clock) }
        var logger = Logger(label: label)
        logger.logLevel = verbose ? .info : .warning
        return logger
    }
}
