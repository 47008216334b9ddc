import ReconCore

/// An inline SVG bar chart of discrepancies per day: alarms stacked under carried timing
/// differences, with a gap for each day without a run. Self-contained: no fonts, scripts or
/// links outside the markup.
public enum DiscrepancyChart {
    /// The chart's size in CSS pixels.
    public static let width = 760
    /// See ``width``.
    public static let height = 220

    /// The SVG markup for `counts` over every day from `start` through `end`.
    public static func svg(_ counts: [DailyCount], from start: CivilDate, through end: CivilDate) -> String {
        let days = start.through(end)
        let byDay = Dictionary(counts.map { ($0.day, $0) }, uniquingKeysWith: { $1 })
        let top = max(1, counts.map { $0.alarms + $0.carried }.max() ?? 1)
        let (left, right, upper, lower) = (36, 8, 12, 34)
        let plotWidth = width - left - right
        let plotHeight = height - upper - lower
        let slot = Double(plotWidth) / Double(max(days.count, 1))
        let barWidth = max(2, slot * 0.7)
        func y(_ value: Int) -> Double { Double(upper) + Double(plotHeight) * (1 - Double(value) / Double(top)) }

        var parts: [String] = [
            "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">",
            "<title>Discrepancies per day, \(start) to \(end)</title>",
            "<line x1=\"\(left)\" y1=\"\(y(0))\" x2=\"\(width - right)\" y2=\"\(y(0))\" stroke=\"#888\"/>",
            "<text x=\"\(left - 6)\" y=\"\(trim(y(top) + 4))\" text-anchor=\"end\" class=\"axis\">\(top)</text>",
            "<text x=\"\(left - 6)\" y=\"\(trim(y(0) + 4))\" text-anchor=\"end\" class=\"axis\">0</text>",
        ]
        let labelEvery = max(1, Int((Double(days.count) / 10).rounded(.up)))
        for (index, day) in days.enumerated() {
            let x = Double(left) + slot * Double(index) + (slot - barWidth) / 2
            if let count = byDay[day] {
                let alarmTop = y(count.alarms)
                let totalTop = y(count.alarms + count.carried)
                if count.alarms > 0 {
                    parts.append(
                        "<rect class=\"alarm\" x=\"\(trim(x))\" y=\"\(trim(alarmTop))\" width=\"\(trim(barWidth))\" "
                            + "height=\"\(trim(y(0) - alarmTop))\"><title>\(day): \(count.alarms) need attention</title></rect>")
                }
                if count.carried > 0 {
                    parts.append(
                        "<rect class=\"carried\" x=\"\(trim(x))\" y=\"\(trim(totalTop))\" width=\"\(trim(barWidth))\" "
                            + "height=\"\(trim(alarmTop - totalTop))\"><title>\(day): \(count.carried) timing</title></rect>")
                }
                if count.alarms + count.carried == 0 {
                    parts.append(
                        "<rect class=\"clean\" x=\"\(trim(x))\" y=\"\(trim(y(0) - 2))\" width=\"\(trim(barWidth))\" "
                            + "height=\"2\"><title>\(day): clean</title></rect>")
                }
            }
            if index % labelEvery == 0 || index == days.count - 1 {
                let label = String(day.description.dropFirst(5))
                parts.append(
                    "<text x=\"\(trim(x + barWidth / 2))\" y=\"\(height - lower + 16)\" text-anchor=\"middle\" "
                        + "class=\"axis\">\(label)</text>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private static func trim(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
