import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReconBills
import ReconClock
import ReconCore

/// A request's context in the simulator: the fault ``FaultMiddleware`` drew for it, if any.
package struct SimulatorContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The fault the route must inject; `nil` when the answer is a normal one.
    package var fault: Fault?

    package init(source: Source) {
        self.coreContext = .init(source: source)
    }
}

/// What every route of the simulator shares: the scenario's state, the keys, the clock, and the
/// bill bytes as the faults leave them.
package struct SimulatorServer: Sendable {
    package let state: SimulatorState
    package let keys: SimulatorKeyRing
    package let clock: any RunClock

    package init(state: SimulatorState, keys: SimulatorKeyRing, clock: any RunClock) {
        self.state = state
        self.keys = keys
        self.clock = clock
    }

    /// A bill file's bytes, unpacked when the file is gzip.
    package static func billBytes(_ bill: Scenario.Bill) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: bill.path) else { return nil }
        let bytes = Array(data)
        return Gzip.isCompressed(bytes) ? try? Gzip.decompress(bytes, name: bill.path) : bytes
    }

    /// A bill as the faults leave it: cut before its summary, or with one amount changed.
    package static func faulted(_ bytes: [UInt8], faults: Faults) -> [UInt8] {
        var bytes = bytes
        // The first digit 1–8 after the header line becomes one more.
        let body = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
        if faults.tamperBills, let digit = bytes[body...].firstIndex(where: { $0 >= 0x31 && $0 <= 0x38 }) {
            bytes[digit] += 1
        }
        if faults.truncateBills { bytes = Array(bytes.prefix(bytes.count * 2 / 3)) }
        return bytes
    }

    package func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
