import Foundation
import Logging
import ProviderPlugins
import ReconClock
import ReconCore
import ReconJob
import ReconReports
import ReconTestSupport
import Testing

@Suite("The node_exporter metrics file")
struct MetricsTextfileTests {
    @Test("a run's metrics: last success, discrepancies and money by kind, pending queried and resolved, duration")
    func afterARun() async throws {
        let workspace = try DemoWorkspace()
        let directory = TemporaryDirectory("order-recon-metrics")
        var outputs = OutputSettings()
        outputs.metricsTextfile = directory.file("order_recon.prom")
        let now = Date(timeIntervalSince1970: TimeInterval(Sample.time("2026-11-20 10:30:00").epochSeconds))
        let run = ReconciliationRun(
            config: workspace.config, logger: .init(label: "test"), clock: ManualClock(start: now.timeIntervalSince1970))
        let outcome = await JobRunner(run: run, outputs: outputs).execute(days: [CivilDate("2026-11-19")!])
        #expect(outcome.status == .discrepancies)
        let text = try String(contentsOfFile: directory.file("order_recon.prom"), encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("order_recon_last_success_timestamp_seconds \(Double(now.timeIntervalSince1970))"))
        #expect(lines.contains("# TYPE order_recon_discrepancies gauge"))
        #expect(lines.contains("order_recon_discrepancies{kind=\"missing_in_bill\"} 2.0"))
        #expect(lines.contains("order_recon_discrepancies{kind=\"timing_difference\"} 0.0"))
        #expect(lines.contains("order_recon_amount_at_stake_minor{kind=\"currency_mismatch\",currency=\"HKD\"} 20000.0"))
        #expect(lines.contains("order_recon_pending_queried 0.0") && lines.contains("order_recon_pending_resolved 0.0"))
        #expect(lines.contains("order_recon_last_run_exit_code 1.0"))
        #expect(lines.contains("order_recon_open_items 9.0"))
        #expect(text.contains("order_recon_last_run_duration_seconds "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["order_recon.prom"], "no temporary file is left")

        // A failed run keeps the last success and records its exit code.
        try workspace.replace(in: "gateway_800100200_2026-11-20.csv", "300.00,1.80", with: "30O.00,1.80")
        _ = await JobRunner(run: run, outputs: outputs).execute(days: [CivilDate("2026-11-20")!])
        let after = Set(try String(contentsOfFile: directory.file("order_recon.prom"), encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(after.contains("order_recon_last_success_timestamp_seconds \(Double(now.timeIntervalSince1970))"))
        #expect(after.contains("order_recon_last_run_exit_code 3.0"))
        #expect(!after.contains { $0.hasPrefix("order_recon_discrepancies{") })
    }

    @Test("pending orders queried and resolved come from the day's queries")
    func pendingCounts() {
        let report = DayReport.bare(
            queries: QueriesSection(
                selected: ["pending_status": 4, "query_to_confirm": 2], settled: 5, stillPending: 1, unresolved: 0,
                notQueried: [], attempts: 7, stopped: [], slowDowns: [:]))
        let metrics = RunMetrics(
            RunResult(reports: [report]), finished: Timestamp(epochSeconds: 100), durationSeconds: 1.5, openItems: 0)
        let text = MetricsTextfile.render(metrics)
        #expect(text.contains("order_recon_pending_queried 6.0\n"))
        #expect(text.contains("order_recon_pending_resolved 5.0\n"))
        #expect(text.contains("order_recon_last_run_duration_seconds 1.5\n"))
    }
}

@Suite("The metrics file's errors")
struct MetricsTextfileErrorTests {
    @Test("a folder that cannot be written names the file and the setting")
    func unwritable() throws {
        let directory = TemporaryDirectory("order-recon-metrics")
        directory.write("blocker", "a file where a folder should be")
        let metrics = RunMetrics(
            failedAt: Timestamp(epochSeconds: 0), lastSuccess: nil, exitCode: 4, durationSeconds: 0, days: 1)
        #expect { try MetricsTextfile(path: directory.file("blocker/order_recon.prom")).write(metrics) } throws: {
            "\($0)".hasPrefix("Cannot write the metrics file \(directory.file("blocker/order_recon.prom")): ")
                && "\($0)".contains("Check metrics.textfile")
        }
    }
}
