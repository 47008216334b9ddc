import AsyncHTTPClient
import NIOCore
import ReconClock
import ReconCore

/// A provider's API as configured: where it is and which files hold each merchant's keys. It
/// holds no key material, so it can be logged; ``connect(http:timeout:clock:)`` reads the keys.
public protocol ProviderAccount: Sendable {
    /// The provider.
    var provider: ProviderID { get }
    /// The API's base URL.
    var baseURL: String { get }
    /// The merchants with keys, by id.
    var merchantIDs: [String] { get }
    /// Every file that holds a private key or secret, which group and others must not read.
    var secretFiles: [String] { get }
    /// Reads the key files and makes the provider's client over `http`.
    /// - Throws: ``KeyFile/Problem`` naming a key file that is missing, not a key, or readable by others.
    func connect(http: HTTPClient, timeout: TimeAmount, clock: any RunClock) throws -> any PaymentProvider & BillSource
}
