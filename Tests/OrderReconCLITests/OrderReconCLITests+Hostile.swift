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

extension OrderReconCLITests {
    @Test("run: control characters from a bill reach no terminal, CSV or HTML raw; amounts stay numbers in the CSV")
    func controlCharacters() throws {
        let config = try demo()
        let twenty = directory.file("bills/wechatpay_1900000109_2026-11-20_ALL.csv")
        let text = try String(contentsOfFile: twenty, encoding: .utf8)
        let hostile = "D20\u{1B}[2J\u{07}\u{202E}X"
        try text.replacingOccurrences(of: "`D20-001,", with: "`\(hostile),").write(toFile: twenty, atomically: true, encoding: .utf8)
        let output = try CLI.run(["run", "--config", config, "--date", "2026-11-20", "--no-queries"], in: directory.path)
        #expect(output.status == 1, "\(output.stderr)")
        let folder = directory.file("reports/2026/11/20")
        let csv = try String(contentsOfFile: folder + "/order-recon-2026-11-20.csv", encoding: .utf8)
        let html = try String(contentsOfFile: folder + "/order-recon-2026-11-20.html", encoding: .utf8)
        for (name, shown) in [("stdout", output.stdout), ("stderr", output.stderr), ("csv", csv), ("html", html)] {
            #expect(!shown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" }, "\(name)")
        }
        #expect(csv.contains("D20\\u{1B}[2J\\u{7}\\u{202E}X"))
        #expect(output.stdout.contains("D20\\u{1B}[2J\\u{7}\\u{202E}X"))
        let revoked = try #require(csv.components(separatedBy: "\r\n").first { $0.contains(",status_mismatch,") && $0.contains(",D20-002,") })
        #expect(revoked.contains(",2100,21.00,2100,21.00,-2100,-21.00,2100,21.00,"), "\(revoked)")
        #expect(!csv.contains("'-"), "numbers are never guarded as formulas")
    }
}

extension OrderReconCLITests {
    @Test("bill check --json prints JSON even when the bill cannot be read at all")
    func billCheckFatalJSON() throws {
        let path = directory.write("nope.csv", "order,amount\n1,2\n")
        let output = try CLI.run(["bill", "check", path, "--json"], in: directory.path)
        #expect(output.status == 3)
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect(json?["valid"] as? Bool == false)
        #expect(json?["file"] as? String == path)
        #expect((json?["error"] as? String)?.contains("unknown bill format") == true)
    }
}

extension OrderReconCLITests {
    @Test("run --no-queries still warns about a key file others may read")
    func exposedKeyWithoutQueries() throws {
        let config = try demo()
        let keys = try CLI.run(["keys", "--out", directory.file("keys"), "--merchant", "gateway/800100200"], program: "provider-sim")
        #expect(keys.status == 0, "\(keys.stderr)")
        let secret = directory.file("keys/gateway_800100200.secret")
        chmod(secret, 0o644)
        let text = try String(contentsOfFile: config, encoding: .utf8) + """

            providers:
              gateway:
                base_url: http://127.0.0.1:1
                merchants:
                  "800100200":
                    secret_file: keys/gateway_800100200.secret
            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let output = try CLI.run(["run", "--config", config, "--date", "2026-11-18", "--no-queries"], in: directory.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains(
            "order-recon: warning: \(secret): the key file is readable by group or others (mode 644). Run: chmod 600 \(secret)"),
            "\(output.stderr)")
    }
}
