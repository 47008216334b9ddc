import ReconCore

/// A supported bill layout.
public struct BillFormat: Hashable, Sendable, CustomStringConvertible {
    /// The provider that issues it.
    public var provider: ProviderID
    /// A short name, such as `ALL` or `daily`.
    public var type: String
    /// `current`, `legacy` or a version.
    public var generation: String
    /// The kinds of row it lists.
    public var kinds: Set<BillEntry.Kind>

    /// Creates a layout's description.
    public init(provider: ProviderID, type: String, generation: String, kinds: Set<BillEntry.Kind>) {
        self.provider = provider
        self.type = type
        self.generation = generation
        self.kinds = kinds
    }

    /// `ALL (current columns)`.
    public var label: String { "\(type) (\(generation) columns)" }

    /// `wechatpay ALL (current columns)`.
    public var description: String { "\(provider) \(label)" }
}

/// What is known about the bill a reader was asked for.
public struct BillExpectation: Hashable, Sendable {
    /// The merchant the bill must belong to, if known.
    public var merchant: MerchantRef?
    /// For a part of a bill named for no merchant: the merchant the bill's first row names
    /// (``BillFacts/firstRowMerchant``), which a single pass checks every row against.
    public var firstRowMerchant: MerchantRef?
    /// The day the bill must cover, if known.
    public var day: CivilDate?
    /// The merchants the rows may belong to, when a run reads the bill for them: the merchant, or
    /// the sub-merchants configured under a service provider (``MerchantGroups``). `nil` accepts the
    /// rows of the merchant and of any sub-merchant of it, as `bill check` does.
    public var covered: Set<MerchantRef>?

    /// Creates an expectation.
    public init(merchant: MerchantRef? = nil, day: CivilDate? = nil, covered: Set<MerchantRef>? = nil) {
        self.merchant = merchant
        self.day = day
        self.covered = covered
    }
}

/// Something wrong in a bill, with the line it is on when it is on one.
public struct BillProblem: Hashable, Sendable {
    /// What part of the bill the problem is in.
    public enum Area: String, Hashable, Sendable, Codable {
        /// A detail row.
        case row
        /// The summary block or its check against the rows.
        case summary
        /// The bill belongs to another merchant or day.
        case identity
        /// The bill ends early.
        case truncated
    }

    /// The area.
    public var area: Area
    /// The 1-based line, when the problem is on one.
    public var line: Int?
    /// What is wrong.
    public var message: String

    /// `file:line: message`.
    public func describe(in file: String) -> String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}

/// A summary total compared with the sum of the rows it summarises.
public struct SummaryCheck: Hashable, Sendable {
    /// The summary column (`订单总金额`, `payment_amount`, …), with the currency for per-currency totals.
    public var name: String
    /// What the summary says.
    public var stated: FixedDecimal
    /// What the rows add up to.
    public var computed: FixedDecimal
    /// `true` when they agree (to the summary's precision).
    public var matches: Bool
}

/// Totals of one currency in a bill.
public struct BillCurrencyTotals: Hashable, Sendable {
    /// The currency.
    public var currency: Currency
    /// Payment rows that moved money.
    public var paymentCount = 0
    /// Their amounts.
    public var paid: Int64 = 0
    /// Refund rows that moved (or are moving) money.
    public var refundCount = 0
    /// Their amounts.
    public var refunded: Int64 = 0
    /// Fees of every row, at the bill's own precision.
    public var fees = FixedDecimal.zero

    /// Empty totals for `currency`.
    public init(currency: Currency) {
        self.currency = currency
    }
}

/// Everything learnt from reading one bill file: where it came from, what it holds, and what is
/// wrong with it.
public struct BillFacts: Sendable, Equatable {
    /// The file, as named by the user.
    public var file: String
    /// The detected format.
    public var format: BillFormat
    /// The merchant the bill belongs to, when it says.
    public var merchant: MerchantRef?
    /// The merchant the bill's first row names (a WeChat Pay row's 商户号), whatever the bill was
    /// named for: the one its rows are checked against when it was named for none.
    public var firstRowMerchant: MerchantRef?
    /// The day the bill covers, when it says (or its rows all fall on one day).
    public var day: CivilDate?
    /// The bill's name inside the ZIP archive it came in, if it did.
    public var zipEntry: String?
    /// `true` when the bill was GB18030 (GBK) text, read as such.
    public var wasGB18030 = false

