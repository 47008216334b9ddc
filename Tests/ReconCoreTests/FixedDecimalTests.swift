import Foundation
import ReconCore
import Testing

@Suite("Exact decimals")
struct FixedDecimalTests {
    @Test(
        "parses decimal text exactly",
        arguments: [
            ("6.00", 600, 2), ("0.29", 29, 2), ("-1.56000", -156_000, 5), ("45.0", 450, 1), ("0", 0, 0),
            ("+12.5", 125, 1), ("0.08", 8, 2), ("007.10", 710, 2), ("9223372036854775807", Int64.max, 0),
            // Around 18 characters, where the digits stop being checked for overflow one by one.
            ("999999999999999999", 999_999_999_999_999_999, 0), ("-999999999999999999", -999_999_999_999_999_999, 0),
            ("99999999999999999.9", 999_999_999_999_999_999, 1), ("0.00000000000000001", 1, 17),
            ("-9223372036854775807", -Int64.max, 0), ("-0.00", 0, 2), ("00", 0, 0), ("1.000000000000000000", 1_000_000_000_000_000_000, 18),
        ] as [(String, Int64, Int)])
    func parses(text: String, units: Int64, scale: Int) {
        let value = FixedDecimal(text)
        #expect(value?.units == units)
        #expect(value?.scale == scale)
    }

    @Test(
        "rejects anything that is not a plain decimal",
        arguments: ["", "abc", "1,000.00", "1e3", " 1.00", "1.00 ", ".5", "5.", "--1", "1.2.3", "¥1.00",
            "9223372036854775808", "1.0000000000000000001", "NaN", "-", "9999999999999999999", "99999999999999999999",
            "-9223372036854775808", "+", ".", "-.5", "1..2", "1.-2", "0x10", "1.5e", "12a", "1 000"])
    func rejects(text: String) {
        #expect(FixedDecimal(text) == nil)
    }

    @Test("0.29 becomes 29 fen, never 28 as a Double would give")
    func noFloatingPointTruncation() {
        #expect(Money(parsing: "0.29", currency: .cny)?.minorUnits == 29)
        #expect(Money(parsing: "1.15", currency: .cny)?.minorUnits == 115)
        #expect(Money(parsing: "4.35", currency: .cny)?.minorUnits == 435)
    }

    @Test(
        "converts to a currency's minor units only when no digits are lost",
        arguments: [
            ("12.30", Currency.cny, 1230 as Int64?), ("12.3", .cny, 1230), ("12", .cny, 1200),
            ("12.345", .cny, nil), ("12.340", .cny, 1234), ("1500", .jpy, 1500), ("1500.5", .jpy, nil),
            ("1.234", Currency(code: "BHD")!, 1234),
        ] as [(String, Currency, Int64?)])
    func minorUnits(text: String, currency: Currency, expected: Int64?) {
        #expect(Money(parsing: text, currency: currency)?.minorUnits == expected)
    }

    @Test("equal values at different scales are equal and hash alike")
    func numericEquality() {
        #expect(FixedDecimal("1.5") == FixedDecimal("1.50000"))
        #expect(Set([FixedDecimal("0.0")!, FixedDecimal("0")!, FixedDecimal("0.00000")!]).count == 1)
        #expect(FixedDecimal("0.08")! < FixedDecimal("0.08001")!)
        #expect(FixedDecimal("-0.02")! < FixedDecimal("0")!)
    }

    @Test("sums exactly across scales and reports overflow")
    func sums() {
        let sum = FixedDecimal("0.04000")!.adding(FixedDecimal("-1.5")!)
        #expect(sum == FixedDecimal("-1.46"))
        #expect(sum?.scale == 5)
        #expect(FixedDecimal(units: .max, scale: 0).adding(FixedDecimal("1")!) == nil)
    }

