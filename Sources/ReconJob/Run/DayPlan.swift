import ReconCore

/// One day of a run, planned once before it is read: the merchants whose bills cover it, its
/// bills, and each provider's window of it, so the stages that read, match, query and count the
/// day all go by the same windows.
struct DayPlan: Sendable {
    /// The day.
    let day: CivilDate
    /// The bills of the whole run.
    let coverage: BillCoverage
    /// The merchants whose bills cover the day.
    let merchants: [MerchantRef]
    /// The day's bills (and no-bill markers).
    let bills: [PlannedBill]
    /// The run's bills, which say which merchants each covers.
    let inventory: BillInventory
    private let windows: [ProviderID: DayWindow]
    private let zones: ProviderZones
    private let policy: MatchPolicy

    init(day: CivilDate, inventory: BillInventory, coverage: BillCoverage, config: ReconConfig) {
        self.day = day
        self.coverage = coverage
        self.merchants = coverage.merchants(on: day)
        self.bills = inventory.bills(on: day)
        self.inventory = inventory
        self.policy = config.policy
        self.zones = config.zones
        self.windows = Dictionary(
            uniqueKeysWithValues: Set(ReconConfig.knownProviders + merchants.map(\.provider)).map {
                ($0, config.zones.window(day, for: $0))
            })
    }

    /// The day in `provider`'s zone; worked out on the spot for a provider the store names that
    /// order-recon does not know (its orders are counted as not reconciled).
    func window(for provider: ProviderID) -> DayWindow {
        windows[provider] ?? zones.window(day, for: provider)
    }

    /// The instants the store is read over for `merchant`: its provider's day, widened by the grace.
    func loadRange(for merchant: MerchantRef) -> Range<Int64> {
        policy.loadRange(window(for: merchant.provider))
    }
}
