/// Durations written the way operators write them: `26h`, `90m`, `2d`, `45s`, or `1h30m`.
public enum DurationText {
    /// The number of seconds in `text`, or `nil` when it is not a duration.
    public static func seconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64?
        var sawUnit = false
        for character in text.lowercased() {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, overflowTimes) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int64(digit))
                guard !overflowTimes, !overflowSum else { return nil }
                number = sum
                continue
            }
            let unit: Int64
            switch character {
            case "d": unit = 86_400
            case "h": unit = 3_600
            case "m": unit = 60
            case "s": unit = 1
            default: return nil
            }
            guard let value = number else { return nil }
            let (part, overflowPart) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowSum) = total.addingReportingOverflow(part)
            guard !overflowPart, !overflowSum else { return nil }
            total = sum
            number = nil
            sawUnit = true
        }
        guard number == nil, sawUnit else { return nil }
        return total
    }

    /// `seconds` as people read it: `3h 12m`, `2d 4h`, `45s`.
    public static func describe(_ seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : ""
        var rest = seconds.magnitude
        let units: [(UInt64, String)] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")]
        var parts: [String] = []
        for (size, name) in units where rest >= size || (size == 1 && parts.isEmpty) {
            parts.append("\(rest / size)\(name)")
            rest %= size
            if parts.count == 2 { break }
        }
        return sign + parts.joined(separator: " ")
    }
}
