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

extension OrderReconCLITests {
    @Test("run: the binary holds the store's lock; with another holder it exits 6 after --lock-wait")
    func storeLocked() throws {
        let config = try demo()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        let lockFile = directory.file("store.sqlite.lock")
        holder.arguments = ["--no-fork", "-x", lockFile, "sleep", "60"]
        try holder.run()
        defer {
            // SIGKILL: the test runner's children may inherit an ignored SIGTERM.
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        // Held once a non-blocking try fails.
        var tries = 0
        while try CLI.run(["-n", lockFile, "true"], program: "/usr/bin/flock").status == 0, tries < 100 {
            tries += 1
            Thread.sleep(forTimeInterval: 0.05)
        }
        let output = try CLI.run(["run", "--config", config, "--date", "2026-11-18", "--lock-wait", "0s"], in: directory.path)
        #expect(output.status == 6, "\(output.stderr)")
        #expect(output.stderr.contains("is in use by another order-recon"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("reports")))
    }
}
