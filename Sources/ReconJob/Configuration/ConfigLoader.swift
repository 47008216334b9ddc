import Configuration
import Foundation
import ProviderPlugins
import ReconCore
import ReconProviders
import ReconStore
import Synchronization
import SystemPackage
import Yams

/// Settings given on the command line; each one, when present, wins over the environment and the
/// config file.
public struct ConfigOverrides: Sendable {
    /// `--store`.
    public var storePath: String?
    /// `--results`.
    public var resultsPath: String?
    /// `--bills` (repeatable).
    public var billPaths: [String] = []
    /// `--reports`.
    public var reportsFolder: String?
    /// `--time-zone`.
    public var timeZone: String?
    /// `--grace` in seconds.
    public var graceSeconds: Int?
    /// `--merchant` (repeatable), as `provider/id`.
    public var merchants: [String] = []
    /// `--no-queries` (false) to reconcile against the bills only.
    public var queries: Bool?
    /// `--keep-days`.
    public var keepDays: Int?
    /// `--download`.
    public var download: Bool?
    /// `--wait`, as written.
    public var billWait: String?
    /// `--lock-wait`, as written.
    public var lockWait: String?
    /// `--shard I/N`: this worker's share of the merchants.
    public var shard: Shard?

    /// Creates overrides.
    public init(
        storePath: String? = nil, billPaths: [String] = [], reportsFolder: String? = nil, timeZone: String? = nil,
        graceSeconds: Int? = nil, merchants: [String] = [], queries: Bool? = nil
    ) {
        self.storePath = storePath
        self.billPaths = billPaths
        self.reportsFolder = reportsFolder
        self.timeZone = timeZone
        self.graceSeconds = graceSeconds
        self.merchants = merchants
        self.queries = queries
    }
}

/// Builds a ``ReconConfig`` from, in order of precedence: command-line options, environment
/// variables (`ORDER_RECON_STORE_PATH`, …), the YAML config file, and defaults.
///
/// Relative paths in the config file are relative to the file's folder; relative paths given on
/// the command line or in the environment are relative to the working directory. An unknown key
/// in the file, or a value of the wrong type anywhere, is an error rather than a silent default.
public enum ConfigLoader {
    /// The settings a config file may hold, as dotted keys; `*` stands for a merchant id. Each
    /// provider's section has the common settings and its plug-in's own.
    public static let knownKeys: [String] = [
        "store.path", "store.url", "results.url", "store.time_zone", "store.lock_wait", "bills.paths", "bills.download", "bills.download_folder", "bills.wait", "bills.retry_every",
        "reports.folder", "reports.keep_days", "reconcile.time_zone", "reconcile.boundary_grace_seconds",
        "reconcile.merchants", "queries.enabled",
        "queries.concurrency", "queries.max_attempts", "queries.timeout_seconds", "queries.base_delay_ms",
        "queries.max_delay_ms", "queries.rate_limit", "queries.rate_burst", "queries.pending_max_age_days",
        "queries.pending_expiry_minutes", "mail.when", "mail.from", "mail.to", "mail.command", "mail.msmtp_config",
        "mail.account", "metrics.textfile",
    ] + Providers.all.filter { Providers.reconciled.contains($0.id) }.flatMap { plugin in
        (["time_zone", "base_url", "merchants.*.rate_limit", "merchants.*.rate_burst"] + plugin.settingKeys)
            .map { "providers.\(plugin.id).\($0)" }
    }

    /// The prefix of environment variables.
    public static let environmentPrefix = "ORDER_RECON"

