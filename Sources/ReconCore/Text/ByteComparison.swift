extension UnsafeBufferPointer<UInt8> {
    /// `true` when the bytes are exactly the UTF-8 of `text`. Readers compare the raw bytes of
    /// millions of fields against a few fixed words; this avoids walking a string's UTF-8 view.
    @inlinable
    public func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && Self.sameBytes(self, text.utf8Start)
    }

    /// `true` when the bytes are exactly `other`.
    @inlinable
    public func equals(_ other: [UInt8]) -> Bool {
        count == other.count && other.withUnsafeBufferPointer { count == 0 || Self.sameBytes(self, $0.baseAddress!) }
    }

    /// `true` when the bytes are exactly `other`'s.
    @inlinable
    public func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        count == other.count && (count == 0 || Self.sameBytes(self, other.baseAddress!))
    }

    /// `true` when every byte is ASCII (below 0x80), so the bytes read the same as any text encoding's.
    /// The bytes are OR-ed together without stopping early, a loop the compiler vectorises.
    @inlinable
    public var isASCII: Bool {
        var bits: UInt8 = 0
        for byte in self { bits |= byte }
        return bits < 0x80
    }

    @inlinable
    static func sameBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ other: UnsafePointer<UInt8>) -> Bool {
        for index in bytes.indices where bytes[index] != other[index] { return false }
        return true
    }
}

extension String {
    /// `true` when the string's UTF-8 is exactly `bytes`, compared without copying the string.
    @inlinable
    public func hasUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.equals(bytes) } ?? utf8.elementsEqual(bytes)
    }
}
