import HTTPTypes
import Hummingbird
import ReconCore
import ReconProviders

/// One provider as the simulator serves it: its routes behind the shared ``FaultMiddleware``, and
/// its test keys. Each provider's folder holds its own; `ProviderSimulator` lists them, one line each.
package protocol SimulatedProvider: Sendable {
    /// The provider served.
    static var provider: ProviderID { get }
    /// Writes test keys for `merchants` into `keys`, keeping any that exist.
    static func generateKeys(for merchants: [String], in keys: SimulatorKeys) throws
    /// A merchant id of the provider's shape, for tools that need one.
    static var sampleMerchantID: String { get }
    /// The provider's words for an order's states, the paid one first.
    static var sampleOrderStates: [String] { get }
    /// The account order-recon would be configured with to reach the simulator at `baseURL` as
    /// `merchants`, with the keys `generateKeys` wrote.
    static func account(baseURL: String, merchants: [String], keys: SimulatorKeys) -> any ProviderAccount
    /// Reads the keys the provider signs its answers with.
    init(keys: SimulatorKeyRing) throws
    /// The paths whose answers are a bill's bytes: the middleware never faults them (their faults
    /// are in the bytes).
    var downloadPaths: Set<String> { get }
    /// What a server-error fault answers, unsigned.
    var serverError: (status: HTTPResponse.Status, text: String) { get }
    /// Adds the provider's routes to `group`.
    func register(on group: RouterGroup<SimulatorContext>, server: SimulatorServer)
}
