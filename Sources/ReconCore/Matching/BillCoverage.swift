/// Which bills a run holds: for each merchant and day, whether payments, refunds or both are covered.
///
/// A WeChat Pay `ALL` bill covers both; a `SUCCESS` bill only payments; a `REFUND` bill only
/// refunds. The matcher only expects rows from bills the run has, and the boundary rule asks
/// whether the neighbouring day's bill is in the run.
public struct BillCoverage: Hashable, Sendable {
    /// A merchant on a day.
    public struct Key: Hashable, Comparable, Sendable {
        /// The merchant account.
        public var merchant: MerchantRef
        /// The bill day.
        public var day: CivilDate

        /// Creates a key.
        public init(merchant: MerchantRef, day: CivilDate) {
            self.merchant = merchant
            self.day = day
        }

        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.day, lhs.merchant) < (rhs.day, rhs.merchant) }
    }

    /// The kinds of row covered per merchant and day.
    public private(set) var kinds: [Key: Set<BillEntry.Kind>] = [:]

    /// Creates an empty coverage.
    public init() {}

    /// Records that the run has a bill of `merchant` for `day` covering `kinds`.
    public mutating func insert(_ merchant: MerchantRef, day: CivilDate, kinds: Set<BillEntry.Kind>) {
        self.kinds[Key(merchant: merchant, day: day), default: []].formUnion(kinds)
    }

    /// `true` when the run has a bill of `merchant` for `day` that lists rows of `kind`.
    public func covers(_ merchant: MerchantRef, on day: CivilDate, _ kind: BillEntry.Kind) -> Bool {
        kinds[Key(merchant: merchant, day: day)]?.contains(kind) ?? false
    }

    /// The merchants with a bill on `day`, in order.
    public func merchants(on day: CivilDate) -> [MerchantRef] {
        kinds.keys.filter { $0.day == day }.map(\.merchant).sorted()
    }

    /// The days that have at least one bill, in order.
    public var days: [CivilDate] { Set(kinds.keys.map(\.day)).sorted() }
}
