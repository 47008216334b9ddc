import ReconCore

/// Everything a day's reports say: the inputs, both sides' counts and totals, and every
/// discrepancy. All of it is deterministic except ``run``, which holds the run's own timestamps.
public struct DayReport: Sendable {
    /// The store read.
    public struct StoreInput: Sendable, Hashable, Codable {
        /// The store file, as configured.
        public var path: String
        /// Orders read for the day (its window widened by the grace).
        public var ordersRead: Int
        /// Refunds read for the day.
        public var refundsRead: Int
        /// SHA-256 over the raw values of every row read.
        public var rowsSHA256: String

        /// Creates a store input.
        public init(path: String, ordersRead: Int, refundsRead: Int, rowsSHA256: String) {
            self.path = path
            self.ordersRead = ordersRead
            self.refundsRead = refundsRead
            self.rowsSHA256 = rowsSHA256
        }
    }

    /// A bill read.
    public struct BillInput: Sendable, Hashable, Codable {
        /// Totals of one currency.
        public struct Totals: Sendable, Hashable, Codable {
            /// The currency.
            public var currency: Currency
            /// Payment rows that moved money, and their sum in minor units.
            public var payments: Int
            /// Sum of those payments, in minor units.
            public var paidMinor: Int64
            /// Refund rows that moved money, and their sum in minor units.
            public var refunds: Int
            /// Sum of those refunds, in minor units.
            public var refundedMinor: Int64
            /// Fees at the bill's precision.
            public var fees: FixedDecimal

            /// Creates totals.
            public init(currency: Currency, payments: Int, paidMinor: Int64, refunds: Int, refundedMinor: Int64, fees: FixedDecimal) {
                self.currency = currency
                self.payments = payments
                self.paidMinor = paidMinor
                self.refunds = refunds
                self.refundedMinor = refundedMinor
                self.fees = fees
            }
        }

        /// The file, as configured.
        public var path: String
        /// SHA-256 of the file as stored.
        public var sha256: String
        /// Bytes of the file.
        public var bytes: Int
        /// `true` when gzip-compressed.
        public var compressed: Bool
        /// The detected format.
        public var format: String
        /// The merchant.
        public var merchant: MerchantRef
        /// The bill day.
        public var day: CivilDate
        /// Payment rows.
        public var paymentRows: Int
        /// Refund rows.
        public var refundRows: Int
        /// Totals per currency.
        public var totals: [Totals]
        /// Summary totals verified against the rows.
        public var summaryChecks: Int
        /// The service provider whose bill this is, when it holds the rows of several sub-merchants;
        /// the counts and totals are then ``merchant``'s rows only.
        public var billOf: MerchantRef?

        /// The format, and for a service provider's bill whose it is: `ALL (current columns), service provider 1900000100's bill`.
        public var formatLabel: String {
            format + (billOf.map { ", service provider \($0.merchantID)'s bill" } ?? "")
        }

        /// Creates a bill input.
        public init(
            path: String, sha256: String, bytes: Int, compressed: Bool, format: String, merchant: MerchantRef,
            day: CivilDate, paymentRows: Int, refundRows: Int, totals: [Totals], summaryChecks: Int, billOf: MerchantRef? = nil
        ) {
            self.billOf = billOf
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.compressed = compressed
            self.format = format
            self.merchant = merchant
            self.day = day
            self.paymentRows = paymentRows
            self.refundRows = refundRows
            self.totals = totals
            self.summaryChecks = summaryChecks
        }
    }

    /// A merchant with orders on the day but no bill in the run.
    public struct Unreconciled: Sendable, Hashable, Codable {
        /// The merchant.
        public var merchant: MerchantRef
        /// Its orders on the day.
        public var orders: Int

        /// Creates an entry.
        public init(merchant: MerchantRef, orders: Int) {
            self.merchant = merchant
            self.orders = orders
        }
    }

    /// The run's own, non-deterministic facts.
    public struct RunInfo: Sendable, Hashable, Codable {
        /// A fresh id per run.
        public var runID: String
        /// When the run started.
        public var startedAt: Timestamp
        /// When the reports were written.
        public var finishedAt: Timestamp
        /// The version of order-recon.
        public var version: String

        /// Creates run facts.
        public init(runID: String, startedAt: Timestamp, finishedAt: Timestamp, version: String) {
            self.runID = runID
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.version = version
        }
    }

    /// The day.
    public var day: CivilDate
    /// The zone each provider's day is counted in.
    public var zones: [ProviderID: String]
    /// The providers' error codes, which quote the last call the store recorded for an item.
    public var codes: ErrorCodeBook
    /// The boundary grace, in seconds.
    public var graceSeconds: Int64
    /// The store read.
    public var store: StoreInput
    /// The bills read, ordered by merchant.
    public var bills: [BillInput]
    /// Counts and totals.
    public var statistics: DayStatistics
    /// Every discrepancy, in report order.
    public var discrepancies: [Discrepancy] {
        didSet { summary = Summary(discrepancies) }
    }
    /// Counts and sums over ``discrepancies``, worked out once each time they are set: the
    /// renderers ask for them many times.
    private var summary: Summary
    /// Merchants with orders on the day but no bill in the run.
    public var unreconciled: [Unreconciled]
    /// The run's own facts.
    public var run: RunInfo
    /// What the day's queries to the providers did; `nil` when the run asked no provider.
    public var queries: QueriesSection?
    /// The items this day found, the ones still open from earlier days, and the ones resolved
    /// since the last run; `nil` when the run kept no open items.
    public var openItems: OpenItemsSection?

