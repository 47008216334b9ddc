/// Writes JSON straight into bytes as it goes, with no tree of values in between: a report of
/// thousands of discrepancies costs one pass over them.
///
/// Objects and arrays are opened, filled and closed in order. The keys of an object must be
/// written in ascending order, so a report always has the same bytes; debug builds check it.
/// Pretty output indents by two spaces and writes `"key" : value`; compact output has no white
/// space. Strings are escaped as RFC 8259 requires (quote, backslash and control characters) and
/// written as UTF-8, slashes included.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    /// Per open container: whether it has a member yet.
    private var hasMembers: [Bool] = []
    #if DEBUG
    /// The last key written in each open object, to check their order.
    private var lastKeys: [String?] = []
    #endif
    private var afterKey = false
    /// Where the bytes are handed on as the items of arrays are written.
    private var stream: ReportStream

    /// - Parameters:
    ///   - destination: Receives the bytes a piece at a time (``ReportStream``) once an item of
    ///     an array is complete; ``finish()`` hands on the rest.
    ///   - keeping: Whether ``bytes`` keeps the bytes handed on; if not, it holds those not yet
    ///     handed on.
    init(pretty: Bool, capacity: Int = 1 << 16, handingOnTo destination: ReportStream.Destination? = nil, keeping: Bool = true) {
        self.pretty = pretty
        stream = ReportStream(to: destination, keeping: keeping)
        bytes.reserveCapacity(capacity)
    }

    /// Hands on the bytes not yet handed on; throws the first error of the destination.
    mutating func finish() throws {
        try stream.finish(&bytes)
    }

    // MARK: Containers

    mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        try container("{", "}", body)
    }

    mutating func array(_ body: (inout JSONWriter) throws -> Void) rethrows {
        try container("[", "]", body)
    }

    private mutating func container(_ open: Unicode.Scalar, _ close: Unicode.Scalar, _ body: (inout JSONWriter) throws -> Void) rethrows {
        beginValue()
        bytes.append(UInt8(ascii: open))
        hasMembers.append(false)
        #if DEBUG
        lastKeys.append(nil)
        #endif
        try body(&self)
        #if DEBUG
        lastKeys.removeLast()
        #endif
        self.close(UInt8(ascii: close))
    }

    /// An array of `items`, each written by `write`.
    mutating func array<Items: Sequence>(_ items: Items, _ write: (inout JSONWriter, Items.Element) throws -> Void) rethrows {
        try array { writer in
            for item in items {
                try write(&writer, item)
                writer.stream.handOn(&writer.bytes)
            }
        }
    }

    /// Starts the member `name` of the open object; its value is written next.
    mutating func key(_ name: String) {
        #if DEBUG
        assert(lastKeys.last.map { $0.map { $0 < name } ?? true } ?? false, "JSON keys out of order: \(name)")
        lastKeys[lastKeys.count - 1] = name
        #endif
        separate()
        appendString(name)
        if pretty { bytes.append(0x20) }
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    // MARK: Values

    mutating func string(_ value: String?) {
        beginValue()
        guard let value else { return appendNull() }
        appendString(value)
    }

    mutating func int(_ value: Int64?) {
        beginValue()
        guard let value else { return appendNull() }
        appendDecimal(value)
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    mutating func bool(_ value: Bool) {
        beginValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        beginValue()
        appendNull()
    }

    // MARK: Members, for short

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Int64?) {
        key(name)
        int(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// An object of counts, keys in order.
    mutating func field(_ name: String, _ counts: [String: Int]) {
        key(name)
        object { writer in
            for (key, value) in counts.sorted(by: { $0.key < $1.key }) { writer.field(key, value) }
        }
    }

    /// An array of strings.
    mutating func field(_ name: String, _ values: [String]) {
        key(name)
        array(values) { $0.string($1) }
    }

    // MARK: Layout

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if !hasMembers.isEmpty { separate() }
    }

    /// The comma before a member (unless it is the first) and, pretty, its line and indentation.
    private mutating func separate() {
        if hasMembers[hasMembers.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMembers[hasMembers.count - 1] = true
        newline(depth: hasMembers.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasMembers.removeLast()
        if had { newline(depth: hasMembers.count) }
        bytes.append(bracket)
    }

    private mutating func newline(depth: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }

    /// Ends the document's last line.
    mutating func endLine() {
        bytes.append(0x0A)
    }

    /// Appends the decimal digits of `value`, with a minus sign when it is negative.
    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so that Int64.min has one too; its 20 digits at most are
        // written from the end of a 24-byte buffer.
        var rest = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    private mutating func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `value` quoted and escaped; the runs of bytes between escapes are copied whole.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            while let index = Self.firstEscaped(in: utf8, from: start) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscaped(utf8[index])
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The first byte from `start` on that must be escaped (a quote, a backslash or a control
    /// character), looked for eight bytes at a time.
    private static func firstEscaped(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        if let base = utf8.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= utf8.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                // A byte below 0x20, or equal to a quote or a backslash, sets the high bit of some
                // byte of one of these; bytes of 0x80 and above are masked out, so UTF-8 never does.
                let control = word &- ones &* 0x20
                let quote = (word ^ (ones &* 0x22)) &- ones
                let backslash = (word ^ (ones &* 0x5C)) &- ones
                if (control | quote | backslash) & ~word & highs != 0 { break }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return nil
    }

    /// The escape of a quote, a backslash or a control character.
    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, byte])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        default:
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
        }
    }
}
