import ReconCore

/// An open item as JSON, the same in a day's report and in `order-recon open --json`.
///
/// The run's own times (`first_seen_at`, `last_seen_at`) are written only when asked for, so a
/// report stays the same between reruns with the same inputs.
struct OpenItemDocument {
    let item: OpenItem
    /// The day ages are counted to.
    let day: CivilDate
    let includesRunTimes: Bool

    init(_ item: OpenItem, ageOn day: CivilDate, includesRunTimes: Bool = false) {
        self.item = item
        self.day = day
        self.includesRunTimes = includesRunTimes
    }

    func write(to writer: inout JSONWriter) {
        writer.object { w in
            w.field("acknowledged_at", item.acknowledgement?.at.rfc3339)
            w.field("acknowledged_by", item.acknowledgement?.by)
            w.field("age_days", item.age(on: day))
            w.field("at_stake_minor", item.amountAtStake?.minorUnits)
            w.field("combine_out_trade_no", item.combineOutTradeNo)
            w.field("currency", item.amountAtStake?.currency.code)
            w.field("day", item.day.description)
            w.field("explanation", item.explanation)
            if includesRunTimes { w.field("first_seen_at", item.firstSeen.rfc3339) }
            w.field("found_on", item.foundOn.description)
            w.field("id", item.id)
            w.field("kind", item.kind.rawValue)
            if includesRunTimes { w.field("last_seen_at", item.lastSeen.rfc3339) }
            w.field("merchant_id", item.merchant.merchantID)
            w.field("note", item.acknowledgement?.note)
            w.field("out_refund_no", item.outRefundNo)
            w.field("out_trade_no", item.outTradeNo)
            w.field("provider", item.merchant.provider.rawValue)
            w.field("resolution", item.resolution)
            w.field("resolved_on", item.resolvedOn?.description)
            w.field("state", item.state.rawValue)
        }
    }
}
