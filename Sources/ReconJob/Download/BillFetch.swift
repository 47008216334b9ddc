import AsyncHTTPClient
import Foundation
import ReconClock
import ReconCore
import ReconProviders

/// Downloads the bills of a range of days for the configured merchants, through each provider's
/// bill API, into one folder named as the run expects.
public struct BillFetch {
    /// How one bill ended.
    public struct Outcome: Sendable, Hashable {
        public var merchant: MerchantRef
        public var day: CivilDate
        /// The download's result, or `nil` when it failed.
        public var result: BillDownload?
        /// Why it failed.
        public var error: String?
        /// How a saved bill was verified.
        public var check = ""

        /// Whether the provider has not finished the bill yet.
        public var isNotReady: Bool {
            if case .notReady? = result { return true }
            return false
        }

        /// One line for people.
        public var line: String {
            switch result {
            case .saved(let path, let bytes): "\(merchant) \(day): saved \(path) (\(bytes) bytes, \(check))"
            case .noBill(let code): "\(merchant) \(day): no bill (\(code)): the merchant had no trade that day; wrote \(NoBillMarker.fileName(merchant: merchant, day: day))"
            case .notReady(let code, let message): "\(merchant) \(day): not ready yet (\(code)\(message.isEmpty ? "" : ": \(message)")); try again later"
            case nil: "\(merchant) \(day): FAILED: \(error ?? "")"
            }
        }
    }

    public let config: ReconConfig
    /// The bill sources; when `nil`, built from the configuration's key files.
    public var sources: [any BillSource]?

    /// Stamps the ``NoBillMarker`` a download leaves when the provider says a day has no bill,
    /// so the run reconciles that day as empty.
    public let clock: any RunClock

    public init(config: ReconConfig, clock: any RunClock) {
        self.config = config
        self.clock = clock
    }

    /// Downloads each merchant's bill of each day into `folder`; every bill is tried, whatever
    /// happens to the others.
    public func run(days: [CivilDate], merchants: [MerchantRef], folder: String) async throws -> [Outcome] {
        try await run(days.flatMap { day in merchants.map { (merchant: $0, day: day) } }, folder: folder)
    }

    /// Downloads each (merchant, day) bill into `folder`.
    public func run(_ wanted: [(merchant: MerchantRef, day: CivilDate)], folder: String) async throws -> [Outcome] {
        if let sources { return await fetch(wanted, folder: folder, sources: sources) }
        return try await ProviderConnection.open(config.providers, concurrency: 2, clock: clock).using { connection in
            await fetch(wanted, folder: folder, sources: connection.clients.compactMap { $0 as? any BillSource })
        }
    }

    private func fetch(_ wanted: [(merchant: MerchantRef, day: CivilDate)], folder: String, sources: [any BillSource]) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for (merchant, day) in wanted {
            do {
                guard let source = sources.first(where: { $0.provider == merchant.provider }) else {
                    outcomes.append(
                        Outcome(merchant: merchant, day: day, error: "no \(merchant.provider) API is configured (providers.\(merchant.provider).base_url)"))
                    continue
                }
                let result = try await source.downloadBill(day: day, merchant: merchant, into: folder)
                if case .noBill(let code) = result {
                    _ = try NoBillMarker.write(code: code, merchant: merchant, day: day, at: config.timestamp(clock), into: folder)
                }
                var outcome = Outcome(merchant: merchant, day: day, result: result)
                outcome.check = source.downloadCheck
                outcomes.append(outcome)
            } catch {
                outcomes.append(Outcome(merchant: merchant, day: day, error: "\(error)"))
            }
        }
        return outcomes
    }
}
