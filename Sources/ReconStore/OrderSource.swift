import ReconCore

/// The merchant's orders and refunds, as a run reads them: the merchants, a day window's rows,
/// rows by key, the items whose outcome is uncertain, and the checks that the rows can be trusted.
/// One connection serves one read at a time; ``reopened()`` gives another for reading in parallel.
/// ``OrderStore`` (SQLite) is the one in this build.
public protocol OrderSource: AnyObject {
    /// Where the orders are, as reports name it: the store's path.
    var location: String { get }
    /// Every merchant that has orders.
    func merchants() throws -> [MerchantRef]
    /// The orders of `merchant` whose payment time (or creation time, when unpaid) lies in `range`.
    func orders(of merchant: MerchantRef, in range: Range<Int64>, digest: StoreDigest) throws -> OrderTable
    /// The refunds whose time lies in `range`, of every merchant, read without their orders:
    /// ``RefundRows/sorted(for:lookup:)`` gives each to its order's merchant.
    func refundRows(in range: Range<Int64>) throws -> RefundRows
    /// The merchant and currency of the order numbered by each of `keys` (the bytes of
    /// `out_trade_no`), in their order: `nil` for a number without an order; a number two orders
    /// have fails. Keys in the order of their bytes are looked up in one walk along the index.
    func orderOwners(_ keys: [[UInt8]]) throws -> [OrderOwner?]
    /// How many orders of `merchant` lie in `range`.
    func orderCount(of merchant: MerchantRef, in range: Range<Int64>) throws -> Int
    /// Fails when the source holds a key more than once.
    func checkUnique(outTradeNos: some Sequence<String>, outRefundNos: some Sequence<String>) throws
    /// Whether the source itself keeps each order's and each refund's number on one row at most
    /// (a primary key or a unique index of the table, on the number alone), so that a run leaves
    /// that to the index rather than look for numbers its reads saw twice.
    func keepsNumbersUnique() throws -> (orders: Bool, refunds: Bool)
    /// Whole rows by key, for the few orders and refunds a report shows.
    func lookup(_ request: LookupRequest) throws -> LookupResult
    /// The items of `merchant` in `range` still pending, or whose last call's outcome is unknown.
    func uncertain(of merchant: MerchantRef, in range: Range<Int64>) throws -> (orders: [Order], refunds: [Refund])
    /// Fails when a time the run reads cannot be placed on the time line.
    func checkTimes(of merchant: MerchantRef, reads: [Range<Int64>], pendingFrom: Int64) throws
    /// Another connection to the same orders.
    func reopened() throws -> any OrderSource
}

/// Where a run keeps what it found: its results, query attempts, audited changes and open items,
/// written in one transaction, and the counts of earlier runs its charts draw.
public protocol ResultsStore: AnyObject {
    /// Writes a run's records, attempts, changes and open items in one transaction; `beforeCommit`
    /// runs last inside it, and nothing is written when it throws. The open items' `advance` and
    /// `beforeCommit` may run while the store writes, so they must not use it.
    @discardableResult
    func save(
        _ records: [RunRecord], runID: String, attempts: [QueryAttempt], changes: [StatusChange], actor: String,
        at time: Timestamp, openItems: OpenItemsUpdate?, beforeCommit: ([AppliedChange]) throws -> Void
    ) throws -> [AppliedChange]
    /// Prepares to read the open items a run of `days` may touch, of the merchants it `owns`, ahead
    /// of the transaction that carries them over (``OpenItemsAhead/start()``); `nil` where the
    /// transaction reads them itself.
    func readOpenItemsAhead(days: [CivilDate], owns: (@Sendable (MerchantRef) -> Bool)?) -> OpenItemsAhead?
    /// Each saved (merchant, day)'s discrepancy counts between `start` and `end`.
    func runCounts(from start: CivilDate, through end: CivilDate) throws -> [RunCount]
    /// The open items in `states`.
    func openItems(in states: Set<OpenItem.State>) throws -> [OpenItem]
    /// When the last run that saved its results finished.
    func lastRunFinished() throws -> Timestamp?
    /// Records that someone acknowledged open item `id`, in a transaction of its own.
    @discardableResult
    func acknowledge(id: String, _ acknowledgement: OpenItem.Acknowledgement) throws -> OpenItem
}

extension OrderStore: OrderSource, ResultsStore {
    public var location: String { path }

    public func reopened() throws -> any OrderSource {
        try OrderStore(path: path, naiveTimeZone: naiveTimeZone, providers: providers)
    }

    public func keepsNumbersUnique() throws -> (orders: Bool, refunds: Bool) {
        try wrap {
            (try database.keepsUnique("out_trade_no", in: "orders"), try database.keepsUnique("out_refund_no", in: "refunds"))
        }
    }
}

extension OrderSource {
    /// The refunds whose time lies in `range` of each merchant of `digests`, read in one pass over
    /// the range (a refund names no merchant: its order does), each merchant's rows added to its
    /// digest. A refund of another merchant is passed over; one without its order fails.
    /// - Parameter readOrders: Orders already read: a refund of one of them is not looked up.
    public func refunds(
        of digests: [MerchantRef: StoreDigest], in range: Range<Int64>, readOrders: [OrderChunk] = []
    ) throws -> [MerchantRef: [Refund]] {
        let rows = try refundRows(in: range)
        for chunk in readOrders { rows.locate(in: chunk) }
        return try rows.sorted(for: digests, lookup: orderOwners)
    }

    /// The refunds of `merchant` whose time lies in `range`.
    public func refunds(of merchant: MerchantRef, in range: Range<Int64>, digest: StoreDigest) throws -> [Refund] {
        try refunds(of: [merchant: digest], in: range)[merchant] ?? []
    }
}
