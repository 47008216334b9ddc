/// What a run looked at again: the bills it read, and the pending items it asked the providers
/// about. An open item the run no longer finds is resolved only when the run re-examined the
/// evidence the item rests on; otherwise the run could not have found it, and it stays as it was.
///
/// - A bill finding (a row missing, extra, different or repeated) rests on the bill of its
///   merchant and day that lists its kind of row (payments, or refunds).
/// - A query finding (`pending_resolved`, `pending_unresolved`) rests on the provider's answer:
///   the run must have run queries for its merchant and day without that merchant stopping, and
///   either asked about the item or no longer selected it (the store no longer marks it pending or
///   uncertain). An item selected but not asked about (stopped, no keys, unreachable) stays.
/// - A `provider_conflict` sets the answer against the bill, so it rests on both.
public struct Reexamination: Sendable {
    /// An item asked about, or selected but not asked about.
    public struct Subject: Hashable, Sendable {
        /// The merchant.
        public var merchant: MerchantRef
        /// `true` for a refund, `false` for an order.
        public var isRefund: Bool
        /// The order's `out_trade_no` or the refund's `out_refund_no`.
        public var key: String

        /// Creates a subject.
        public init(merchant: MerchantRef, isRefund: Bool, key: String) {
            self.merchant = merchant
            self.isRefund = isRefund
            self.key = key
        }
    }

    /// The bills the run read.
    public var bills: BillCoverage
    /// Each merchant and day whose pending items the run selected and queried, its queries not stopped.
    public var queried: Set<BillCoverage.Key>
    /// Items the run selected but did not ask about.
    public var notQueried: Set<Subject>

    /// Creates what a run re-examined.
    public init(bills: BillCoverage, queried: Set<BillCoverage.Key> = [], notQueried: Set<Subject> = []) {
        self.bills = bills
        self.queried = queried
        self.notQueried = notQueried
    }

    /// `true` when the run re-examined what `item` rests on, as of `day`.
    public func covers(_ item: OpenItem, on day: CivilDate) -> Bool {
        let isRefund = item.outRefundNo != nil
        let bill = bills.covers(item.merchant, on: day, isRefund ? .refund : .payment)
        let query = queried.contains(BillCoverage.Key(merchant: item.merchant, day: day))
            && !notQueried.contains(Subject(merchant: item.merchant, isRefund: isRefund, key: item.subject))
        switch item.kind {
        case .pendingResolved, .pendingUnresolved: return query
        case .providerConflict: return query && bill
        default: return bill
        }
    }
}
