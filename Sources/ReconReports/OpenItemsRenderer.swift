import Foundation
import ReconCore

/// Renders the list `order-recon open` prints: the open items, oldest first, with their age.
public enum OpenItemsRenderer {
    /// A table for people: id, age, day, merchant, kind, subject, amount at stake, explanation.
    public static func text(_ items: [OpenItem], today: CivilDate) -> String {
        guard !items.isEmpty else { return "No open items.\n" }
        let header = ["id", "age", "day", "merchant", "kind", "subject", "at stake", "state"]
        let rows = items.map { item in
            [
                item.id, "\(item.age(on: today))d", item.day.description, item.merchant.description, item.kind.rawValue,
                item.subject, item.amountAtStake?.description ?? "", item.state.rawValue,
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)] + rows.map(line)
        var stake = CurrencyTotals()
        for item in items where item.kind.isAlarm { if let amount = item.amountAtStake { stake.add(amount) } }
        let oldest = items.map { $0.age(on: today) }.max() ?? 0
        lines.append(
            "\(items.count) item\(items.count == 1 ? "" : "s"), the oldest \(oldest) day\(oldest == 1 ? "" : "s") old"
                + (stake.amounts.isEmpty ? "" : "; at stake \(stake.amounts.map(\.description).joined(separator: ", "))")
                + ". Acknowledge one with: order-recon ack ID --note \"why\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as JSON lines of one object per item, sorted keys, for scripts.
    public static func json(_ items: [OpenItem], today: CivilDate) throws -> String {
        var output = ""
        for item in items {
            let object: [String: Any?] = [
                "id": item.id, "provider": item.merchant.provider.rawValue, "merchant_id": item.merchant.merchantID,
                "day": item.day.description, "age_days": item.age(on: today), "kind": item.kind.rawValue,
                "out_trade_no": item.outTradeNo, "out_refund_no": item.outRefundNo,
                "combine_out_trade_no": item.combineOutTradeNo, "currency": item.amountAtStake?.currency.code,
                "at_stake_minor": item.amountAtStake?.minorUnits, "state": item.state.rawValue,
                "found_on": item.foundOn.description, "first_seen_at": item.firstSeen.rfc3339,
                "last_seen_at": item.lastSeen.rfc3339, "resolved_on": item.resolvedOn?.description,
                "resolution": item.resolution, "acknowledged_by": item.acknowledgement?.by,
                "acknowledged_at": item.acknowledgement?.at.rfc3339, "note": item.acknowledgement?.note,
                "explanation": item.explanation,
            ]
            let data = try JSONSerialization.data(
                withJSONObject: object.mapValues { $0 ?? NSNull() }, options: [.sortedKeys, .withoutEscapingSlashes])
            output += String(decoding: data, as: UTF8.self) + "\n"
        }
        return output
    }
}
