/// Where a job's ``RunMetrics`` go once the run has ended, successfully or not: a node_exporter
/// textfile (``MetricsTextfile``) in production, something that keeps them in tests.
public protocol MetricsSink: Sendable {
    /// Publishes the metrics of one job.
    /// - Throws: An error whose description says what could not be written and where.
    func write(_ metrics: RunMetrics) throws
}

extension MetricsTextfile: MetricsSink {}
