import ReconCore
import Testing

@Suite("Dates, timestamps and day windows")
struct TimeTests {
    @Test("civil dates round-trip through their day number", arguments: [
        "1970-01-01", "2026-11-20", "2024-02-29", "2000-03-01", "1969-12-31", "2099-12-31",
    ])
    func civilRoundTrip(text: String) throws {
        let date = try #require(CivilDate(text))
        #expect(CivilDate(daysSinceEpoch: date.daysSinceEpoch) == date)
        #expect(date.description == text)
    }

    @Test("invalid dates are refused", arguments: ["2026-02-29", "2026-13-01", "2026-11-31", "2026-1-01", "20261120"])
    func invalidDates(text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test("a range of days includes both ends")
    func ranges() {
        let days = CivilDate("2026-11-29")!.through(CivilDate("2026-12-02")!)
        #expect(days.map(\.description) == ["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"])
        #expect(CivilDate("2026-12-02")!.through(CivilDate("2026-11-29")!).isEmpty)
    }

    @Test(
        "RFC 3339 timestamps with any offset name one instant",
        arguments: [
            "2026-11-20T10:00:00+08:00", "2026-11-20T02:00:00Z", "2026-11-20 02:00:00z", "2026-11-19T21:00:00-05:00",
            "2026-11-20T10:00:00.999+08:00", "2026-11-20T07:30:00+05:30", "2026-11-20 02:00:00+00", "2026-11-20 10:00:00.5+08",
        ])
    func rfc3339(text: String) throws {
        let stamp = try #require(Timestamp(rfc3339: text))
        #expect(stamp.epochSeconds == 1_795_140_000)
    }

    @Test("an instant in milliseconds is written in UTC with its milliseconds, before 1970 as after", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (1_795_140_000_999, "2026-11-20T02:00:00.999Z"),
        (-500, "1969-12-31T23:59:59.500Z"), (-1_000, "1969-12-31T23:59:59.000Z"), (-1_001, "1969-12-31T23:59:58.999Z"),
    ])
    func milliseconds(epochMilliseconds: Int64, written: String) {
        #expect(Timestamp.rfc3339(epochMilliseconds: epochMilliseconds) == written)
    }

    @Test("timestamps without an offset need a zone", arguments: ["2026-11-20 10:00:00", "2026-11-20T10:00:00"])
    func noOffset(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
        #expect(Timestamp(rfc3339: text, assumingOffset: .shanghai)?.epochSeconds == 1_795_140_000)
    }

    @Test("malformed timestamps are refused", arguments: [
        "2026-11-20T25:00:00Z", "2026-11-20T10:00Z", "2026-11-20T10:00:00+8", "2026/11/20 10:00:00Z",
        "2026-11-20T10:00:00+08:00x", "2026-11-20T10:00:00.+08:00", "2026-11-20T10:00:00+0800",
        "2026-11-20T10:00:00+24", "2026-11-20T10:00:00+08:", "2026-11-20 02:00:00+00 BC", "infinity",
    ])
    func malformed(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("times read through one date cache read as each alone: valid, malformed, and on other dates, in any order")
    func dateCache() {
        let texts = [
            "2026-11-20 10:00:00", "2026-11-20 23:59:59", "2026-11-20 24:00:00", "2026-11-20X10:00:00", "2026-11-21 00:00:00",
            "2026-11-20 00:00:01", "2026-02-29 10:00:00", "2026-11-2010:00:00Z", "2024-02-29 12:00:00", "2024-02-29 12:00:0x",
            "1969-12-31 23:59:59", "2026-11-31 10:00:00", "2026-11-20 10:00:00", "2026-11-20T10:00:00+08:00",
        ]
        var dates = DateCache()
        for text in texts + texts.reversed() {
            var utf8 = Array(text.utf8)
            utf8.withUnsafeMutableBufferPointer { bytes in
                let bytes = UnsafeBufferPointer(bytes)
                #expect(LocalDateTime.parse(bytes, dates: &dates) == LocalDateTime.parse(bytes), "\(text)")
                #expect(
                    Timestamp.parseRFC3339(bytes, assumingOffset: .shanghai, dates: &dates)
                        == Timestamp.parseRFC3339(bytes, assumingOffset: .shanghai), "\(text)")
            }
        }
        let valid = ["2026-11-20 10:00:00", "2026-11-20 23:59:59", "2026-11-21 00:00:00", "2026-11-20 00:00:01", "2024-02-29 12:00:00",
            "1969-12-31 23:59:59"]
        #expect(texts.filter { LocalDateTime($0) != nil }.sorted() == (valid + ["2026-11-20 10:00:00"]).sorted())
        let day = CivilDate("2026-11-20")!
        #expect(LocalDateTime("2026-11-20 00:00:00")!.isOn(day) && LocalDateTime("2026-11-20 23:59:59")!.isOn(day))
        #expect(!LocalDateTime("2026-11-19 23:59:59")!.isOn(day) && !LocalDateTime("2026-11-21 00:00:00")!.isOn(day))
        #expect(LocalDateTime("1969-12-31 23:59:59")!.isOn(CivilDate("1969-12-31")!))
    }