    /// Loads the configuration.
    /// - Parameters:
    ///   - file: The YAML config file, if any.
    ///   - overrides: Command-line settings.
    ///   - environment: The process environment.
    /// - Throws: ``ReconError`` with status `usage` for every configuration problem.
    /// - Parameter requireInputs: Whether the store, bills and report folder must be given; a
    ///   bill download needs none of them.
    public static func load(
        file: String?, overrides: ConfigOverrides, environment: [String: String],
        requireInputs: Bool = true
    ) async throws -> ReconConfig {
        var fileProvider: FileProvider<YAMLSnapshot>?
        var fileMerchants: [ProviderID: [String]] = [:]
        var lines: [String: Int] = [:]
        if let file {
            (fileMerchants, lines) = try checkFile(file)
            do {
                fileProvider = try await FileProvider<YAMLSnapshot>(filePath: FilePath(file))
            } catch {
                throw ReconError.usage("\(file): cannot read the configuration: \(error). Fix the YAML and run again.")
            }
        }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let path = overrides.storePath {
            // Under both names, so that it wins over either in the file.
            values["store.path"] = ConfigValue(.string(path), isSecret: false)
            values["store.url"] = ConfigValue(.string(path), isSecret: false)
        }
        if let path = overrides.resultsPath { values["results.url"] = ConfigValue(.string(path), isSecret: false) }
        if !overrides.billPaths.isEmpty { values["bills.paths"] = ConfigValue(.stringArray(overrides.billPaths), isSecret: false) }
        if let folder = overrides.reportsFolder { values["reports.folder"] = ConfigValue(.string(folder), isSecret: false) }
        if let zone = overrides.timeZone { values["reconcile.time_zone"] = ConfigValue(.string(zone), isSecret: false) }
        if let grace = overrides.graceSeconds {
            values["reconcile.boundary_grace_seconds"] = ConfigValue(.int(grace), isSecret: false)
        }
        if !overrides.merchants.isEmpty {
            values["reconcile.merchants"] = ConfigValue(.stringArray(overrides.merchants), isSecret: false)
        }
        if let queries = overrides.queries { values["queries.enabled"] = ConfigValue(.bool(queries), isSecret: false) }
        if let keep = overrides.keepDays { values["reports.keep_days"] = ConfigValue(.int(keep), isSecret: false) }
        if let download = overrides.download { values["bills.download"] = ConfigValue(.bool(download), isSecret: false) }
        if let wait = overrides.billWait { values["bills.wait"] = ConfigValue(.string(wait), isSecret: false) }
        if let wait = overrides.lockWait { values["store.lock_wait"] = ConfigValue(.string(wait), isSecret: false) }
        let arguments = InMemoryProvider(name: "command line", values: values)
        let environmentProvider = EnvironmentVariablesProvider(environmentVariables: environment)
            .prefixKeys(with: ConfigKey(environmentPrefix.lowercased()))
        let collector = ProblemCollector(file: file, lines: lines)
        var providers: [any ConfigProvider] = [arguments, environmentProvider]
        if let fileProvider { providers.append(fileProvider) }
        let reader = ConfigReader(providers: providers, accessReporter: collector)
        let outside = ConfigReader(providers: [arguments, environmentProvider], accessReporter: collector)
        let base = file.map { ($0 as NSString).deletingLastPathComponent } ?? ""

        func path(_ key: ConfigKey) -> String? {
            guard let value = reader.string(forKey: key) else { return nil }
            return outside.string(forKey: key) != nil || PostgresAddress.isURL(value) ? value : resolve(value, against: base)
        }
        func paths(_ key: ConfigKey) -> [String] {
            guard let value = reader.stringArray(forKey: key) else { return [] }
            return outside.stringArray(forKey: key) != nil ? value : value.map { resolve($0, against: base) }
        }

        let storePath = try storeLocation(path("store.path"), url: path("store.url"))
        let resultsPath = path("results.url")
        let billPaths = paths("bills.paths")
        let reportsFolder = path("reports.folder")
        let zoneName = reader.string(forKey: "reconcile.time_zone", default: ZoneRules.shanghai.identifier)
        let grace = reader.int(forKey: "reconcile.boundary_grace_seconds", default: Int(MatchPolicy.defaultBoundaryGrace))
        let merchantTexts = reader.stringArray(forKey: "reconcile.merchants", default: [])
        var providerZones: [ProviderID: String] = [:]
        for provider in ReconConfig.knownProviders {
            if let zone = reader.string(forKey: ConfigKey(["providers", provider.rawValue, "time_zone"])) {
                providerZones[provider] = zone
            }
        }
        let providerSettings = try providerSettings(reader: reader, merchants: fileMerchants, path: path)
        let groups = try merchantGroups(reader: reader, merchants: fileMerchants, path: path)
        let keepDays = reader.int(forKey: "reports.keep_days")
        if let keepDays, keepDays < 1 {
            throw ReconError.usage("reports.keep_days (--keep-days) must be 1 or more, not \(keepDays); leave it out to keep every day.")
        }
        if let problem = collector.problems.first { throw ReconError.usage(problem + " Fix it and run again.") }

        guard let storePath = storePath ?? (requireInputs ? nil : "") else {
            throw ReconError.usage(
                "No order store given. Pass --store PATH, set store.path in the config file, or set ORDER_RECON_STORE_PATH.")
        }
        guard !billPaths.isEmpty || !requireInputs else {
            throw ReconError.usage(
                "No bills given. Pass --bills FILE_OR_FOLDER, set bills.paths in the config file, or set ORDER_RECON_BILLS_PATHS.")
        }
        guard let reportsFolder = reportsFolder ?? (requireInputs ? nil : "") else {
            throw ReconError.usage(
                "No report folder given. Pass --reports FOLDER, set reports.folder in the config file, or set "
                    + "ORDER_RECON_REPORTS_FOLDER.")
        }
        let defaultZone = try zone(named: zoneName, setting: "reconcile.time_zone")
        var overridesByProvider: [ProviderID: ZoneRules] = [:]
        for (provider, name) in providerZones {
            overridesByProvider[provider] = try zone(named: name, setting: "providers.\(provider).time_zone")
        }
        guard (0...86_399).contains(grace) else {
            throw ReconError.usage(
                "The boundary grace must be 0 to 86399 seconds, not \(grace). The default is \(MatchPolicy.defaultBoundaryGrace).")
        }
        let merchants = try merchantTexts.map(ReconConfig.merchant(from:))
        var config = ReconConfig(
            storePath: storePath, billPaths: billPaths, reportsFolder: reportsFolder,
            zones: ProviderZones(defaultZone: defaultZone, overrides: overridesByProvider),
            policy: MatchPolicy(boundaryGrace: Int64(grace)), merchants: merchants, providers: providerSettings)
        config.keepDays = keepDays
        config.merchantGroups = groups
        config.outputs = try outputs(reader: reader, path: path)
        config.storeTimeZone = try reader.string(forKey: "store.time_zone").map { try zone(named: $0, setting: "store.time_zone") }
        config.storeLockWaitSeconds = try duration(reader, "store.lock_wait", ReconConfig.defaultStoreLockWaitSeconds)
        config.resultsPath = resultsPath
        config.shard = overrides.shard ?? .all
        config.postgresEnvironment = environment.filter { $0.key.hasPrefix("PG") }
        try checkStores(config)
        return config
    }

