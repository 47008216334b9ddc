import Foundation
import ReconCore
@testable import ReconReports
import Testing

@Suite("The bytes the reports' writers write")
struct ReportBytesTests {
    @Test("grow from empty by single bytes, short runs and runs past a megabyte, keeping every byte in order")
    func grows() {
        var buffer = ColumnBuffer<UInt8>()
        var expected: [UInt8] = []
        for round in 0..<300 {
            buffer.append(UInt8(ascii: "a") + UInt8(round % 26))
            expected.append(UInt8(ascii: "a") + UInt8(round % 26))
            let run = [UInt8](repeating: UInt8(ascii: "0") + UInt8(round % 10), count: round % 40)
            run.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
            expected += run
        }
        let long = [UInt8](repeating: UInt8(ascii: "z"), count: 3 << 20)
        long.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        expected += long
        #expect(buffer.data == Data(expected))
        buffer.removeAll()
        #expect(buffer.count == 0)
        buffer.append("商户 ok")
        #expect(buffer.text == "商户 ok")
    }

    @Test("integers as their decimal digits, the extremes included", arguments: [
        Int64(0), 7, -7, 10, -10, 1_234_567_890, .max, .min, .min + 1,
    ])
    func decimals(value: Int64) {
        var buffer = ColumnBuffer<UInt8>()
        buffer.append(decimal: value)
        #expect(buffer.text == String(value))
    }

    @Test("only the bytes a writer in place says it wrote are kept")
    func writtenInPlace() {
        var buffer = ColumnBuffer<UInt8>()
        buffer.append(UInt8(ascii: "["))
        buffer.append(atMost: 21) { text in
            for (index, byte) in "12.30".utf8.enumerated() { text[index] = byte }
            return 5
        }
        buffer.append(UInt8(ascii: "]"))
        #expect(buffer.text == "[12.30]")
    }
}
