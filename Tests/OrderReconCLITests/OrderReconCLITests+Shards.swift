import Foundation
import ReconTestSupport
import Testing

/// Three `order-recon run --shard I/3` processes against one PostgreSQL results database, then
/// `order-recon report`.
@Suite("order-recon run --shard and report", .postgresServer)
struct ShardCLITests {
    /// A started `order-recon`, its stderr read line by line as it comes.
    final class Started: @unchecked Sendable {
        let process = Process()
        private let out = Pipe()
        private let err = Pipe()

        init(_ arguments: [String]) throws {
            process.executableURL = CLI.binary
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ORDER_RECON_") }
            process.standardOutput = out
            process.standardError = err
            try process.run()
        }

        /// Reads stderr until a line contains `text`; `false` when it ended first.
        func waitForLine(containing text: String) -> Bool {
            var seen = Data()
            while true {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { return false }
                seen += chunk
                if String(decoding: seen, as: UTF8.self).contains(text) { return true }
            }
        }

        /// Waits for the end; the exit status and stdout.
        func finish() -> (status: Int32, stdout: String, signalled: Bool) {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            _ = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), process.terminationReason == .uncaughtSignal)
        }
    }

    @Test("three shards at once, one killed mid-run and run again, give the report and open items of one run")
    func threeShards() throws {
        let day = try GeneratedDay(orders: 4_000, merchants: 9)
        let common = ["--date", "2026-11-20", "--store", day.store, "--bills", day.bills, "--no-queries"]
        let single = try TestPostgres.shared.database("SELECT 1")
        let whole = try CLI.run(["run", "--results", single, "--reports", day.directory.file("whole")] + common)
        #expect(whole.status == 1, "\(whole.stderr)")

        let shared = try TestPostgres.shared.database("SELECT 1")
        let reports = day.directory.file("shards")
        func shard(_ index: Int, verbose: Bool = false) throws -> Started {
            try Started(["run", "--shard", "\(index)/3", "--results", shared, "--reports", reports] + common + (verbose ? ["-v"] : []))
        }
        // Shard 1 is killed once it has taken its merchants and started reading.
        let killed = try shard(1, verbose: true)
        let others = try [shard(0), shard(2)]
        #expect(killed.waitForLine(containing: "run started"))
        kill(killed.process.processIdentifier, SIGKILL)
        #expect(killed.finish().signalled)
        for other in others { #expect(other.finish().status == 1) }

        // Without shard 1 the day does not compose; its merchants are named.
        let early = try CLI.run(["report", "--date", "2026-11-20", "--results", shared, "--reports", reports, "--store", day.store])
        #expect(early.status == 8, "\(early.stderr)")
        #expect(early.stderr.contains("2 of 3 shards have saved 2026-11-20"))
        #expect(early.stderr.contains("shard 1/3: wechatpay/"))
        #expect(!FileManager.default.fileExists(atPath: reports + "/2026/11/20/order-recon-2026-11-20.csv"))

        // Run again, shard 1 takes its merchants (the server let them go with the killed session) and saves them once.
        #expect(try shard(1).finish().status == 1)
        let report = try CLI.run(["report", "--date", "2026-11-20", "--results", shared, "--reports", reports])
        #expect(report.status == 1, "\(report.stderr)")
        #expect(report.stdout.contains("324 discrepancies need attention"), "\(report.stdout)")
        let folder = "/2026/11/20/order-recon-2026-11-20.csv"
        #expect(
            try String(contentsOfFile: reports + folder, encoding: .utf8)
                == String(contentsOfFile: day.directory.file("whole") + folder, encoding: .utf8))
        let open = try CLI.run(["open", "--results", shared, "--store", day.store])
        let openWhole = try CLI.run(["open", "--results", single, "--store", day.store])
        #expect(open.status == openWhole.status && open.stdout == openWhole.stdout && !open.stdout.isEmpty)
        #expect(open.stdout.split(separator: "\n").count >= 324)

        // A shard without a PostgreSQL results database is refused before it reads anything.
        let alone = try CLI.run(["run", "--shard", "0/3", "--results", day.directory.file("r.sqlite"), "--reports", reports] + common)
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("postgres:// URL that every shard uses"))
        let bad = try CLI.run(["run", "--shard", "3/3"] + common)
        #expect(bad.status == 2 && bad.stderr.contains("--shard '3/3' is not I/N"))
    }
}
