import Foundation
import ReconCore

/// Writes JSON straight into bytes as it goes, with no tree of values in between: a report of
/// thousands of discrepancies costs one pass over them.
///
/// Objects and arrays are opened, filled and closed in order. The keys of an object must be
/// written in ascending order, so a report always has the same bytes; debug builds check it.
/// Pretty output indents by two spaces and writes `"key" : value`; compact output has no white
/// space. Strings are escaped as RFC 8259 requires (quote, backslash and control characters) and
/// written as UTF-8, slashes included.
struct JSONWriter: ~Copyable {
    private var buffer = ColumnBuffer<UInt8>()
    private let pretty: Bool
    /// How many containers are open, and for each whether it has a member yet: the bit
    /// `depth - 1` stands for the innermost. Reports nest a few levels; 64 is the most there can be.
    private var depth = 0
    private var hasMembers: UInt64 = 0
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
        buffer.reserveCapacity(capacity)
    }

    /// A copy of the bytes the writer holds (with `keeping`, every byte written).
    var data: Data { buffer.data }

    /// The bytes the writer holds, as text.
    var text: String { buffer.text }

    /// How many bytes the writer holds.
    var heldBytes: Int { buffer.count }

    /// Hands on the bytes not yet handed on; throws the first error of the destination.
    mutating func finish() throws {
        try stream.finish(&buffer)
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
        buffer.append(UInt8(ascii: open))
        precondition(depth < 64, "JSON nested more than 64 levels deep")
        depth += 1
        hasMembers &= ~(1 << (depth - 1))
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
                writer.stream.handOn(&writer.buffer)
            }
        }
    }

    /// Starts the member `name` of the open object; its value is written next. A name written
    /// in the program needs no escape (debug builds check it), so its bytes are copied as they are.
    /// The separator, the quoted name and what follows a key are written in one piece, with one
    /// check for room: a report writes hundreds of thousands of keys.
    mutating func key(_ name: StaticString) {
        #if DEBUG
        let text = name.description
        assert(text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }, "JSON key \(text) needs escapes")
        checkOrder(text)
        #endif
        let separator = beginMember()
        let pretty = pretty
        name.withUTF8Buffer { name in
            buffer.append(atMost: separator.room + name.count + 2 + Self.keyEndRoom) { text in
                var written = separator.write(into: text)
                text[written] = UInt8(ascii: "\"")
                if let start = name.baseAddress {
                    ShortCopy.copy(UnsafeRawPointer(start), to: UnsafeMutableRawPointer(text + written + 1), count: name.count)
                }
                written += name.count + 1
                text[written] = UInt8(ascii: "\"")
                written += 1
                return written + Self.writeKeyEnd(pretty: pretty, into: text + written)
            }
        }
        afterKey = true
    }

    /// Starts the member `name` of the open object, a name taken from data (escaped as a string is).
    mutating func key(named name: String) {
        #if DEBUG
        checkOrder(name)
        #endif
        separate()
        appendString(name)
        endKey()
    }

    /// What follows a key: ` : ` pretty, `:` compact; the member's value comes next.
    private mutating func endKey() {
        let pretty = pretty
        buffer.append(atMost: Self.keyEndRoom) { Self.writeKeyEnd(pretty: pretty, into: $0) }
        afterKey = true
    }

    /// The most bytes ``writeKeyEnd(pretty:into:)`` writes.
    private static let keyEndRoom = 3

    /// Writes what follows a key into `text`; returns how many bytes it wrote.
    @inline(__always)
    private static func writeKeyEnd(pretty: Bool, into text: UnsafeMutablePointer<UInt8>) -> Int {
        guard pretty else {
            text[0] = UInt8(ascii: ":")
            return 1
        }
        (text[0], text[1], text[2]) = (0x20, UInt8(ascii: ":"), 0x20)
        return 3
    }

    #if DEBUG
    private mutating func checkOrder(_ name: String) {
        assert(lastKeys.last.map { $0.map { $0 < name } ?? true } ?? false, "JSON keys out of order: \(name)")
        lastKeys[lastKeys.count - 1] = name
    }
    #endif

    // MARK: Values

    mutating func string(_ value: String?) {
        beginValue()
        guard let value else { return appendNull() }
        appendString(value)
    }

    mutating func int(_ value: Int64?) {
        beginValue()
        guard let value else { return appendNull() }
        buffer.append(decimal: value)
    }

    mutating func int(_ value: Int) { int(Int64(value)) }

    mutating func bool(_ value: Bool) {
        beginValue()
        buffer.append(value ? "true" : "false")
    }

    mutating func null() {
        beginValue()
        appendNull()
    }

    // MARK: Members, for short

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int64?) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// An object of counts, keys in order.
    mutating func field(_ name: StaticString, _ counts: [String: Int]) {
        key(name)
        object { writer in
            for (key, value) in counts.sorted(by: { $0.key < $1.key }) {
                writer.key(named: key)
                writer.int(value)
            }
        }
    }

    /// An array of strings.
    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        array(values) { $0.string($1) }
    }

    // MARK: Layout

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if depth > 0 { separate() }
    }

    /// The comma before a member (unless it is the first) and, pretty, its line and indentation.
    private mutating func separate() {
        let separator = beginMember()
        buffer.append(atMost: separator.room) { separator.write(into: $0) }
    }

    /// Records that the innermost container has a member from now on; returns what goes before
    /// the member.
    @inline(__always)
    private mutating func beginMember() -> Separator {
        let innermost: UInt64 = 1 << (depth - 1)
        defer { hasMembers |= innermost }
        return Separator(comma: hasMembers & innermost != 0, indent: pretty ? depth * 2 : nil)
    }

    /// What goes before a member, or a closing bracket: a comma before a member that is not the
    /// first, and, pretty, a line feed and the indentation of the line.
    private struct Separator {
        let comma: Bool
        /// The spaces of the member's line, `nil` when compact.
        let indent: Int?

        /// The room ``write(into:)`` needs: the comma, and, pretty, the line feed and at least 16
        /// spaces, as up to 16 are written in one store of 16.
        var room: Int { 1 + (indent.map { 1 + max($0, 16) } ?? 0) }

        /// Writes the separator into `text`; returns how many bytes it wrote.
        @inline(__always)
        func write(into text: UnsafeMutablePointer<UInt8>) -> Int {
            var written = 0
            if comma {
                text[0] = UInt8(ascii: ",")
                written = 1
            }
            guard let indent else { return written }
            text[written] = 0x0A
            if indent <= 16 {
                UnsafeMutableRawPointer(text + written + 1).storeBytes(of: SIMD16<UInt8>(repeating: 0x20), as: SIMD16<UInt8>.self)
            } else {
                (text + written + 1).update(repeating: 0x20, count: indent)
            }
            return written + 1 + indent
        }
    }

    /// Closes the innermost container, on a line of its own (pretty) when it has members.
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if hasMembers & (1 << depth) != 0 {
            let line = Separator(comma: false, indent: pretty ? depth * 2 : nil)
            buffer.append(atMost: line.room) { line.write(into: $0) }
        }
        buffer.append(bracket)
    }

    /// Ends the document's last line.
    mutating func endLine() {
        buffer.append(0x0A)
    }

    private mutating func appendNull() {
        buffer.append("null")
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `value` quoted and escaped; the runs of bytes between escapes are copied whole.
    private mutating func appendString(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            while let index = Self.firstEscaped(in: utf8, from: start) {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscaped(utf8[index])
                start = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        buffer.append(UInt8(ascii: "\""))
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
        buffer.append(0x5C)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            for escaped in [UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]] { buffer.append(escaped) }
        }
    }
}
