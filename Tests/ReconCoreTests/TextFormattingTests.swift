import ReconTestSupport
import Testing

@testable import ReconCore

@Suite("Dates, times, ids and orders written as text")
struct TextFormattingTests {
    @Test("dates and times are written with every digit, at the edges of their fields", arguments: [
        ("0999-01-05", 0, 0, 0, "0999-01-05 00:00:00"),
        ("2026-11-20", 23, 59, 59, "2026-11-20 23:59:59"),
        ("9999-12-31", 9, 5, 7, "9999-12-31 09:05:07"),
    ])
    func dateTimeText(date: String, hour: Int, minute: Int, second: Int, expected: String) throws {
        let day = try #require(CivilDate(date))
        #expect(day.description == date)
        let wall = LocalDateTime(date: day, hour: hour, minute: minute, second: second)
        #expect(wall.description == expected)
    }

    @Test("RFC 3339 text keeps the offset it was read in, hours and minutes", arguments: [
        "2026-11-20T10:00:00+08:00", "2026-11-20T02:00:00Z", "2026-11-19T22:30:00-03:30", "2026-11-20T07:45:00+05:45",
        "2026-11-20T00:00:00-12:00", "2026-11-20T00:00:00+14:00", "0999-01-05T00:00:00+08:00", "9999-12-31T23:59:59-09:30",
        "0000-01-01T00:00:00Z",
    ])
    func rfc3339(text: String) throws {
        #expect(try #require(Timestamp(rfc3339: text)).rfc3339 == text)
    }

    @Test("RFC 3339 text past year 9999 is still written in full")
    func rfc3339PastYear9999() {
        #expect(Timestamp(epochSeconds: 253_402_300_800, utcOffsetSeconds: 0).rfc3339 == "10000-01-01T00:00:00Z")
        #expect(Timestamp(epochSeconds: 253_402_300_800, utcOffsetSeconds: 19_800).rfc3339 == "10000-01-01T05:30:00+05:30")
    }

    @Test("bill rows are listed as file:line, separated by spaces")
    func locationList() {
        let rows = [SourceLocation(file: "bills/长 名.csv", line: 7), SourceLocation(file: "", line: 1_074_000)]
        #expect(rows[0].description == "bills/长 名.csv:7")
        #expect(SourceLocation.list(rows) == "bills/长 名.csv:7 :1074000")
        #expect(SourceLocation.list([]) == "")
    }

    @Test("a location in a sentence names the file without its folders", arguments: [
        ("bills/wechatpay_1900000109_2026-11-20_ALL.csv", "wechatpay_1900000109_2026-11-20_ALL.csv:12"),
        ("/srv/recon/bills/a.csv", "a.csv:12"),
        ("a.csv", "a.csv:12"),
        ("c/长 名.csv", "长 名.csv:12"),
        ("bills/day/", "day:12"),
        ("bills//x.csv", "x.csv:12"),
        ("/", "/:12"),
        ("///", "///:12"),
        ("", ":12"),
    ])
    func shortLocation(file: String, expected: String) {
        #expect(SourceLocation(file: file, line: 12).shortDescription == expected)
    }

    @Test("stable ids are the 16 hex digits of FNV-1a, leading zeros kept")
    func stableIDs() {
        #expect(StableID.make(["2026-11-20", "wechatpay", "1900000109", "amount_mismatch", "ORDER-1"]) == "9e50138180856d9a")
        #expect(StableID.make(["k25620"]) == "000d2869e3e11ee9")
    }

    @Test("a stable id's text gives back its hash, and no other text gives one", arguments: [
        ("9e50138180856d9a", UInt64(0x9e50_1381_8085_6d9a)), ("000d2869e3e11ee9", 0x000d_2869_e3e1_1ee9),
        ("ffffffffffffffff", .max), ("0000000000000000", 0),
        ("9E50138180856D9A", nil), ("9e50138180856d9", nil), ("9e50138180856d9a0", nil), ("9e5013818085 d9a", nil),
        ("9e50138180856d9g", nil), ("", nil),
    ])
    func stableIDText(text: String, hash: UInt64?) {
        var text = text
        let parsed = text.withUTF8 { StableID.hash(ofText: $0) }
        #expect(parsed == hash)
        if let parsed { #expect(StableID.text(parsed) == text) }
    }

    @Test("only text with hidden characters is rewritten", arguments: [
        ("plain ASCII, with punctuation ~!", "plain ASCII, with punctuation ~!"),
        ("订单-20261120 café", "订单-20261120 café"),
        ("bell\u{07}", "bell\\u{7}"),
        ("delete\u{7F}", "delete\\u{7F}"),
        ("turn\u{202E}around", "turn\\u{202E}around"),
    ])
    func escaped(text: String, expected: String) {
        #expect(Printable.escaped(text) == expected)
    }

    @Test("discrepancies in report order, by position, are the same as sorted whole, ties kept in place")
    func reportOrder() {
        let kinds: [DiscrepancyKind] = [.amountMismatch, .missingInBill, .duplicateInBill]
        var list: [Discrepancy] = []
        for index in 0..<60 {
            list.append(
                Discrepancy(
                    kind: kinds[index % 3], day: Sample.day.adding(days: index % 2),
                    merchant: index % 5 == 0 ? Sample.wechat2 : Sample.wechat, outTradeNo: "O-\(index % 7)",
                    outRefundNo: index % 4 == 0 ? "R-\(index % 3)" : nil, explanation: "finding \(index)"))
        }
        #expect(Discrepancy.inReportOrder(list) == list.sorted(by: Discrepancy.listOrder))
        #expect(Discrepancy.inReportOrder(list.reversed()) == list.reversed().sorted(by: Discrepancy.listOrder))
    }
}
