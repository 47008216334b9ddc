import Foundation
import Logging
import ReconClock
import ReconCore
import ReconJob
import ReconReports
import ReconTestSupport
import Testing

/// A real SMTP server (aiosmtpd) on 127.0.0.1 that stores what it receives as JSON.
private final class SMTPSink {
    let folder: String
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init(in directory: TemporaryDirectory) throws {
        let python = Repository.root + "/.build/python/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw MailTestError("aiosmtpd is not installed in .build/python; run bash .ci/install-deps")
        }
        folder = directory.file("mailbox")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.fixture("smtp/smtp_sink.py"), folder]
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw MailTestError("the SMTP server did not start") }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw MailTestError("the SMTP server printed no port")
        }
        self.port = port
    }

    /// The messages received so far, waiting up to `seconds` for `count` of them.
    func messages(count: Int, seconds: Double = 15) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
            if names.count >= count || Date() > deadline {
                return try names.map {
                    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) as! [String: Any]
                }
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

private struct MailTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("E-mail through msmtp to a real SMTP server on loopback", .serialized)
struct MailDeliveryTests {
    private func outputs(port: Int, in directory: TemporaryDirectory) throws -> OutputSettings {
        let rc = directory.write(
            "msmtprc",
            """
            defaults
            auth off
            tls off
            logfile -
            account sink
            host 127.0.0.1
            port \(port)
            from order-recon@example.test
            account default : sink

            """)
        chmod(rc, 0o600)
        var outputs = OutputSettings()
        outputs.mailTo = ["finance@example.test", "ops@example.test"]
        outputs.mailFrom = "order-recon@example.test"
        outputs.msmtpConfig = rc
        return outputs
    }

    private func job(_ workspace: DemoWorkspace, _ outputs: OutputSettings) -> JobRunner {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return JobRunner(run: ReconciliationRun(config: workspace.config, logger: logger, clock: ManualClock()), outputs: outputs)
    }

    @Test("a day with discrepancies sends the summary, the HTML report and the CSV, with the counts and money in a UTF-8 subject")
    func deliversReport() async throws {
        let directory = TemporaryDirectory("order-recon-mail")
        let sink = try SMTPSink(in: directory)
        let workspace = try DemoWorkspace()
        let outcome = await job(workspace, try outputs(port: sink.port, in: directory)).execute(days: [CivilDate("2026-11-19")!])
        #expect(outcome.problems == [])
        #expect(outcome.status == .discrepancies)
        let message = try #require(try sink.messages(count: 1).first)
        #expect(message["mail_from"] as? String == "order-recon@example.test")
        #expect(message["rcpt_tos"] as? [String] == ["finance@example.test", "ops@example.test"])
        let headers = message["headers"] as! [String: String]
        #expect(headers["Subject"] == "order-recon 2026-11-19 — 9 discrepancies need attention, CNY 338.00, HKD 200.00 at stake (9 open)")
        #expect(headers["To"] == "finance@example.test, ops@example.test")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(message["content_type"] as? String == "multipart/mixed")
        #expect((message["longest_line"] as? Int ?? 999) <= 998, "no line is longer than SMTP allows")
        let parts = message["parts"] as! [[String: Any]]
        #expect(parts.map { $0["content_type"] as? String } == ["text/plain", "text/html", "text/csv"])
        let result = try #require(outcome.result)
        #expect(parts[0]["text"] as? String == result.summary)
        let html = try String(contentsOfFile: result.archive[0].html.path, encoding: .utf8)
        #expect(parts[1]["text"] as? String == html)
        #expect(parts[2]["filename"] as? String == "order-recon-2026-11-19.csv")
        #expect(parts[2]["disposition"] as? String == "attachment")
        let csv = try String(contentsOfFile: result.archive[0].csv.path, encoding: .utf8)
        #expect(parts[2]["text"] as? String == csv)
    }

    @Test("by default a clean run sends nothing; with mail.when always it does, and a failed run always does")
    func whenToSend() async throws {
        let directory = TemporaryDirectory("order-recon-mail")
        let sink = try SMTPSink(in: directory)
        let workspace = try DemoWorkspace()
        var settings = try outputs(port: sink.port, in: directory)
        let clean = await job(workspace, settings).execute(days: [CivilDate("2026-11-18")!])
        #expect(clean.status == .clean && clean.problems.isEmpty)
        settings.mailWhen = .always
        _ = await job(workspace, settings).execute(days: [CivilDate("2026-11-18")!])
        settings.mailWhen = .problems
        try workspace.replace(in: "gateway_800100200_2026-11-20.csv", "300.00,1.80", with: "30O.00,1.80")
        let failed = await job(workspace, settings).execute(days: [CivilDate("2026-11-20")!])
        #expect(failed.status == .badInput)
        let messages = try sink.messages(count: 2)
        #expect(messages.count == 2)
        let subjects = messages.map { ($0["headers"] as! [String: String])["Subject"] ?? "" }
        #expect(subjects == [
            "order-recon 2026-11-18 — no discrepancies need attention (1 open)",
            "order-recon 2026-11-20 — FAILED (exit 3)",
        ])
        let failure = (messages[1]["parts"] as! [[String: Any]])[0]["text"] as? String ?? ""
        #expect(failure.contains("gateway_800100200_2026-11-20.csv:"))
        #expect(failure.contains("saved no results and wrote no report"))
    }

    @Test("an MTA that refuses the message turns the run's exit into 4 and says why")
    func refused() async throws {
        let directory = TemporaryDirectory("order-recon-mail")
        let workspace = try DemoWorkspace()
        var settings = try outputs(port: 9, in: directory)
        settings.mailWhen = .always
        let outcome = await job(workspace, settings).execute(days: [CivilDate("2026-11-18")!])
        #expect(outcome.status == .failure)
        #expect(outcome.result != nil, "the reports were written all the same")
        #expect(outcome.problems.first?.hasPrefix("The e-mail was not sent: /usr/bin/msmtp -C") == true)
    }
}
