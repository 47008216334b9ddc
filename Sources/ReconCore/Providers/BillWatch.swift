/// The bill rows of the keys the day's queries ask about, gathered while the bill is matched,
/// so the query's answers can be set against the bill.
public struct BillWatch: Sendable {
    /// Payment rows by `out_trade_no`, refund rows by `out_refund_no`.
    public private(set) var rows: [String: [BillEntry]] = [:]
    /// The keys watched: order numbers for payments, refund numbers for refunds.
    public let paymentKeys: Set<String>
    public let refundKeys: Set<String>

    /// Watches the keys of `items`.
    public init(items: [PendingItem]) {
        paymentKeys = Set(items.filter { !$0.isRefund }.map(\.key))
        refundKeys = Set(items.filter(\.isRefund).map(\.key))
    }

    /// Whether nothing is watched, so rows need not be looked at.
    public var isEmpty: Bool { paymentKeys.isEmpty && refundKeys.isEmpty }

    /// Keeps the rows of watched keys from a batch.
    public mutating func observe(_ entries: some Sequence<BillEntry>) {
        guard !isEmpty else { return }
        for entry in entries {
            switch entry.kind {
            case .payment where paymentKeys.contains(entry.outTradeNo):
                rows[entry.outTradeNo, default: []].append(entry)
            case .refund where refundKeys.contains(entry.matchKey):
                rows[entry.matchKey, default: []].append(entry)
            default: continue
            }
        }
    }

    /// Adds the rows another watch kept (of a part of the bill read on its own).
    public mutating func merge(_ other: BillWatch) {
        for (key, entries) in other.rows { rows[key, default: []].append(contentsOf: entries) }
    }

    /// The rows kept for an item, in file order.
    public func entries(for item: PendingItem) -> [BillEntry] {
        (rows[item.key] ?? []).filter { $0.kind == (item.isRefund ? .refund : .payment) }
            .sorted { ($0.location.file, $0.location.line) < ($1.location.file, $1.location.line) }
    }
}
