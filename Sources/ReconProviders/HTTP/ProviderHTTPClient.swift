import AsyncHTTPClient
import NIOCore

/// The HTTP client the provider clients share.
public enum ProviderHTTPClient {
    /// A client whose connection pool holds `concurrency` connections per host (AsyncHTTPClient's
    /// default of 8 would queue requests silently). Shut it down with `shutdown()` when done.
    public static func make(concurrency: Int, connectTimeout: TimeAmount = .seconds(5)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, concurrency)
        configuration.timeout.connect = connectTimeout
        // A connection that cannot be made fails the calls waiting for it at once, so the query
        // engine's own retries and its unreachable-provider stop decide, instead of each call
        // waiting out its whole timeout while the pool retries behind it.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
