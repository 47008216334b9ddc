import Foundation
@testable import ReconReports
import Testing

@Suite("The reports' byte buffer")
struct ByteBufferTests {
    func text(_ buffer: ByteBuffer) -> String { String(decoding: buffer.bytes, as: UTF8.self) }

    @Test("grows past its first capacity by single bytes, short runs and runs longer than it has, keeping every byte in order")
    func grows() {
        let buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for round in 0..<300 {
            buffer.append(UInt8(ascii: "a") + UInt8(round % 26))
            expected.append(UInt8(ascii: "a") + UInt8(round % 26))
            let run = [UInt8](repeating: UInt8(ascii: "0") + UInt8(round % 10), count: round % 40)
            run.withUnsafeBufferPointer { buffer.append($0) }
            expected += run
        }
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 100_000)
        long.withUnsafeBufferPointer { buffer.append($0) }
        expected += long
        #expect(Array(buffer.bytes) == expected)
        #expect(buffer.data == Data(expected))
        buffer.removeAll()
        #expect(buffer.count == 0)
        buffer.append("商户 ok")
        #expect(text(buffer) == "商户 ok")
    }

    @Test("writes integers as their decimal digits, the extremes included", arguments: [
        Int64(0), 7, -7, 10, -10, 1_234_567_890, .max, .min, .min + 1,
    ])
    func decimals(value: Int64) {
        let buffer = ByteBuffer(capacity: 2)
        buffer.append(decimal: value)
        #expect(text(buffer) == String(value))
    }

    @Test("keeps only the bytes a writer in place says it wrote")
    func writtenInPlace() {
        let buffer = ByteBuffer(capacity: 4)
        buffer.append(UInt8(ascii: "["))
        buffer.append(atMost: 21) { text in
            for (index, byte) in "12.30".utf8.enumerated() { text[index] = byte }
            return 5
        }
        buffer.append(count: 2) { text in (text[0], text[1]) = (UInt8(ascii: "]"), 0x0A) }
        #expect(text(buffer) == "[12.30]\n")
    }
}
