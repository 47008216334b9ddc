import ReconCore

/// One provider's section of the configuration (`providers.<name>`), as its plug-in reads it.
/// Keys are relative to the section: `["platform_key_id"]`, `["merchants", id, "serial_no"]`.
public protocol ProviderConfigSection {
    /// The provider the section is of.
    var provider: ProviderID { get }
    /// The merchant ids listed under `merchants`, each already checked against the provider's rule.
    var merchantIDs: [String] { get }
    /// The API's `base_url`, an `http://` or `https://` URL; `nil` when the section has none.
    func baseURL() throws -> String?
    /// A text setting, when given.
    func string(_ key: [String]) -> String?
    /// A text setting that must be given.
    /// - Throws: ``ProviderConfigProblem`` naming the full key when it is missing or empty.
    func required(_ key: [String]) throws -> String
    /// A file's path that must be given, resolved against the configuration file's folder.
    /// - Throws: ``ProviderConfigProblem`` naming the full key when it is missing or empty.
    func requiredPath(_ key: [String]) throws -> String
}
