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

    @Test("every length up to and past the inline limit gives back its exact bytes, whatever ASCII they are")
    func everyLength() {
        // Bytes from the bottom and the top of ASCII: each word's padding is found whatever its last byte.
        for fill: UInt8 in [0x01, 0x30, 0x7F] {
            for count in 0...34 {
                let bytes = (0..<count).map { UInt8($0 % 2 == 0 ? fill : 0x41) }
                let text = bytes.withUnsafeBufferPointer { InlineText(utf8: $0) }
                #expect(text.withUTF8 { Array($0) } == bytes, "\(count) bytes of \(fill)")
                #expect(text.string == String(decoding: bytes, as: UTF8.self), "\(count) bytes of \(fill)")
                #expect(text.isEmpty == bytes.isEmpty)
            }
        }
    }

    @Test("text of every length read from inside a larger buffer holds its own bytes in their places and none around it")
    func everyLengthInsideABuffer() {
        for count in 0...InlineText.inlineCapacity {
            // Distinct bytes, so a byte out of place shows; the bytes around the text are ASCII too,
            // so one read from outside it would be kept and show.
            let text = (0..<count).map { UInt8(0x21 + $0) }
            let buffer = [UInt8](repeating: 0x7E, count: 8) + text + [UInt8](repeating: 0x7D, count: 8)
            let read = buffer.withUnsafeBufferPointer { InlineText(utf8: UnsafeBufferPointer(rebasing: $0[8..<(8 + count)])) }
            #expect(read.isKeptInline, "\(count) bytes")
            #expect(read.withUTF8 { Array($0) } == text, "\(count) bytes")
            #expect(read == InlineText(String(decoding: text, as: UTF8.self)), "\(count) bytes")
        }
    }

    @Test("a NUL or a byte past ASCII anywhere in text of any length up to the limit keeps it as a String")
    func everyPositionOfNulAndNonASCII() {
        for count in 1...InlineText.inlineCapacity {
            for position in 0..<count {
                for odd: UInt8 in [0x00, 0x80, 0xC3, 0xFF] {
                    var bytes = [UInt8](repeating: 0x41, count: count)
                    bytes[position] = odd
                    let text = bytes.withUnsafeBufferPointer { InlineText(utf8: $0) }
                    #expect(!text.isKeptInline, "\(count) bytes, \(odd) at \(position)")
                    #expect(text.string == String(decoding: bytes, as: UTF8.self), "\(count) bytes, \(odd) at \(position)")
                    #expect(text == InlineText(String(decoding: bytes, as: UTF8.self)))
                }
            }
            for fill: UInt8 in [0x01, 0x41, 0x7F] {
                let plain = [UInt8](repeating: fill, count: count)
                let text = plain.withUnsafeBufferPointer { InlineText(utf8: $0) }
                #expect(text.isKeptInline, "\(count) bytes of \(fill)")
                #expect(text.withUTF8 { Array($0) } == plain)
            }
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

    @Test("a bill row's order and refund numbers read back as set, and the refund number is a refund's key")
    func billEntryNumbers() {
        let order = "BENCH2026112000000000007"
        let refund = String(repeating: "R", count: 32)
        var entry = BillEntry(
            kind: .refund, status: .success, merchant: Sample.wechat, outTradeNo: order, outRefundNo: refund,
            amount: .zero(.cny), time: Timestamp(epochSeconds: 0), location: SourceLocation(file: "bill.csv", line: 2))
        #expect(entry.outTradeNo == order && entry.outRefundNo == refund)
        #expect(entry.matchKey == refund && entry.matchText == InlineText(refund))
        entry.outRefundNo = nil
        #expect(entry.outRefundText == nil && entry.matchKey == order)
        entry.kind = .payment
        entry.outTradeNo = "退款-1"
        #expect(entry.matchKey == "退款-1" && entry.outTradeText == InlineText("退款-1"))
    }
}
