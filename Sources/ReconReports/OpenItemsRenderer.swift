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
        let stake = MoneyAtStake.total(of: items) { $0.kind.isAlarm }
        let oldest = items.map { $0.age(on: today) }.max() ?? 0
        lines.append(
            "\(items.count) item\(items.count == 1 ? "" : "s"), the oldest \(oldest) day\(oldest == 1 ? "" : "s") old"
                + (stake.amounts.isEmpty ? "" : "; at stake \(stake.amounts.map(\.description).joined(separator: ", "))")
                + (stake.overflowed.isEmpty ? "" : "; at stake in \(stake.overflowed.sorted().map(\.code).joined(separator: ", ")): too much to add up")
                + ". Acknowledge one with: order-recon ack ID --note \"why\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as JSON lines of one object per item, sorted keys, for scripts: the fields of a
    /// report's `open_items`, with the first and last times each was found.
    public static func json(_ items: [OpenItem], today: CivilDate) -> String {
        items.map { item in
            var writer = JSONWriter(pretty: false, capacity: 1024)
            OpenItemDocument(item, ageOn: today, includesRunTimes: true).write(to: &writer)
            return writer.text + "\n"
        }.joined()
    }
}
