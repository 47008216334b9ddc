import ReconBills
import ReconReports
import ReconStore

/// An error that ends a run, with the exit status it maps to. Its description is the message
/// the user sees: it names the file, line, order or setting involved and says what to do.
public struct ReconError: Error, CustomStringConvertible, Sendable {
    /// The exit status.
    public let status: ExitStatus
    /// The message.
    public let message: String

    /// Creates an error.
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A configuration or usage error.
    public static func usage(_ message: String) -> ReconError { ReconError(.usage, message) }

    /// A bad input.
    public static func badInput(_ message: String) -> ReconError { ReconError(.badInput, message) }

    public var description: String { message }

    /// Maps any error a run can meet to a ``ReconError``.
    public static func wrapping(_ error: any Error) -> ReconError {
        switch error {
        case let error as ReconError: return error
        case let error as BillError: return ReconError(.badInput, error.description)
        case let error as StoreError:
            if case .sqlite(let inner) = error, inner.isBusy { return ReconError(.failure, error.description) }
            if case .postgres(let inner) = error, inner.isUnavailable { return ReconError(.failure, error.description) }
            if case .claimed = error { return ReconError(.locked, error.description) }
            return ReconError(.badInput, error.description)
        case let error as ReportError: return ReconError(.failure, error.description)
        default: return ReconError(.failure, "Unexpected error: \(error)")
        }
    }
}
