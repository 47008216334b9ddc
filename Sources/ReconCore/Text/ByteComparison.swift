extension UnsafeBufferPointer<UInt8> {
    /// `true` when the bytes are exactly the UTF-8 of `text`. Readers compare the raw bytes of
    /// millions of fields against a few fixed words; this avoids walking a string's UTF-8 view.
    public func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount
            && elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `true` when the bytes are exactly `other`.
    public func equals(_ other: [UInt8]) -> Bool {
        count == other.count && other.withUnsafeBufferPointer { elementsEqual($0) }
    }
}
