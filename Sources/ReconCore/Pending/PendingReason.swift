/// Why an order or refund is asked about at the provider.
public enum PendingReason: Hashable, Sendable, CustomStringConvertible {
    /// The store says PENDING.
    case pendingStatus
    /// The last call ended with a code whose catalog says to confirm the outcome by query.
    case queryToConfirm(code: String)
    /// The last call ended with a code none of the provider's catalogs knows, so its outcome is unknown.
    case unknownCode(code: String)

    /// A short name for reports and the store: `pending_status`, `query_to_confirm`, `unknown_code`.
    public var name: String {
        switch self {
        case .pendingStatus: "pending_status"
        case .queryToConfirm: "query_to_confirm"
        case .unknownCode: "unknown_code"
        }
    }

    /// The code behind the reason, if any.
    public var code: String? {
        switch self {
        case .pendingStatus: nil
        case .queryToConfirm(let code), .unknownCode(let code): code
        }
    }

    public var description: String {
        switch self {
        case .pendingStatus: "status PENDING"
        case .queryToConfirm(let code): "last call ended with \(code), which must be confirmed by query"
        case .unknownCode(let code): "last call ended with \(code), a code no catalog of the provider knows"
        }
    }
}