    @Test("prints with exactly its scale", arguments: [
        (FixedDecimal(units: -5, scale: 2), "-0.05"), (FixedDecimal(units: 123_456, scale: 5), "1.23456"),
        (FixedDecimal(units: 7, scale: 0), "7"), (FixedDecimal(units: 100, scale: 2), "1.00"),
        (FixedDecimal(units: 0, scale: 0), "0"), (FixedDecimal(units: 0, scale: 3), "0.000"),
        (FixedDecimal(units: -2100, scale: 2), "-21.00"), (FixedDecimal(units: 10, scale: 1), "1.0"),
        (FixedDecimal(units: 1, scale: 18), "0.000000000000000001"),
        (FixedDecimal(units: .min, scale: 0), "-9223372036854775808"),
        (FixedDecimal(units: .min, scale: 18), "-9.223372036854775808"),
        (FixedDecimal(units: .max, scale: 18), "9.223372036854775807"),
        (FixedDecimal(units: .min, scale: 1), "-922337203685477580.8"),
    ])
    func prints(value: FixedDecimal, text: String) {
        #expect(value.description == text)
        // Written in place, as reports write amounts, with room for the longest text and no more.
        let room = UnsafeMutablePointer<UInt8>.allocate(capacity: FixedDecimal.maxTextBytes)
        defer { room.deallocate() }
        let count = value.write(into: room)
        #expect(String(decoding: UnsafeBufferPointer(start: room, count: count), as: UTF8.self) == text)
    }

    @Test("currencies validate their code and know their minor unit")
    func currencies() {
        #expect(Currency(code: "CNY")?.minorUnitDigits == 2)
        #expect(Currency(code: "JPY")?.minorUnitDigits == 0)
        #expect(Currency(code: "KWD")?.minorUnitDigits == 3)
        #expect(Currency(code: "cny") == nil)
        #expect(Currency(code: "RMB¥") == nil)
        #expect(Currency(code: "RMB") == nil)
        #expect(Currency(code: "XXX") == nil)
        #expect(Currency(code: "") == nil)
    }

    @Test("a currency keeps its code as bytes: it reads back, orders and encodes as its code, and money is plain bytes")
    func currencyBytes() throws {
        for code in ["AED", "CNY", "GBP", "JPY", "USD", "ZWL"] {
            let currency = try #require(Currency(code: code))
            #expect(currency.code == code)
            #expect(currency.description == code)
        }
        let sorted = ["USD", "CNY", "AED", "JPY", "HKD"].compactMap { Currency(code: $0) }.sorted()
        #expect(sorted.map(\.code) == ["AED", "CNY", "HKD", "JPY", "USD"])
        let placeholder = Currency(code: "", minorUnitDigits: 0)
        #expect(placeholder.code == "")
        #expect(placeholder < .cny)
        #expect(placeholder != Currency(code: "CNY", minorUnitDigits: 0))
        // The encoded form is the code and the digits, as it was when the code was a string.
        let kwd = try #require(Currency(code: "KWD"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try encoder.encode(kwd)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"code":"KWD","minorUnitDigits":3}"#)
        #expect(try JSONDecoder().decode(Currency.self, from: encoded) == kwd)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Currency.self, from: Data(#"{"code":"YUAN","minorUnitDigits":2}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Currency.self, from: Data(#"{"code":"CNY","minorUnitDigits":10}"#.utf8))
        }
        #expect(_isPOD(Money.self))
        #expect(MemoryLayout<Money>.stride == 16)
    }

    @Test("codes read row after row give their currencies, the last one kept, and a code that names none gives none")
    func currencyCodes() {
        var codes = CurrencyCodes()
        func read(_ code: String) -> Currency? {
            var code = code
            return code.withUTF8 { codes.currency(utf8: $0) }
        }
        #expect(read("CNY") == .cny)
        #expect(read("CNY") == .cny)
        #expect(read("JPY") == .jpy)
        #expect(read("RMB") == nil)
        #expect(read("JPY")?.minorUnitDigits == 0)
        #expect(read("cny") == nil)
        #expect(read("CNY ") == nil)
        #expect(read("") == nil)
        #expect(codes.currency("HKD") == .hkd)
        #expect(codes.currency(nil) == nil)
    }

    @Test("totals keep currencies apart and refuse to overflow")
    func totals() {
        var totals = CurrencyTotals()
        totals.add(Money(minorUnits: 100, currency: .cny))
        totals.add(Money(minorUnits: 250, currency: .hkd))
        totals.add(Money(minorUnits: -30, currency: .cny))
        #expect(totals.amounts == [Money(minorUnits: 70, currency: .cny), Money(minorUnits: 250, currency: .hkd)])
        totals.add(Money(minorUnits: .max, currency: .cny))
        #expect(totals.overflowed == [.cny])
    }
}
