/// What a job does around the run: fetching the bills first, then e-mail and the metrics file.
public struct OutputSettings: Sendable, Hashable {
    /// When a run sends e-mail.
    public enum MailWhen: String, Sendable, Hashable, CaseIterable {
        /// When the run found discrepancies or failed (the default).
        case problems
        /// After every run.
        case always
        /// Never.
        case never
    }

    /// When to send e-mail.
    public var mailWhen: MailWhen = .problems
    /// The sender address.
    public var mailFrom: String = "order-recon@localhost"
    /// The recipients; no e-mail is sent without any.
    public var mailTo: [String] = []
    /// The sendmail-compatible program.
    public var mailCommand: String = "/usr/bin/msmtp"
    /// msmtp's configuration file (`-C`), if not its default.
    public var msmtpConfig: String?
    /// msmtp's account (`-a`), if not its default.
    public var mailAccount: String?
    /// The node_exporter textfile the run writes its metrics to, if any.
    public var metricsTextfile: String?

    /// Whether the run downloads the bills it needs first.
    public var download = false
    /// Where downloaded bills go; the first of the bill paths when `nil`.
    public var downloadFolder: String?
    /// How long the run waits for bills that are not ready yet, in seconds (0: no waiting).
    public var billWaitSeconds: Int64 = 0
    /// How long between tries while waiting, in seconds.
    public var billRetrySeconds: Int64 = 1_800

    /// Creates settings that send no e-mail and write no metrics.
    public init() {}

    /// The arguments the mail command gets before `-t`.
    public var mailArguments: [String] {
        (msmtpConfig.map { ["-C", $0] } ?? []) + (mailAccount.map { ["-a", $0] } ?? [])
    }

    /// Whether a run that ended with `status` sends e-mail.
    public func sendsMail(for status: ExitStatus) -> Bool {
        guard !mailTo.isEmpty else { return false }
        switch mailWhen {
        case .always: return true
        case .never: return false
        case .problems: return status != .clean
        }
    }
}