    @Test("timestamps print in their own offset")
    func printing() {
        #expect(Timestamp(rfc3339: "2026-11-20T10:00:00+08:00")?.rfc3339 == "2026-11-20T10:00:00+08:00")
        #expect(Timestamp(rfc3339: "2026-11-20T02:00:00Z")?.rfc3339 == "2026-11-20T02:00:00Z")
        #expect(Timestamp(rfc3339: "2026-11-19T21:00:00-05:00")?.description == "2026-11-19T21:00:00-05:00")
    }

    @Test("a Shanghai day is the 24 hours from 16:00 UTC the day before")
    func shanghaiWindow() {
        let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)
        #expect(window.start == Timestamp(rfc3339: "2026-11-19T16:00:00Z")!.epochSeconds)
        #expect(window.end - window.start == 86_400)
        #expect(window.contains(Timestamp(rfc3339: "2026-11-20T23:59:59+08:00")!))
        #expect(!window.contains(Timestamp(rfc3339: "2026-11-21T00:00:00+08:00")!))
        #expect(window.contains(Timestamp(rfc3339: "2026-11-19T16:00:00Z")!))
    }

    @Test("a day with a daylight-saving change is 23 or 25 hours long")
    func daylightSaving() throws {
        let newYork = try #require(ZoneRules(identifier: "America/New_York"))
        #expect(DayWindow(day: CivilDate("2026-03-08")!, zone: newYork).end
            - DayWindow(day: CivilDate("2026-03-08")!, zone: newYork).start == 23 * 3600)
        #expect(DayWindow(day: CivilDate("2026-11-01")!, zone: newYork).end
            - DayWindow(day: CivilDate("2026-11-01")!, zone: newYork).start == 25 * 3600)
        var converter = WallClockConverter(zone: newYork)
        let summer = converter.timestamp(for: LocalDateTime("2026-07-01 12:00:00")!)
        #expect(summer.utcOffsetSeconds == -4 * 3600)
        let winter = converter.timestamp(for: LocalDateTime("2026-12-01 12:00:00")!)
        #expect(winter.utcOffsetSeconds == -5 * 3600)
    }

    @Test("edges: within the grace of either midnight, and which side an outside instant is on")
    func edges() {
        let window = DayWindow(day: CivilDate("2026-11-20")!, zone: .shanghai)
        func at(_ text: String) -> Int64 { ZoneRules.shanghai.timestamp(for: LocalDateTime(text)!).epochSeconds }
        #expect(window.edge(near: at("2026-11-20 00:09:59"), grace: 600) == .start)
        #expect(window.edge(near: at("2026-11-20 00:10:00"), grace: 600) == nil)
        #expect(window.edge(near: at("2026-11-20 23:50:00"), grace: 600) == .end)
        #expect(window.edge(near: at("2026-11-20 23:49:59"), grace: 600) == nil)
        #expect(window.side(of: at("2026-11-19 23:59:59")) == .start)
        #expect(window.side(of: at("2026-11-21 00:00:00")) == .end)
        #expect(window.side(of: at("2026-11-20 12:00:00")) == nil)
    }

    @Test("bill wall times convert to instants in the provider zone")
    func wallClock() {
        var converter = WallClockConverter(zone: .shanghai)
        let stamp = converter.timestamp(for: LocalDateTime("2026-11-20 10:00:00")!)
        #expect(stamp.epochSeconds == 1_795_140_000)
        #expect(stamp.rfc3339 == "2026-11-20T10:00:00+08:00")
        #expect(LocalDateTime("2026-11-20 24:00:00") == nil)
        #expect(LocalDateTime("2026-11-20 10:00") == nil)
    }
}

@Suite("Durations as operators write them")
struct DurationTextTests {
    @Test(
        "parses",
        arguments: [
            ("26h", Int64(93_600)), ("90m", 5_400), ("2d", 172_800), ("45s", 45), ("1h30m", 5_400), ("1d2h", 93_600),
        ] as [(String, Int64)])
    func parses(_ text: String, _ seconds: Int64) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test("refuses what is not a duration", arguments: ["", "26", "h", "1x", "-5m", "1.5h", "99999999999999999999d"])
    func refuses(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test("describes", arguments: [(Int64(45), "45s"), (11_520, "3h 12m"), (93_600, "1d 2h"), (0, "0s")] as [(Int64, String)])
    func describes(_ seconds: Int64, _ text: String) {
        #expect(DurationText.describe(seconds) == text)
    }
}
