/// Why an open item cannot be acknowledged.
public enum OpenItemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Someone acknowledged it already.
    case alreadyAcknowledged(OpenItem)
    /// A run resolved it already.
    case alreadyResolved(OpenItem)

    /// What happened and what to do next.
    public var description: String {
        switch self {
        case .alreadyAcknowledged(let item):
            let ack = item.acknowledgement
            return "Item \(item.id) (\(item.kind.rawValue) \(item.subject), \(item.day)) was already acknowledged by "
                + "\(ack?.by ?? "someone") at \(ack?.at.rfc3339 ?? "an unknown time"): \"\(ack?.note ?? "")\". Nothing to do."
        case .alreadyResolved(let item):
            return "Item \(item.id) (\(item.kind.rawValue) \(item.subject), \(item.day)) is no longer open: "
                + "\(item.resolution ?? "resolved")\(item.resolvedOn.map { " (\($0))" } ?? ""). Nothing to do."
        }
    }
}