    /// Creates a report.
    public init(
        day: CivilDate, zones: [ProviderID: String], graceSeconds: Int64, store: StoreInput, bills: [BillInput],
        statistics: DayStatistics, discrepancies: [Discrepancy], unreconciled: [Unreconciled], run: RunInfo,
        queries: QueriesSection? = nil, codes: ErrorCodeBook
    ) {
        self.day = day
        self.zones = zones
        self.codes = codes
        self.graceSeconds = graceSeconds
        self.store = store
        self.bills = bills
        self.statistics = statistics
        self.discrepancies = discrepancies
        self.summary = Summary(discrepancies)
        self.unreconciled = unreconciled
        self.run = run
        self.queries = queries
    }

    /// Discrepancies that need attention (all but timing differences).
    public var alarms: [Discrepancy] { discrepancies.filter(\.kind.isAlarm) }

    /// How many of the discrepancies need attention.
    public var alarmCount: Int { summary.alarmCount }

    /// `true` when the day found something that needs attention: an alarmed discrepancy, or an
    /// earlier day's timing difference that the day's bill did not clear.
    public var needsAttention: Bool { attentionCount > 0 }

    /// Earlier days' timing differences that this day's bill did not clear: missing rows now.
    public var escalated: [OpenItem] {
        guard let new = openItems?.new else { return [] }
        // Read in place: only the few escalated items are copied.
        return new.indices.filter { new[$0].kind.isAlarm && new[$0].day != day }.map { new[$0] }
    }

    /// The day's alarmed discrepancies plus ``escalated``.
    public var attentionCount: Int { alarmCount + escalated.count }

    /// What the day comes to, in a few words: `no discrepancies`, `nothing needs attention; 1
    /// expected to clear with the next bill`, or `9 discrepancies need attention`.
    public var headline: String {
        let attention = attentionCount
        let carried = discrepancies.count - alarmCount
        let expected = carried > 0 ? "\(carried) expected to clear with the next bill" : ""
        if attention == 0 {
            return discrepancies.isEmpty ? "no discrepancies" : "nothing needs attention; " + expected
        }
        return "\(attention) discrepanc\(attention == 1 ? "y needs" : "ies need") attention" + (carried > 0 ? "; " + expected : "")
    }

    /// The money in doubt per currency, over the alarmed discrepancies, each order or refund once
    /// (``MoneyAtStake``).
    public var amountAtStake: CurrencyTotals { summary.amountAtStake }

    /// The money at stake per currency of each kind's discrepancies.
    public var amountAtStakeByKind: [DiscrepancyKind: CurrencyTotals] { summary.amountAtStakeByKind }

    /// Every sum of the report that does not fit in 64 bits, each saying which; empty on any real
    /// day. A run refuses to save or report a day where it is not.
    public var overflows: [String] {
        var found = statistics.overflows
        found += amountAtStake.overflowed.sorted().map { "the money at stake in \($0)" }
        for (kind, totals) in amountAtStakeByKind.sorted(by: { $0.key < $1.key }) {
            found += totals.overflowed.sorted().map { "the money at stake of the \(kind.rawValue) discrepancies in \($0)" }
        }
        return found.map { "\(day): \($0)" }
    }

    /// Discrepancy counts by kind.
    public var countsByKind: [(kind: DiscrepancyKind, count: Int)] { summary.countsByKind }

    /// What the renderers ask of the discrepancies again and again, in one pass that reads each
    /// in place.
    private struct Summary: Sendable {
        var alarmCount = 0
        var countsByKind: [(kind: DiscrepancyKind, count: Int)] = []
        var amountAtStake = CurrencyTotals()
        var amountAtStakeByKind: [DiscrepancyKind: CurrencyTotals] = [:]

        init(_ discrepancies: [Discrepancy]) {
            var counts: [DiscrepancyKind: Int] = [:]
            for index in discrepancies.indices {
                let kind = discrepancies[index].kind
                counts[kind, default: 0] += 1
                if kind.isAlarm { alarmCount += 1 }
                if let amount = discrepancies[index].amountAtStake { amountAtStakeByKind[kind, default: CurrencyTotals()].add(amount) }
            }
            countsByKind = DiscrepancyKind.allCases.compactMap { kind in counts[kind].map { (kind, $0) } }
            amountAtStake = MoneyAtStake.total(of: discrepancies) { $0.kind.isAlarm }
        }
    }

    /// The merchant the report is limited to; `nil` for the whole day.
    public var scope: MerchantRef?

    /// The base file name of the day's reports: `order-recon-2026-11-20`, or
    /// `order-recon-2026-11-20-wechatpay-1900000109` for one merchant.
    public var baseName: String {
        "order-recon-\(day)" + (scope.map { "-\($0.provider.rawValue)-\($0.merchantID)" } ?? "")
    }

    /// The part of the report about `merchant`: its bills, discrepancies and open items.
    ///
    /// The day's counts of both sides and its query totals cover every merchant of the run, so
    /// a merchant's report leaves them out; its bills carry their own row counts and totals.
    public func scoped(to merchant: MerchantRef) -> DayReport {
        var copy = self
        copy.scope = merchant
        copy.bills = bills.filter { $0.merchant == merchant }
        copy.discrepancies = discrepancies.filter { $0.merchant == merchant }
        copy.unreconciled = unreconciled.filter { $0.merchant == merchant }
        copy.queries = nil
        copy.openItems = openItems.map { section in
            OpenItemsSection(
                new: section.new.filter { $0.merchant == merchant },
                stillOpen: section.stillOpen.filter { $0.merchant == merchant },
                resolved: section.resolved.filter { $0.merchant == merchant })
        }
        return copy
    }
}
