import ReconCore
import Testing

@Suite("Copying a few bytes")
struct ShortCopyTests {
    @Test("bytes of every count are copied into their places, and no byte around the source or the target is read or written")
    func everyCount() {
        for count in 0...40 {
            // Distinct bytes, so a byte out of place shows; the bytes around the source differ from
            // those around the target, so a byte read from outside the source and written shows.
            let bytes = (0..<count).map { UInt8(0x21 + $0) }
            let source = [UInt8](repeating: 0x7E, count: 16) + bytes + [UInt8](repeating: 0x7D, count: 16)
            var target = [UInt8](repeating: 0x2E, count: count + 32)
            source.withUnsafeBytes { from in
                target.withUnsafeMutableBytes { to in
                    ShortCopy.copy(from.baseAddress! + 16, to: to.baseAddress! + 16, count: count)
                }
            }
            #expect(Array(target[16..<(16 + count)]) == bytes, "\(count) bytes")
            #expect(target[..<16].allSatisfy { $0 == 0x2E } && target[(16 + count)...].allSatisfy { $0 == 0x2E }, "\(count) bytes")
        }
    }
}
