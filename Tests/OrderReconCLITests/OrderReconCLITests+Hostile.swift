import Foundation
import ReconTestSupport
import Testing

extension OrderReconCLITests {
    @Test("run: a one-letter relative report folder that does not exist yet works and leaves no journal behind")
    func oneLetterReportFolder() throws {
        let config = try demo()
        let output = try CLI.run(
            ["run", "--config", config, "--date", "2026-11-18", "--reports", "q", "--no-queries"], in: directory.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.file("q/2026/11/18/order-recon-2026-11-18.json")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("store.sqlite-journal")))
    }
}
