import Foundation
import ProviderPlugins
import ReconClock
import ReconCore
import ReconStore

/// The settings of a run, typed and validated.
///
/// Built once by ``ConfigLoader`` from the command line, the environment and the config file, so
/// nothing past the edge ever reads raw configuration.
public struct ReconConfig: Sendable {
    /// Where the orders are: an SQLite file, or a PostgreSQL URL (`postgres://…`) read only.
    public var storePath: String
    /// Where the job keeps its results (`results.url`): an SQLite file or a PostgreSQL URL; `nil`
    /// keeps them in the order store's file. Needed when the orders are in PostgreSQL.
    public var resultsPath: String?
    /// This worker's share of the merchants (`--shard I/N`); ``Shard/all`` reconciles every one.
    public var shard = Shard.all
    /// The `PG*` variables libpq completes a PostgreSQL URL with.
    public var postgresEnvironment: [String: String] = [:]
    /// Bill files, or folders of bills named `<provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv[.gz]`.
    public var billPaths: [String]
    /// The folder reports are written to.
    public var reportsFolder: String
    /// The time zone each provider counts days in.
    public var zones: ProviderZones
    /// Matching settings.
    public var policy: MatchPolicy
    /// The merchants that must have a bill for every day reconciled; empty means "whichever have one".
    public var merchants: [MerchantRef]
    /// The provider leg: APIs, key files, pacing.
    public var providers: ProviderSettings
    /// The service providers whose bills cover their configured sub-merchants.
    public var merchantGroups = MerchantGroups()
    /// Days of reports the archive keeps; `nil` keeps every day.
    public var keepDays: Int?
    /// The zone the store's times without an offset are written in (`store.time_zone`); `nil`
    /// refuses such times wherever a run could need them.
    public var storeTimeZone: ZoneRules?
    /// How long a command waits for another one to release the store's lock, in seconds.
    public var storeLockWaitSeconds: Int64 = ReconConfig.defaultStoreLockWaitSeconds

    /// Five minutes: long enough for a hand rerun to wait out the end of a nightly run.
    public static let defaultStoreLockWaitSeconds: Int64 = 300
    /// E-mail and metrics.
    public var outputs = OutputSettings()

    /// Creates a configuration.
    public init(
        storePath: String, billPaths: [String], reportsFolder: String, zones: ProviderZones = ProviderZones(),
        policy: MatchPolicy = MatchPolicy(), merchants: [MerchantRef] = [], providers: ProviderSettings = ProviderSettings()
    ) {
        self.storePath = storePath
        self.billPaths = billPaths
        self.reportsFolder = reportsFolder
        self.zones = zones
        self.policy = policy
        self.merchants = merchants
        self.providers = providers
    }

    /// Whether the orders are in PostgreSQL rather than an SQLite file.
    public var ordersInPostgres: Bool { PostgresAddress.isURL(storePath) }

    /// Whether the results are in PostgreSQL, which many workers can share.
    public var resultsInPostgres: Bool { resultsPath.map(PostgresAddress.isURL) ?? false }

    /// The SQLite file of the job's results and its lock: `results.url`, else the order store;
    /// with the results in PostgreSQL, their URL (which no file lock is taken on).
    public var resultsFile: String { resultsPath ?? storePath }

    /// Whether `merchant` is in this worker's shard (``Shard/owns(_:in:)``).
    public func owns(_ merchant: MerchantRef) -> Bool { shard.owns(merchant, in: merchantGroups) }

    /// The merchants whose bills a download fetches by default: `reconcile.merchants` (a service
    /// provider there fetches its one bill for all its sub-merchants), else every merchant with keys.
    public var billMerchants: [MerchantRef] {
        merchants.isEmpty ? providers.merchants : merchants
    }

    /// The clock's time in the providers' default zone, to the second.
    public func timestamp(_ clock: any RunClock) -> Timestamp {
        zones.defaultZone.timestamp(atEpochSeconds: clock.epochSeconds())
    }

    /// The clock's day in the providers' default zone.
    public func today(_ clock: any RunClock) -> CivilDate {
        timestamp(clock).wallClock.date
    }

    /// The providers order-recon knows.
    public static let knownProviders: [ProviderID] = Providers.reconciled

    /// Parses `wechatpay/1900000109`: a known provider and a merchant id of its shape.
    /// - Throws: ``ReconError`` (usage) saying what is wrong with `text`.
    public static func merchant(from text: String) throws -> MerchantRef {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        func refuse(_ reason: String) -> ReconError {
            ReconError.usage(
                "'\(Printable.escaped(text))' is not a merchant. \(reason)Write provider/merchant-id, such as "
                    + "wechatpay/1900000109 or gateway/800100200.")
        }
        guard parts.count == 2 else { throw refuse("") }
        let provider = ProviderID(rawValue: parts[0])
        guard knownProviders.contains(provider) else {
            throw refuse("The providers are \(knownProviders.map(\.rawValue).joined(separator: " and ")). ")
        }
        let merchant = MerchantRef(provider: provider, merchantID: parts[1])
        if let problem = Providers.directory.problem(merchant) { throw refuse(problem.prefix(1).uppercased() + problem.dropFirst() + ". ") }
        return merchant
    }
}