    /// Where the orders are: `store.url` or `store.path` (the same setting under two names).
    private static func storeLocation(_ path: String?, url: String?) throws -> String? {
        if let path, let url, path != url {
            throw ReconError.usage(
                "store.path ('\(path)') and store.url ('\(url)') both say where the orders are; keep one of them.")
        }
        return url ?? path
    }

    /// Checks that a PostgreSQL URL can be used, that the results have a database of their own
    /// when the orders are in PostgreSQL (which the job only reads), and that shards share a
    /// PostgreSQL results database.
    private static func checkStores(_ config: ReconConfig) throws {
        do {
            if config.ordersInPostgres { _ = try PostgresAddress(config.storePath, setting: "store.url (--store)") }
            if let results = config.resultsPath, PostgresAddress.isURL(results) {
                _ = try PostgresAddress(results, setting: "results.url (--results)")
            }
        } catch let problem as PostgresAddress.Problem {
            throw ReconError.usage(problem.description)
        }
        if config.ordersInPostgres, config.resultsPath == nil {
            throw ReconError.usage(
                "The orders are in PostgreSQL (\(config.storePath)), which order-recon only reads: set results.url (or "
                    + "--results) to where its results, open items and history go (an SQLite file, or a PostgreSQL URL).")
        }
        if config.shard != .all, !config.resultsInPostgres {
            throw ReconError.usage(
                "--shard \(config.shard) splits the merchants between workers that share one results database: set "
                    + "results.url (or --results) to a postgres:// URL that every shard uses.")
        }
    }

