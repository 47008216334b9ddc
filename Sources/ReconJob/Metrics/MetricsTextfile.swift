import Foundation
import Prometheus
import ReconCore
import ReconReports

/// Writes ``RunMetrics`` as a node_exporter textfile: rendered by swift-prometheus and staged
/// like the reports (a temporary file in the same folder, flushed, then renamed over the old
/// one), so the collector never reads half a file.
public struct MetricsTextfile: Sendable {
    /// The `.prom` file.
    public let path: String

    /// Creates a writer for `path`.
    public init(path: String) {
        self.path = path
    }

    /// The metrics in the Prometheus text format.
    public static func render(_ metrics: RunMetrics) -> String {
        let registry = PrometheusCollectorRegistry()
        func gauge(_ name: String, _ help: String, _ value: Double, _ labels: [(String, String)] = []) {
            // The whole name as the metric's name, with no unit appended: the names are written out in full here.
            let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
            let gauge = labels.isEmpty
                ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
            gauge.set(value)
        }
        if let success = metrics.lastSuccess {
            gauge(
                "order_recon_last_success_timestamp_seconds", "When the last run that saved its results finished.",
                Double(success.epochSeconds))
        }
        gauge("order_recon_last_run_timestamp_seconds", "When the last run ended, successfully or not.", Double(metrics.finished.epochSeconds))
        gauge(
            "order_recon_last_run_exit_code",
            "The last run's exit code: 0 clean, 1 discrepancies, 2 usage, 3 bad input, 4 failure, 5 bills not ready.",
            Double(metrics.exitCode))
        gauge("order_recon_last_run_duration_seconds", "The last run's wall time.", metrics.durationSeconds)
        gauge("order_recon_last_run_days", "Days the last run reconciled.", Double(metrics.days))
        if metrics.openItems != nil || metrics.exitCode <= 1 {
            for kind in DiscrepancyKind.allCases {
                gauge(
                    "order_recon_discrepancies", "Discrepancies the last run found, by kind.",
                    Double(metrics.discrepancies[kind] ?? 0), [("kind", kind.rawValue)])
            }
            for kind in metrics.atStake.keys.sorted() {
                for (currency, minor) in metrics.atStake[kind]!.sorted(by: { $0.key < $1.key }) {
                    gauge(
                        "order_recon_amount_at_stake_minor", "Money at stake in the last run's discrepancies, in minor units.",
                        Double(minor), [("kind", kind.rawValue), ("currency", currency.code)])
                }
            }
            gauge("order_recon_pending_queried", "Pending or uncertain items the last run asked the providers about.", Double(metrics.pendingQueried))
            gauge("order_recon_pending_resolved", "Of those, the ones a provider gave a final state for.", Double(metrics.pendingResolved))
        }
        if let open = metrics.openItems {
            gauge("order_recon_open_items", "Discrepancies still open (neither cleared nor acknowledged).", Double(open))
        }
        return registry.emitToString()
    }

    /// Writes the metrics atomically, readable by the collector (mode 0644).
    /// - Throws: ``ReconError`` naming the file when it cannot be written.
    public func write(_ metrics: RunMetrics) throws {
        let staged = StagedFiles(besides: path)
        do {
            try staged.stage(Data(Self.render(metrics).utf8), at: path, mode: 0o644)
            try staged.commit()
        } catch {
            var reason = "\(error)"
            if case .cannotWrite(_, let why)? = error as? ReportError { reason = why }
            throw ReconError(
                .failure,
                "Cannot write the metrics file \(path): \(reason). Check metrics.textfile in the config file, and that its "
                    + "folder exists, is writable and is node_exporter's --collector.textfile.directory.")
        }
    }
}
