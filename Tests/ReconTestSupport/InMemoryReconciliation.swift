import ReconCore

/// An in-memory store and bills for the run's matching stage: each day's window of orders and
/// refunds (read in ``readParts`` parts, as the parallel store reads give them) and bill rows go
/// through ``DayMatching``, the stage a run uses, then ``BoundaryResolver`` across the days.
public struct InMemoryReconciliation {
    /// Every order in the "store".
    public var orders: [Order]
    /// Every refund in the "store".
    public var refunds: [Refund]
    /// Bill rows per merchant and day, with the kinds each bill covers.
    public var bills: [BillCoverage.Key: (kinds: Set<BillEntry.Kind>, rows: [BillEntry])] = [:]
    /// The policy.
    public var policy = MatchPolicy()
    /// Provider zones.
    public var zones = ProviderZones()
    /// When set, each day's rows are fed to the matcher in an order shuffled with this seed.
    public var shuffleSeed: UInt64?
    /// How many parts each day's orders are read in, as the parallel reads of the store give
    /// them. With `repeatAcrossParts`, every order of a part is read again by the next part too,
    /// as when rows change between two reads.
    public var readParts = 1
    /// See ``readParts``.
    public var repeatAcrossParts = false
    /// How many rows each batch fed to the matching holds.
    public var batchSize = 1

    /// Creates a store with `orders` and `refunds` and no bills.
    public init(orders: [Order] = [], refunds: [Refund] = []) {
        self.orders = orders
        self.refunds = refunds
    }

    /// Adds a bill of `merchant` for `day`.
    public mutating func bill(
        _ rows: [BillEntry], merchant: MerchantRef = Sample.wechat, day: CivilDate = Sample.day,
        kinds: Set<BillEntry.Kind> = [.payment, .refund]
    ) {
        bills[BillCoverage.Key(merchant: merchant, day: day)] = (kinds, rows)
    }

    /// Reconciles every day that has a bill.
    public func run() -> [DayResult] { reconcile().results }

    /// Reconciles every day that has a bill, and also returns each day's outcome before the
    /// boundary rule and the bills' coverage.
    public func reconcile() -> (results: [DayResult], outcomes: [DayOutcome], coverage: BillCoverage) {
        var coverage = BillCoverage()
        for (key, bill) in bills { coverage.insert(key.merchant, day: key.day, kinds: bill.kinds) }
        let outcomes = coverage.days.map { day -> DayOutcome in
            let merchants = Set(coverage.merchants(on: day))
            func inRange(_ merchant: MerchantRef, _ time: Timestamp) -> Bool {
                let range = policy.loadRange(zones.window(day, for: merchant.provider))
                return merchants.contains(merchant) && range.contains(time.epochSeconds)
            }
            let dayOrders = orders.filter { inRange($0.merchant, $0.effectiveTime) }
            var parts = (0..<readParts).map { part in
                dayOrders.indices.filter { $0 % readParts == part }.map { dayOrders[$0] }
            }
            if repeatAcrossParts {
                for part in parts.indices.dropFirst() { parts[part] = parts[part - 1] + parts[part] }
            }
            let matching = DayMatching(
                day: day, zones: zones, policy: policy, coverage: coverage,
                orders: parts.map { OrderChunk($0, day: day, zones: zones, policy: policy) },
                refunds: refunds.filter { inRange($0.merchant, $0.createdAt) })
            var rows = merchants.sorted().flatMap { bills[BillCoverage.Key(merchant: $0, day: day)]!.rows }
            if let shuffleSeed {
                var generator = SplitMix64(seed: shuffleSeed &+ UInt64(bitPattern: day.daysSinceEpoch))
                rows.shuffle(using: &generator)
            }
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                matching.ingest(BillBatch(Array(rows[start..<min(rows.count, start + batchSize)])))
            }
            return matching.finish { request in
                LookupResult(
                    orders: orders.filter { request.outTradeNos.contains($0.outTradeNo) },
                    refunds: refunds.filter { request.outRefundNos.contains($0.outRefundNo) },
                    combineMembers: orders.filter {
                        $0.combineOutTradeNo.map(request.combineOutTradeNos.contains) ?? false
                    })
            }.outcome
        }
        return (BoundaryResolver.resolve(outcomes, coverage: coverage), outcomes, coverage)
    }

    /// The discrepancies of every day, as `(kind, subject)` pairs in report order.
    public func findings() -> [Finding] {
        run().flatMap { result in result.discrepancies.map { Finding($0) } }
    }
}

/// A discrepancy reduced to what a table-driven test compares.
public struct Finding: Hashable, CustomStringConvertible, Sendable {
    /// The kind.
    public var kind: DiscrepancyKind
    /// The subject (refund, order or combine order number).
    public var subject: String
    /// The day it was reported on.
    public var day: CivilDate
    /// The bill-minus-store difference in minor units, if any.
    public var difference: Int64?

    /// Creates a finding.
    public init(_ kind: DiscrepancyKind, _ subject: String, day: CivilDate = Sample.day, difference: Int64? = nil) {
        self.kind = kind
        self.subject = subject
        self.day = day
        self.difference = difference
    }

    /// Reduces a discrepancy.
    public init(_ discrepancy: Discrepancy) {
        self.init(
            discrepancy.kind, discrepancy.subject, day: discrepancy.day, difference: discrepancy.difference?.minorUnits)
    }

    /// The finding with the difference ignored, for tests that only pin kinds.
    public var withoutDifference: Finding { Finding(kind, subject, day: day) }

    public var description: String {
        "\(kind.rawValue) \(subject) on \(day)" + (difference.map { " Δ\($0)" } ?? "")
    }
}

/// A small seeded random number generator, so shuffled tests repeat exactly.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
