import ReconCore

/// How a store finds the rows of a time range when its times have no offset.
///
/// The database reads a time without an offset as UTC, which is off by the zone's offset, so the
/// range searched is widened by the offsets the zone has around it (``searchRange(_:zone:)``), and
/// each row found is then placed exactly (``keeps(_:in:zone:)``). Without a zone both leave the
/// range and the rows as they are.
enum NaiveTimeSearch {
    /// The range to search, in the database's UTC reading of the times, for the rows whose true
    /// time lies in `range`.
    static func searchRange(_ range: Range<Int64>, zone: ZoneRules?) -> Range<Int64> {
        guard let zone else { return range }
        let step: Int64 = 3_600
        var offsets: [Int64] = []
        var instant = range.lowerBound - 86_400
        while instant <= range.upperBound + 86_400 {
            offsets.append(Int64(zone.offset(at: instant)))
            instant += step
        }
        return min(range.lowerBound, range.lowerBound + (offsets.min() ?? 0))
            ..< max(range.upperBound, range.upperBound + (offsets.max() ?? 0))
    }

    /// Whether a row found in ``searchRange(_:zone:)`` really lies in `range`: always without a
    /// zone; with one, when its time (`bytes`) read in that zone does. A time that cannot be read
    /// is kept, so that decoding it names the row.
    static func keeps(_ bytes: UnsafeBufferPointer<UInt8>?, in range: Range<Int64>, zone: ZoneRules?) -> Bool {
        guard zone != nil, let bytes, let time = Timestamp.parseRFC3339(bytes, assumingOffset: zone) else { return true }
        return range.contains(time.epochSeconds)
    }
}
