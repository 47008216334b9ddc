import ReconBills
import ReconCore

/// A provider, as one folder of its own gives it to order-recon: its profile (name, merchant-id
/// rule, error codes, bill naming), the bill formats it publishes, and how its API is configured.
/// The providers a build knows are listed once, one line each, in `ProviderPlugins`.
package protocol ProviderPlugin: Sendable {
    /// What the core needs to know of the provider.
    var profile: ProviderProfile { get }
    /// The bill formats it publishes, tried in order; empty when order-recon reads none of its bills.
    var billFormats: [any BillFormatReader] { get }
    /// The settings of its section beyond `time_zone`, `base_url` and each merchant's
    /// `rate_limit` and `rate_burst`, relative to the section, `*` standing for a merchant id:
    /// `platform_key_id`, `merchants.*.serial_no`.
    var settingKeys: [String] { get }
    /// Reads the provider's section of the configuration (`providers.<name>`).
    /// - Returns: The configured API, or `nil` when the section names no `base_url` (the provider's
    ///   bills are still read; its orders are not queried).
    /// - Throws: ``ProviderConfigProblem`` naming the setting that is missing or wrong.
    func account(from section: any ProviderConfigSection) throws -> (any ProviderAccount)?
    /// The merchants its section configures under another whose bill holds their rows (a service
    /// provider's sub-merchants), as ids of the section's merchants and of their parents.
    /// - Throws: ``ProviderConfigProblem`` naming the setting that is wrong.
    func merchantGroups(from section: any ProviderConfigSection) throws -> [(member: String, parent: String)]
}

extension ProviderPlugin {
    /// The provider's name.
    package var id: ProviderID { profile.id }
    package var billFormats: [any BillFormatReader] { [] }
    package var settingKeys: [String] { [] }
    package func account(from section: any ProviderConfigSection) throws -> (any ProviderAccount)? { nil }
    package func merchantGroups(from section: any ProviderConfigSection) throws -> [(member: String, parent: String)] { [] }
}

/// A setting of a provider's section that is missing or wrong, as the plug-in words it; the
/// configuration loader adds the file and line.
public struct ProviderConfigProblem: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