    /// The facts of a bill of `format` before any row is read.
    package init(file: String, format: BillFormat) {
        self.file = file
        self.format = format
    }
    /// Bytes of the file as stored.
    public var storedBytes = 0
    /// SHA-256 of the file as stored.
    public var sha256 = ""
    /// `true` when the file was gzip-compressed.
    public var wasCompressed = false
    /// Detail rows, malformed ones included.
    public var detailRows = 0
    /// Rows by kind and provider status (`payment SUCCESS`, `refund REFUND/PROCESSING`, …).
    public var rowsByType: [String: Int] = [:]
    /// The earliest and latest row time, on the bill's own clock.
    public var firstRowTime: LocalDateTime?
    /// The latest row time.
    public var lastRowTime: LocalDateTime?
    /// Totals per currency.
    public var totals: [Currency: BillCurrencyTotals] = [:]
    /// The summary totals checked against the rows.
    public var summaryChecks: [SummaryCheck] = []
    /// Summary columns with no known meaning, left unchecked.
    public var uncheckedSummaryColumns: [String] = []
    /// Problems found, in line order (at most ``maxProblems`` kept).
    public var problems: [BillProblem] = []
    /// All problems found, kept or not.
    public var problemCount = 0
    /// Detail rows that could not be read.
    public var malformedRows = 0
    /// Each merchant's rows, when they belong to other merchants than ``merchant`` (a service
    /// provider's bill of its sub-merchants); empty when every row is the bill's own merchant's.
    public var shares: [MerchantRef: BillShare] = [:]

    /// How many problems are kept in ``problems``.
    public static let maxProblems = 10_000

    /// `true` when the bill can be trusted: well-formed, complete, of the expected merchant and
    /// day, and its rows add up to its summary.
    public var isValid: Bool { problemCount == 0 }

    /// Payment rows.
    public var paymentRows: Int { BillShare.rows(rowsByType, "payment") }
    /// Refund rows.
    public var refundRows: Int { BillShare.rows(rowsByType, "refund") }

    /// The rows of `member`: its share of a service provider's bill, or every row when the bill is its own.
    public func share(of member: MerchantRef) -> BillShare {
        if let share = shares[member] { return share }
        if shares.isEmpty, member == merchant { return BillShare(rowsByType: rowsByType, totals: totals) }
        return BillShare()
    }

    /// How much of a problem's message is kept: enough for the values it quotes from the bill,
    /// never a whole oversized field.
    static let maxMessageLength = 400

    package mutating func report(_ area: BillProblem.Area, line: Int?, _ message: String) {
        problemCount += 1
        if area == .row { malformedRows += 1 }
        guard problems.count < Self.maxProblems else { return }
        var text = Printable.escaped(message)
        if text.count > Self.maxMessageLength { text = text.prefix(Self.maxMessageLength) + "…" }
        problems.append(BillProblem(area: area, line: line, message: text))
    }

    /// Says whether a row's number (an order's, a refund's or a transaction's) of `count` bytes in
    /// `column` follows ``NumberRule``; when it does not, reports the row at `line` as malformed.
    /// Inlined into the decoders, which ask it of every row's numbers.
    @inlinable
    package mutating func accepts(number count: Int, column: @autoclosure () -> String, line: Int) -> Bool {
        guard count > NumberRule.maximumBytes else { return true }
        reportLong(number: count, column: column(), line: line)
        return false
    }

    /// Reports the row at `line` as malformed for the number of `count` bytes in `column`.
    @usableFromInline
    package mutating func reportLong(number count: Int, column: String, line: Int) {
        report(.row, line: line, "\(column) is \(count) bytes long, not \(NumberRule.shape): the row is damaged")
    }

    /// Records a summary total checked against the rows, and reports it when they disagree.
    /// Like problems, at most ``maxProblems`` are kept, however many totals a bill repeats.
    package mutating func record(_ check: SummaryCheck, line: Int) {
        if summaryChecks.count < Self.maxProblems { summaryChecks.append(check) }
        if !check.matches { report(.summary, line: line, check.mismatchMessage) }
    }

    /// Records a summary column left unchecked; at most ``maxProblems`` are kept.
    package mutating func leaveUnchecked(_ column: String) {
        if uncheckedSummaryColumns.count < Self.maxProblems { uncheckedSummaryColumns.append(column) }
    }

    @inlinable public mutating func noteRowTime(_ time: LocalDateTime) {
        if firstRowTime.map({ time < $0 }) ?? true { firstRowTime = time }
        if lastRowTime.map({ time > $0 }) ?? true { lastRowTime = time }
    }

    /// Adds what another part of the same bill found: its problems (after this part's), counts and
    /// row times.
    package mutating func absorb(_ other: BillFacts) {
        for problem in other.problems where problems.count < Self.maxProblems { problems.append(problem) }
        problemCount += other.problemCount
        malformedRows += other.malformedRows
        detailRows += other.detailRows
        if let first = other.firstRowTime { noteRowTime(first) }
        if let last = other.lastRowTime { noteRowTime(last) }
        merchant = merchant ?? other.merchant
        firstRowMerchant = firstRowMerchant ?? other.firstRowMerchant
    }

    /// Publishes a decoder's running counts into ``rowsByType`` and ``totals``; a total that
    /// would not fit is a problem of the bill, never a wrapped number.
    package mutating func publish(_ tally: RowTally) {
        let share = BillShare(tally)
        rowsByType = share.rowsByType
        totals = share.totals
        for currency in tally.overflowed.sorted() {
            report(.summary, line: nil, "the rows' amounts or fees in \(currency) add up to more than 64 bits can hold")
        }
    }

