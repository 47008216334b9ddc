/// The time zone each provider counts its days in.
public struct ProviderZones: Hashable, Sendable {
    /// The zone of providers without an override.
    public var defaultZone: ZoneRules
    /// Per-provider zones.
    public var overrides: [ProviderID: ZoneRules]

    /// Creates a zone book; every provider uses `defaultZone` unless overridden.
    public init(defaultZone: ZoneRules = .shanghai, overrides: [ProviderID: ZoneRules] = [:]) {
        self.defaultZone = defaultZone
        self.overrides = overrides
    }

    /// The zone of `provider`.
    public func zone(for provider: ProviderID) -> ZoneRules { overrides[provider] ?? defaultZone }

    /// The window of `day` for `provider`.
    public func window(_ day: CivilDate, for provider: ProviderID) -> DayWindow {
        DayWindow(day: day, zone: zone(for: provider))
    }
}
