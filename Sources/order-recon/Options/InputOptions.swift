import ArgumentParser
import ReconJob

/// Where the store, the bills and the reports are; each option wins over the environment and
/// the config file.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "YAML config file (see the README's Configuration section).")
    var config: String?

    @Option(name: .long, help: "The SQLite order store.")
    var store: String?

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

    var overrides: ConfigOverrides {
        var overrides = ConfigOverrides(
            storePath: store, billPaths: bills, reportsFolder: reports, timeZone: timeZone, graceSeconds: grace,
            merchants: merchants, queries: noQueries ? false : nil)
        overrides.keepDays = keepDays
        return overrides
    }
}

/// How much is logged to stderr.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log progress to stderr.")
    var verbose = false
}
