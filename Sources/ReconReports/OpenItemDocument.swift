import ReconCore

/// An open item as JSON, the same in a day's report and in `order-recon open --json`.
///
/// The run's own times (`first_seen_at`, `last_seen_at`) are written only when asked for, so a
/// report stays the same between reruns with the same inputs.
struct OpenItemDocument: Encodable {
    let item: OpenItem
    /// The day ages are counted to.
    let day: CivilDate
    let includesRunTimes: Bool

    init(_ item: OpenItem, ageOn day: CivilDate, includesRunTimes: Bool = false) {
        self.item = item
        self.day = day
        self.includesRunTimes = includesRunTimes
    }

    enum Keys: String, CodingKey {
        case id, provider, merchantID = "merchant_id", day, kind, outTradeNo = "out_trade_no",
            outRefundNo = "out_refund_no", combineOutTradeNo = "combine_out_trade_no", currency,
            atStakeMinor = "at_stake_minor", ageDays = "age_days", state, foundOn = "found_on",
            resolvedOn = "resolved_on", resolution, acknowledgedBy = "acknowledged_by",
            acknowledgedAt = "acknowledged_at", note, explanation, firstSeenAt = "first_seen_at",
            lastSeenAt = "last_seen_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(item.id, forKey: .id)
        try container.encode(item.merchant.provider.rawValue, forKey: .provider)
        try container.encode(item.merchant.merchantID, forKey: .merchantID)
        try container.encode(item.day.description, forKey: .day)
        try container.encode(item.kind.rawValue, forKey: .kind)
        try container.encode(item.outTradeNo, forKey: .outTradeNo)
        try container.encode(item.outRefundNo, forKey: .outRefundNo)
        try container.encode(item.combineOutTradeNo, forKey: .combineOutTradeNo)
        try container.encode(item.amountAtStake?.currency.code, forKey: .currency)
        try container.encode(item.amountAtStake?.minorUnits, forKey: .atStakeMinor)
        try container.encode(item.age(on: day), forKey: .ageDays)
        try container.encode(item.state.rawValue, forKey: .state)
        try container.encode(item.foundOn.description, forKey: .foundOn)
        try container.encode(item.resolvedOn?.description, forKey: .resolvedOn)
        try container.encode(item.resolution, forKey: .resolution)
        try container.encode(item.acknowledgement?.by, forKey: .acknowledgedBy)
        try container.encode(item.acknowledgement?.at.rfc3339, forKey: .acknowledgedAt)
        try container.encode(item.acknowledgement?.note, forKey: .note)
        try container.encode(item.explanation, forKey: .explanation)
        if includesRunTimes {
            try container.encode(item.firstSeen.rfc3339, forKey: .firstSeenAt)
            try container.encode(item.lastSeen.rfc3339, forKey: .lastSeenAt)
        }
    }
}
