import Testing

@testable import ReconCore

@Suite("Comparing raw bytes")
struct ByteComparisonTests {
    @Test("bytes are ASCII only when every byte is below 0x80, wherever the others are", arguments: [
        ([], true),
        ([0x00, 0x41, 0x7F], true),
        ([0x80], false),
        ([0xFF] + [UInt8](repeating: 0x41, count: 99), false),
        ([UInt8](repeating: 0x41, count: 99) + [0x80], false),
        ([UInt8](repeating: 0x7F, count: 257), true),
        (Array("订单-001".utf8), false),
    ] as [([UInt8], Bool)])
    func ascii(bytes: [UInt8], expected: Bool) {
        #expect(bytes.withUnsafeBufferPointer(\.isASCII) == expected)
    }

    @Test("bytes equal a word, an array or other bytes only when every byte and the length agree")
    func equality() {
        let bytes = Array("SUCCESS".utf8)
        bytes.withUnsafeBufferPointer { bytes in
            #expect(bytes.equals("SUCCESS"))
            #expect(!bytes.equals("SUCCES"))
            #expect(!bytes.equals("SUCCESs"))
            #expect(bytes.equals(Array("SUCCESS".utf8)))
            #expect(!bytes.equals(Array("SUCCESS ".utf8)))
            #expect("SUCCESS".hasUTF8(bytes))
        }
    }
}
