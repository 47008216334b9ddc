/// Short, deterministic ids derived from the parts that identify a record.
public enum StableID {
    /// 16 lower-case hex digits of the 64-bit FNV-1a hash of the parts, joined by a separator
    /// that cannot occur in them.
    public static func make(_ parts: [String]) -> String {
        text(hash(parts))
    }

    /// The 64-bit FNV-1a hash of the parts, joined by a separator that cannot occur in them.
    static func hash(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 {
                hash ^= 0x1F
                hash = hash &* 0x0000_0100_0000_01B3
            }
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    /// The hash whose ``text(_:)`` `text` is: exactly 16 lower-case hex digits; `nil` for any
    /// other text, which no hash has.
    public static func hash(ofText text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard text.count == 16 else { return nil }
        var hash: UInt64 = 0
        for byte in text {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            hash = hash << 4 | UInt64(nibble)
        }
        return hash
    }

    /// A hash as 16 lower-case hex digits.
    static func text(_ hash: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: hash >> (60 - 4 * index)) & 0xF
                buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            return 16
        }
    }
}
