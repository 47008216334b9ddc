import ReconTestSupport
import Testing

@testable import ReconCore

@Suite("Inline text")
struct InlineTextTests {
    /// Empty, short, at and past the inline limit, non-ASCII, and a NUL inside.
    static let texts = [
        "", "4", "4200002491202611200000000000", String(repeating: "9", count: 31), String(repeating: "9", count: 32),
        "2026112022001400000000000001234567890123456789012345678901234", "微信订单-1", "TXN\u{0}1", "a\u{7F}",
    ]

    @Test("gives back every text as it was given, from a String or from its bytes")
    func roundTrip() {
        for text in Self.texts {
            #expect(InlineText(text).string == text, "\(text.debugDescription)")
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { InlineText(utf8: $0) }
            #expect(fromBytes.string == text, "\(text.debugDescription)")
            #expect(fromBytes == InlineText(text))
            #expect(fromBytes.hashValue == InlineText(text).hashValue)
        }
    }

    @Test("different texts are different, however close")
    func distinct() {
        let all = Self.texts + ["42000024912026112000000000001", "4200002491202611200000000001", "4\u{0}"]
        #expect(Set(all.map(InlineText.init)).count == Set(all).count)
        #expect(InlineText("1") != InlineText("1\u{0}"))
    }

    @Test("bytes that are not UTF-8 are repaired as String(decoding:as:) repairs them")
    func repairsInvalidBytes() {
        for bytes: [UInt8] in [[0xFF], [0x34, 0xC3], [0xE5, 0xBE, 0x41], Array(repeating: 0x80, count: 40)] {
            let text = bytes.withUnsafeBufferPointer { InlineText(utf8: $0) }
            #expect(text.string == String(decoding: bytes, as: UTF8.self))
            #expect(text == InlineText(String(decoding: bytes, as: UTF8.self)))
        }
    }

    @Test("a bill row's transaction id reads back as set, through either property")
    func billEntryTransactionID() {
        var entry = BillEntry(
            kind: .payment, status: .success, merchant: Sample.wechat,
            outTradeNo: "A-1", transactionID: "4200002491202611200000000000", amount: .zero(.cny),
            time: Timestamp(epochSeconds: 0), location: SourceLocation(file: "bill.csv", line: 2))
        #expect(entry.transactionID == "4200002491202611200000000000")
        #expect(entry.transactionText == InlineText("4200002491202611200000000000"))
        entry.transactionID = nil
        #expect(entry.transactionText == nil && entry.transactionID == nil)
        entry.transactionText = InlineText("")
        #expect(entry.transactionID == "")
    }
}
