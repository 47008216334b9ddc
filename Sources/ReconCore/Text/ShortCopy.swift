/// Copies a few bytes without a call to `memmove`: a copy of up to 32 bytes is two overlapping
/// loads and stores of the first and last bytes, as wide as the count allows, reading and writing
/// no byte outside the `count` bytes given. Longer copies go to `memmove`.
///
/// Readers copy millions of short fields (numbers, times, amounts), where the call costs more than
/// the copy.
public enum ShortCopy {
    @inlinable @inline(__always)
    public static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        switch count {
        case 16...32:
            let head = source.loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 16, as: SIMD16<UInt8>.self)
            target.storeBytes(of: head, as: SIMD16<UInt8>.self)
            target.storeBytes(of: tail, toByteOffset: count - 16, as: SIMD16<UInt8>.self)
        case 8..<16:
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 1..<4:
            let (head, middle, tail) = (source.load(as: UInt8.self), source.load(fromByteOffset: count >> 1, as: UInt8.self),
                                        source.load(fromByteOffset: count - 1, as: UInt8.self))
            target.storeBytes(of: head, as: UInt8.self)
            target.storeBytes(of: middle, toByteOffset: count >> 1, as: UInt8.self)
            target.storeBytes(of: tail, toByteOffset: count - 1, as: UInt8.self)
        case 0:
            return
        default:
            target.copyMemory(from: source, byteCount: count)
        }
    }
}
