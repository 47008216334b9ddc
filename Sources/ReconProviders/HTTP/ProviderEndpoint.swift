import AsyncHTTPClient
import Foundation
import NIOCore
import ReconClock

/// Where a provider's API is and how calls to it are made: the base URL, one exchange for
/// queries and one for bills (a longer wait and room for a large body), and the clock that
/// stamps requests and checks answers.
package struct ProviderEndpoint: Sendable {
    /// The base URL, without a trailing `/`.
    package let baseURL: String
    package let exchange: HTTPExchange
    package let downloads: HTTPExchange
    package let clock: any RunClock

    package init(baseURL: String, http: HTTPClient, timeout: TimeAmount, clock: any RunClock) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.exchange = HTTPExchange(client: http, timeout: timeout, maxBodyBytes: 1 << 20)
        self.downloads = HTTPExchange(client: http, timeout: .minutes(10), maxBodyBytes: 1 << 31)
        self.clock = clock
    }

    /// Escapes a path or query value: anything but unreserved characters.
    package static func escape(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
