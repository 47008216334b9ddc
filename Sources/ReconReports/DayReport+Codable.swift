import Foundation
import ReconCore

/// A day's report as one JSON document, so that a shard can keep what it found for
/// `order-recon report` to compose the day from. The error-code catalogs are this build's, given
/// back when it is read (``DayReport/decode(_:codes:)``), not stored with it.
extension DayReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case day, zones, graceSeconds, store, bills, statistics, discrepancies, unreconciled, run, queries, openItems, scope
    }

    /// Where a decoder finds the catalogs a decoded report quotes.
    public static let codesKey = CodingUserInfoKey(rawValue: "order-recon.codes")!

    public init(from decoder: any Decoder) throws {
        guard let codes = decoder.userInfo[Self.codesKey] as? ErrorCodeBook else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no error-code catalogs given"))
        }
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            day: try values.decode(CivilDate.self, forKey: .day), zones: try values.decode([ProviderID: String].self, forKey: .zones),
            graceSeconds: try values.decode(Int64.self, forKey: .graceSeconds), store: try values.decode(StoreInput.self, forKey: .store),
            bills: try values.decode([BillInput].self, forKey: .bills), statistics: try values.decode(DayStatistics.self, forKey: .statistics),
            discrepancies: try values.decode([Discrepancy].self, forKey: .discrepancies),
            unreconciled: try values.decode([Unreconciled].self, forKey: .unreconciled), run: try values.decode(RunInfo.self, forKey: .run),
            queries: try values.decodeIfPresent(QueriesSection.self, forKey: .queries), codes: codes)
        openItems = try values.decodeIfPresent(OpenItemsSection.self, forKey: .openItems)
        scope = try values.decodeIfPresent(MerchantRef.self, forKey: .scope)
    }

    public func encode(to encoder: any Encoder) throws {
        var values = encoder.container(keyedBy: CodingKeys.self)
        try values.encode(day, forKey: .day)
        try values.encode(zones, forKey: .zones)
        try values.encode(graceSeconds, forKey: .graceSeconds)
        try values.encode(store, forKey: .store)
        try values.encode(bills, forKey: .bills)
        try values.encode(statistics, forKey: .statistics)
        try values.encode(discrepancies, forKey: .discrepancies)
        try values.encode(unreconciled, forKey: .unreconciled)
        try values.encode(run, forKey: .run)
        try values.encodeIfPresent(queries, forKey: .queries)
        try values.encodeIfPresent(openItems, forKey: .openItems)
        try values.encodeIfPresent(scope, forKey: .scope)
    }

    /// The report as kept: JSON.
    public func encoded() throws -> Data { try JSONEncoder().encode(self) }

    /// A report kept by ``encoded()``, quoting `codes`.
    public static func decode(_ data: Data, codes: ErrorCodeBook) throws -> DayReport {
        let decoder = JSONDecoder()
        decoder.userInfo[codesKey] = codes
        return try decoder.decode(DayReport.self, from: data)
    }
}
