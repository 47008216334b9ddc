import Crypto
import Foundation
import SimulatorKit

/// The gateway's test keys in a simulator's folder: `gateway_<merchant>.secret`, which both
/// order-recon and the simulator sign and verify with.
extension SimulatorKeys {
    public func gatewaySecret(_ merchantNo: String) -> String { file("gateway_\(merchantNo).secret") }

    /// Writes a secret for each merchant, keeping any that exist.
    func generateGateway(_ merchants: [String]) throws {
        try createFolder()
        for merchant in merchants where !exists(gatewaySecret(merchant)) {
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            try write(secret + "\n", to: gatewaySecret(merchant), secret: true)
        }
    }
}