    /// Publishes the counts of each merchant the rows belong to, and their sum as the bill's.
    /// Shares are kept only when some row is not the bill's own merchant's.
    package mutating func publish(_ tallies: [MerchantRef: RowTally]) {
        var whole = RowTally()
        for tally in tallies.values { whole.add(tally) }
        publish(whole)
        guard tallies.keys.contains(where: { $0 != merchant }) else { return }
        shares = tallies.mapValues(BillShare.init)
    }
}

/// One merchant's rows in a bill: counts by type and totals per currency.
public struct BillShare: Sendable, Equatable {
    /// Rows by kind and provider status, as in ``BillFacts/rowsByType``.
    public var rowsByType: [String: Int] = [:]
    /// Totals per currency.
    public var totals: [Currency: BillCurrencyTotals] = [:]

    /// No rows.
    public init() {}

    init(rowsByType: [String: Int], totals: [Currency: BillCurrencyTotals]) {
        self.rowsByType = rowsByType
        self.totals = totals
    }

    init(_ tally: RowTally) {
        for (index, key) in tally.typeKeys.enumerated() {
            rowsByType["\(key.kind.rawValue) \(key.status)", default: 0] += tally.typeCounts[index]
        }
        for currencyTotals in tally.currencies { totals[currencyTotals.currency] = currencyTotals }
    }

    /// Payment rows.
    public var paymentRows: Int { Self.rows(rowsByType, "payment") }
    /// Refund rows.
    public var refundRows: Int { Self.rows(rowsByType, "refund") }

    static func rows(_ byType: [String: Int], _ kind: String) -> Int {
        byType.filter { $0.key.hasPrefix(kind) }.values.reduce(0, +)
    }
}

/// Per-row counting without hashing: a bill has a handful of row types and currencies, so
/// linear searches of tiny arrays beat dictionaries by far.
public struct RowTally: Sendable {
    package init() {}

    @usableFromInline struct TypeKey: Equatable, Sendable {
        @usableFromInline var kind: BillEntry.Kind
        @usableFromInline var status: String

        @inlinable init(kind: BillEntry.Kind, status: String) {
            self.kind = kind
            self.status = status
        }
    }

    @usableFromInline var typeKeys: [TypeKey] = []
    @usableFromInline var typeCounts: [Int] = []
    @usableFromInline var currencies: [BillCurrencyTotals] = []
    /// Currencies whose sums would not fit; their totals stop growing.
    @usableFromInline var overflowed: Set<Currency> = []

    @inlinable public mutating func count(_ entry: BillEntry) {
        let key = TypeKey(kind: entry.kind, status: entry.providerStatus)
        if let index = typeKeys.firstIndex(of: key) {
            typeCounts[index] += 1
        } else {
            typeKeys.append(key)
            typeCounts.append(1)
        }
        guard entry.status.movesMoney(for: entry.kind) else { return }
        let index = currencyIndex(entry.amount.currency)
        switch entry.kind {
        case .payment:
            currencies[index].paymentCount += 1
            currencies[index].paid = sum(currencies[index].paid, entry.amount.minorUnits, at: index)
        case .refund:
            currencies[index].refundCount += 1
            currencies[index].refunded = sum(currencies[index].refunded, entry.amount.minorUnits, at: index)
        }
    }

    /// `total + amount`, or `total` with the currency marked as overflowed when it does not fit.
    @inlinable mutating func sum(_ total: Int64, _ amount: Int64, at index: Int) -> Int64 {
        let (sum, overflow) = total.addingReportingOverflow(amount)
        if overflow { overflowed.insert(currencies[index].currency) }
        return overflow ? total : sum
    }

    /// Adds the counts of another part of the same bill.
    package mutating func add(_ other: RowTally) {
        for (index, key) in other.typeKeys.enumerated() {
            if let mine = typeKeys.firstIndex(of: key) {
                typeCounts[mine] += other.typeCounts[index]
            } else {
                typeKeys.append(key)
                typeCounts.append(other.typeCounts[index])
            }
        }
        for totals in other.currencies {
            let index = currencyIndex(totals.currency)
            currencies[index].paymentCount += totals.paymentCount
            currencies[index].paid = sum(currencies[index].paid, totals.paid, at: index)
            currencies[index].refundCount += totals.refundCount
            currencies[index].refunded = sum(currencies[index].refunded, totals.refunded, at: index)
            addFee(totals.fees, currency: totals.currency)
        }
        overflowed.formUnion(other.overflowed)
    }

    @inlinable public mutating func addFee(_ fee: FixedDecimal, currency: Currency) {
        let index = currencyIndex(currency)
        guard let sum = currencies[index].fees.adding(fee) else {
            overflowed.insert(currency)
            return
        }
        currencies[index].fees = sum
    }

    @inlinable mutating func currencyIndex(_ currency: Currency) -> Int {
        if let index = currencies.firstIndex(where: { $0.currency == currency }) { return index }
        currencies.append(BillCurrencyTotals(currency: currency))
        return currencies.count - 1
    }
}
