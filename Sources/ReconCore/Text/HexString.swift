extension Sequence<UInt8> {
    /// Lower-case hexadecimal digits, two per byte: how digests are written in reports, the store
    /// and providers' answers.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