    /// The zone `name` names, for the setting `setting`.
    /// - Throws: ``ReconError`` (usage) when it is not an IANA zone.
    private static func zone(named name: String, setting: String) throws -> ZoneRules {
        guard let zone = ZoneRules(identifier: name) else {
            throw ReconError.usage("Unknown time zone '\(name)' for \(setting). Use an IANA name such as Asia/Shanghai.")
        }
        return zone
    }

    /// The duration setting `key` in seconds (`4h`, `30m`, `90s`), or `fallback` when it is not set.
    /// - Throws: ``ReconError`` (usage) when it is set but is not a duration.
    private static func duration(_ reader: ConfigReader, _ key: String, _ fallback: Int64) throws -> Int64 {
        guard let text = reader.string(forKey: ConfigKey(key)) else { return fallback }
        guard let seconds = DurationText.seconds(text) else {
            throw ReconError.usage("\(key) is '\(text)', which is not a duration; write it like 4h, 30m or 90s.")
        }
        return seconds
    }

    /// E-mail and metrics.
    private static func outputs(reader: ConfigReader, path: (ConfigKey) -> String?) throws -> OutputSettings {
        var outputs = OutputSettings()
        if let when = reader.string(forKey: "mail.when") {
            guard let parsed = OutputSettings.MailWhen(rawValue: when) else {
                throw ReconError.usage(
                    "mail.when is '\(when)'; use problems (discrepancies or a failure, the default), always or never.")
            }
            outputs.mailWhen = parsed
        }
        outputs.mailTo = reader.stringArray(forKey: "mail.to", default: [])
        for address in outputs.mailTo + [reader.string(forKey: "mail.from") ?? outputs.mailFrom]
        where !address.contains("@") || address.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "," }) {
            throw ReconError.usage("'\(address)' in mail.to or mail.from is not an e-mail address.")
        }
        outputs.mailFrom = reader.string(forKey: "mail.from", default: outputs.mailFrom)
        outputs.mailCommand = path("mail.command") ?? outputs.mailCommand
        outputs.msmtpConfig = path("mail.msmtp_config")
        outputs.mailAccount = reader.string(forKey: "mail.account")
        outputs.metricsTextfile = path("metrics.textfile")
        outputs.download = reader.bool(forKey: "bills.download", default: false)
        outputs.downloadFolder = path("bills.download_folder")
        outputs.billWaitSeconds = try duration(reader, "bills.wait", 0)
        outputs.billRetrySeconds = try duration(reader, "bills.retry_every", 1_800)
        guard outputs.billRetrySeconds > 0 else { throw ReconError.usage("bills.retry_every must be longer than 0s.") }
        return outputs
    }

    /// The provider leg's settings. Merchants with keys are the ones the config file lists under
    /// `providers.<provider>.merchants`; the environment can override their settings.
    private static func providerSettings(
        reader: ConfigReader, merchants: [ProviderID: [String]], path: @escaping (ConfigKey) -> String?
    ) throws -> ProviderSettings {
        func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            let value = reader.int(forKey: ConfigKey(key), default: fallback)
            guard range.contains(value) else {
                throw ReconError.usage("The setting '\(key)' must be \(range.lowerBound) to \(range.upperBound), not \(value).")
            }
            return value
        }
        func rate(_ prefix: [String]) throws -> RateLimit? {
            guard let perSecond = reader.double(forKey: ConfigKey(prefix + ["rate_limit"])) else { return nil }
            guard perSecond > 0 else { throw ReconError.usage("The setting '\((prefix + ["rate_limit"]).joined(separator: "."))' must be above 0.") }
            return RateLimit(perSecond: perSecond, burst: reader.int(forKey: ConfigKey(prefix + ["rate_burst"]), default: 10))
        }
        var settings = ProviderSettings(
            queriesEnabled: reader.bool(forKey: "queries.enabled", default: true),
            query: QuerySettings(
                concurrency: try int("queries.concurrency", 16, 1...256), maxAttempts: try int("queries.max_attempts", 5, 1...20),
                baseDelay: .milliseconds(try int("queries.base_delay_ms", 200, 1...60_000)),
                maxDelay: .milliseconds(try int("queries.max_delay_ms", 5_000, 1...600_000)),
                defaultRate: try rate(["queries"]) ?? RateLimit(perSecond: 50, burst: 10)),
            timeoutSeconds: try int("queries.timeout_seconds", 10, 1...300),
            pendingMaxAgeSeconds: Int64(try int("queries.pending_max_age_days", 7, 0...90)) * 86_400,
            pendingExpirySeconds: Int64(try int("queries.pending_expiry_minutes", 120, 1...100_000)) * 60)
        for plugin in Providers.all where Providers.reconciled.contains(plugin.id) {
            let ids = merchants[plugin.id] ?? []
            let section = Section(provider: plugin.id, merchantIDs: ids, reader: reader, path: path)
            do {
                guard let account = try plugin.account(from: section) else { continue }
                settings.accounts.append(account)
            } catch let problem as ProviderConfigProblem {
                throw ReconError.usage(problem.description)
            }
            for id in ids {
                let prefix = ["providers", plugin.id.rawValue, "merchants", id]
                if let limit = try rate(prefix) { settings.query.rates["\(plugin.id)/\(id)"] = limit }
            }
        }
        return settings
    }

    /// The sub-merchants each plug-in's section configures under a service provider.
    private static func merchantGroups(
        reader: ConfigReader, merchants: [ProviderID: [String]], path: @escaping (ConfigKey) -> String?
    ) throws -> MerchantGroups {
        var groups = MerchantGroups()
        for plugin in Providers.all where Providers.reconciled.contains(plugin.id) {
            let section = Section(provider: plugin.id, merchantIDs: merchants[plugin.id] ?? [], reader: reader, path: path)
            do {
                for pair in try plugin.merchantGroups(from: section) {
                    groups.add(
                        MerchantRef(provider: plugin.id, merchantID: pair.member), to: MerchantRef(provider: plugin.id, merchantID: pair.parent))
                }
            } catch let problem as ProviderConfigProblem {
                throw ReconError.usage(problem.description)
            }
        }
        return groups
    }

    /// A provider's section, read through the same reader as the rest of the configuration.
    private struct Section: ProviderConfigSection {
        let provider: ProviderID
        let merchantIDs: [String]
        let reader: ConfigReader
        let path: (ConfigKey) -> String?

        private func key(_ key: [String]) -> [String] { ["providers", provider.rawValue] + key }

        func baseURL() throws -> String? {
            guard let text = string(["base_url"]) else { return nil }
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                throw ProviderConfigProblem("providers.\(provider).base_url must be an http:// or https:// URL, not '\(text)'.")
            }
            return text
        }

        func string(_ key: [String]) -> String? { reader.string(forKey: ConfigKey(self.key(key))) }

        func required(_ key: [String]) throws -> String {
            try given(string(key), key)
        }

        func requiredPath(_ key: [String]) throws -> String {
            try given(path(ConfigKey(self.key(key))), key)
        }

        private func given(_ value: String?, _ key: [String]) throws -> String {
            guard let value, !value.isEmpty else {
                throw ProviderConfigProblem("The setting '\(self.key(key).joined(separator: "."))' is missing. Add it to the config file.")
            }
            return value
        }
    }

    /// `path` taken relative to `base`, with `.` and `..` folded away; a relative result stays
    /// relative, so reports name files the same way wherever the checkout is.
    static func resolve(_ path: String, against base: String) -> String {
        guard !base.isEmpty, !path.hasPrefix("/") else { return path }
        let joined = FilePath(base).pushing(FilePath(path)).lexicallyNormalized()
        return joined.isEmpty ? "." : joined.string
    }
}
