import Hummingbird
import ReconClock

/// In front of every provider's routes: adds the configured latency, then draws the request's
/// fault. A timeout never answers, a server error answers unsigned with `serverError`, a slow
/// answer waits first; the other faults (too many, an error code, a bad signature) are each
/// provider's own words, so the route injects them from ``SimulatorContext/fault``. Bill downloads
/// are never faulted here: their faults are in the bill's bytes.
package struct FaultMiddleware: RouterMiddleware {
    package typealias Context = SimulatorContext

    let server: SimulatorServer
    let serverError: (status: HTTPResponse.Status, text: String)
    /// The paths whose answers are a bill's bytes.
    let downloads: Set<String>

    package init(server: SimulatorServer, serverError: (status: HTTPResponse.Status, text: String), downloads: Set<String>) {
        self.server = server
        self.serverError = serverError
        self.downloads = downloads
    }

    package func handle(
        _ request: Request, context: SimulatorContext, next: (Request, SimulatorContext) async throws -> Response
    ) async throws -> Response {
        let faults = server.state.faults
        if faults.latencyMilliseconds > 0 { try? await server.clock.sleep(seconds: Double(faults.latencyMilliseconds) / 1_000) }
        guard !downloads.contains(request.uri.path) else { return try await next(request, context) }
        var context = context
        context.fault = await server.state.nextFault()
        switch context.fault {
        case .timeout:
            // Never answered: the connection stays open until the client gives up and closes it.
            try? await Task.sleep(for: .seconds(3_600))
            return Response(status: .gatewayTimeout)
        case .serverError:
            return server.plain(serverError.status, serverError.text)
        case .slow:
            try? await server.clock.sleep(seconds: Double(faults.slowDelayMilliseconds) / 1_000)
        default: break
        }
        return try await next(request, context)
    }
}
