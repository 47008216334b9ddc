import GatewayProvider
import HTTPTypes
import Hummingbird
import ReconCore
import ReconProviders
import SimulatorKit

/// The gateway's API in the simulator (``GatewayRoutes``), each answer signed with the merchant's secret.
package struct GatewaySimulation: SimulatedProvider {
    package static let provider = ProviderID.gateway

    package init(keys: SimulatorKeyRing) throws {}

    package static func generateKeys(for merchants: [String], in keys: SimulatorKeys) throws {
        try keys.generateGateway(merchants)
    }

    package static let sampleMerchantID = "800100200"
    package static let sampleOrderStates = ["SUCCESS", "CLOSED", "PENDING", "FAILED"]

    package static func account(baseURL: String, merchants: [String], keys: SimulatorKeys) -> any ProviderAccount {
        GatewayAccount(baseURL: baseURL, merchants: merchants.map { .init(merchantNo: $0, secretFile: keys.gatewaySecret($0)) })
    }

    package let downloadPaths: Set<String> = ["/api/v1/bill/file"]
    package let serverError: (status: HTTPResponse.Status, text: String) = (.serviceUnavailable, "503 Service Unavailable")

    package func register(on group: RouterGroup<SimulatorContext>, server: SimulatorServer) {
        GatewayRoutes(server: server).register(on: group)
    }
}
