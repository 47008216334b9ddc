import ReconCore

/// Hands the rows of a range's refunds to the merchants they belong to, for
/// ``OrderSource/refunds(of:in:)``: each merchant's rows decoded with its own digest, in the order
/// read, and the refunds of merchants not asked for passed over undecoded.
///
/// The row's columns: the refund's, as ``RowDecoder/refund(_:merchant:)`` reads them (0 to 7),
/// then 1 when the refund has no order (8), and its order's provider (9) and merchant id (10).
struct RefundSorter {
    private var decoders: [MerchantRef: RowDecoder]
    private let path: String
    /// Each merchant's refunds, in the order read.
    private(set) var refunds: [MerchantRef: [Refund]]

    init(digests: [MerchantRef: StoreDigest], path: String, naiveTimeZone: ZoneRules?, providers: ProviderDirectory) {
        decoders = digests.mapValues { RowDecoder(path: path, digest: $0, naiveTimeZone: naiveTimeZone, providers: providers) }
        refunds = digests.mapValues { _ in [] }
        self.path = path
    }

    /// Takes one row.
    /// - Throws: ``StoreError/orphanRefund(path:outRefundNo:outTradeNo:)`` for a refund without its order.
    mutating func add(_ row: some StoreRow) throws {
        if row.int64(8) == 1 {
            throw StoreError.orphanRefund(path: path, outRefundNo: row.text(0) ?? "", outTradeNo: row.text(1) ?? "")
        }
        let merchant = MerchantRef(provider: ProviderID(rawValue: row.text(9) ?? ""), merchantID: row.text(10) ?? "")
        guard decoders[merchant] != nil else { return }
        let refund = try decoders[merchant]!.refund(row, merchant: merchant)
        refunds[merchant]!.append(refund)
    }
}
