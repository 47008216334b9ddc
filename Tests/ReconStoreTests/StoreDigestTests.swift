import Crypto
import ReconCore
@testable import ReconStore
import Testing

@Suite("The store digest")
struct StoreDigestTests {
    @Test("columns of any length, over many blocks, hash to the SHA-256 of their encoding")
    func encodingOverManyBlocks() {
        let digest = StoreDigest()
        var encoding: [UInt8] = []
        // Rows of columns from 0 to 99 bytes long, short ones copied in a step and long ones not,
        // past several of the digest's blocks and ending in every place in them; with integers and NULLs.
        for row in 0..<3_000 {
            for column in 0..<4 {
                let length = (row * 7 + column * 31) % 100
                let bytes = (0..<length).map { UInt8(truncatingIfNeeded: row &+ $0 &* 13) }
                bytes.withUnsafeBufferPointer { digest.add($0) }
                encoding += bytes + [0x1F]
            }
            digest.add(integer: Int64(row) * -7)
            withUnsafeBytes(of: (Int64(row) * -7).littleEndian) { encoding += $0 }
            encoding.append(0x1F)
            digest.add(nil)
            encoding.append(0x00)
            digest.endRow()
            encoding.append(0x1E)
        }
        #expect(encoding.count > 4 * (1 << 16))
        #expect(digest.rows == 3_000)
        #expect(digest.finalize() == SHA256.hash(data: encoding).hexString)
    }
}
