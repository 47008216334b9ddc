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
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
