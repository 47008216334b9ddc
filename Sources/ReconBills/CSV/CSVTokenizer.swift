import CCSV
import Foundation

/// Splits CSV bytes into rows with libcsv, numbering rows by the physical line they start on.
///
/// Bytes are fed in chunks of any size; each complete row is handed to the row callback as a
/// ``CSVRow`` view that is valid only during the call. Blank lines are skipped but counted.
///
/// Fields come back byte for byte. libcsv would drop the spaces and tabs at the start and end of
/// an unquoted field, so those blanks are first swapped for 0xFE and 0xFF, bytes that valid UTF-8
/// never contains, and swapped back as fields are copied out. This keeps libcsv's fast built-in
/// space test instead of a callback for every byte. A chunk holding 0xFE or 0xFF is not UTF-8
/// and is refused.
///
/// Without quoting, only a blank next to a comma or a line end is swapped: it shields the blanks
/// behind it, and it ends up as the first or last byte of its field, so only those two bytes are
/// checked when the field is copied out. A chunk's last byte is held back until the next byte is
/// known. With quoting, a blank next to a quoted comma would land inside a field, so every blank
/// is swapped and every byte checked.
final class CSVTokenizer {
    /// How the bytes are quoted.
    struct Options {
        /// `true` for RFC 4180 double quotes; `false` treats `"` as an ordinary character.
        var quoting: Bool
        /// `true` to reject malformed quoting instead of guessing.
        var strict: Bool
    }

    private let parser: UnsafeMutablePointer<csv_parser>
    private let sink: Sink
    private let file: String
    private let quoting: Bool
    /// The byte before the next one fed (a line end at the start), to tell whether a blank
    /// follows a comma or line end.
    private var previous: UInt8 = 0x0A
    /// A chunk's last byte, when it is a blank whose next byte is not yet known.
    private var heldBlank: UInt8?

    /// Creates a tokenizer.
    /// - Parameters:
    ///   - options: Quoting rules.
    ///   - file: The file name, for messages.
    ///   - onRow: Called with every non-blank row.
    ///   - firstLine: The line number of the first byte fed, when the bytes start mid-file.
    init(options: Options, file: String, firstLine: Int = 1, onRow: @escaping (CSVRow) -> Void) throws {
        self.file = file
        quoting = options.quoting
        sink = Sink(quoting: options.quoting, onRow: onRow)
        sink.line = firstLine
        parser = .allocate(capacity: 1)
        var flags = UInt8(CSV_REPALL_NL)
        if options.strict { flags |= UInt8(CSV_STRICT) | UInt8(CSV_STRICT_FINI) }
        guard csv_init(parser, flags) == 0 else {
            parser.deallocate()
            throw BillError.corrupt(file: file, reason: "libcsv could not start")
        }
        if !options.quoting { csv_set_quote(parser, 0) }
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    /// The line the next row starts on.
    var line: Int { sink.line }

    /// Parses a chunk. The chunk's bytes are changed in place (see the type's description).
    func feed(_ bytes: UnsafeMutableRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if let bad = memchr(base, 0xFE, bytes.count) ?? memchr(base, 0xFF, bytes.count) {
            let offset = base.distance(to: bad)
            let line = sink.line + UnsafeRawBufferPointer(rebasing: bytes[..<offset]).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw BillError.malformed(
                file: file, line: line,
                detail: "the file is not UTF-8 (it holds the byte 0x\(String(bytes[offset], radix: 16, uppercase: true))); "
                    + "bills are UTF-8, and exports from the merchant platform in GBK need 'iconv -f GB18030 -t UTF-8' first")
        }
        let pointer = base.assumingMemoryBound(to: UInt8.self)
        if quoting {
            for index in 0..<bytes.count {
                let byte = pointer[index]
                pointer[index] = byte == 0x20 ? 0xFE : (byte == 0x09 ? 0xFF : byte)
            }
            try parse(base, bytes.count)
            return
        }
        if let held = heldBlank {
            heldBlank = nil
            var byte = Self.isEdge(previous) || Self.isEdge(pointer[0]) ? Self.swapped(held) : held
            previous = held
            try parse(&byte, 1)
        }
        Self.swapEdgeBlanks(pointer, count: bytes.count, previous: previous)
        var count = bytes.count
        let last = pointer[count - 1]
        if last == 0x20 || last == 0x09 {
            heldBlank = last
            count -= 1
        }
        previous = count > 0 ? Self.original(pointer[count - 1]) : previous
        try parse(base, count)
    }

    /// Flushes a last row that has no line end.
    func finish() throws {
        if let held = heldBlank {
            heldBlank = nil
            var byte = Self.swapped(held)
            try parse(&byte, 1)
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        if csv_fini(parser, fieldCallback, rowCallback, context) != 0 { throw parseError() }
    }

    private func parse(_ base: UnsafeRawPointer, _ count: Int) throws {
        guard count > 0 else { return }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        if csv_parse(parser, base, count, fieldCallback, rowCallback, context) != count { throw parseError() }
    }

    /// Swaps each blank next to a comma or line end, except a last byte (whose next byte is unknown).
    private static func swapEdgeBlanks(_ pointer: UnsafeMutablePointer<UInt8>, count: Int, previous: UInt8) {
        for blank: UInt8 in [0x20, 0x09] {
            var cursor = UnsafeMutableRawPointer(pointer)
            let end = UnsafeMutableRawPointer(pointer + count)
            while cursor < end, let found = memchr(cursor, Int32(blank), end - cursor) {
                let index = pointer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                cursor = found + 1
                guard index + 1 < count else { break }
                let before = index == 0 ? previous : original(pointer[index - 1])
                if isEdge(before) || isEdge(pointer[index + 1]) { pointer[index] = swapped(blank) }
            }
        }
    }

    /// A comma or a line end: what libcsv trims blanks against.
    @inline(__always)
    private static func isEdge(_ byte: UInt8) -> Bool { byte == 0x2C || byte == 0x0A || byte == 0x0D }

    @inline(__always)
    private static func swapped(_ blank: UInt8) -> UInt8 { blank == 0x20 ? 0xFE : 0xFF }

    @inline(__always)
    fileprivate static func original(_ byte: UInt8) -> UInt8 { byte == 0xFE ? 0x20 : (byte == 0xFF ? 0x09 : byte) }

    private func parseError() -> BillError {
        let reason = String(cString: csv_strerror(csv_error(parser)))
        return .malformed(file: file, line: sink.line, detail: "the CSV cannot be parsed here (\(reason)); "
            + "check the quoting of this line")
    }

    /// Collects one row's fields; reached from the C callbacks through the context pointer.
    ///
    /// One parser owns a sink and calls it from one thread, so its properties need no runtime
    /// exclusivity checks. The row's bytes and field offsets live in raw buffers that grow by
    /// doubling and are reused for every row.
    final class Sink {
        @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) var byteCount = 0
        @exclusivity(unchecked) var byteCapacity = 4096
        @exclusivity(unchecked) var fieldStarts: UnsafeMutablePointer<Int>
        @exclusivity(unchecked) var fieldCount = 0
        @exclusivity(unchecked) var fieldCapacity = 64
        @exclusivity(unchecked) var line = 1
        @exclusivity(unchecked) var afterCarriageReturn = false
        @exclusivity(unchecked) var newlinesInFields = 0
        /// Quoted fields can hold swapped blanks anywhere, and line ends.
        let quoting: Bool
        let onRow: (CSVRow) -> Void

        init(quoting: Bool, onRow: @escaping (CSVRow) -> Void) {
            self.quoting = quoting
            self.onRow = onRow
            bytes = .allocate(capacity: byteCapacity)
            fieldStarts = .allocate(capacity: fieldCapacity)
        }

        deinit {
            bytes.deallocate()
            fieldStarts.deallocate()
        }

        func addField(_ pointer: UnsafeMutableRawPointer?, _ count: Int) {
            afterCarriageReturn = false
            if fieldCount == fieldCapacity {
                let larger = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity * 2)
                larger.update(from: fieldStarts, count: fieldCount)
                fieldStarts.deallocate()
                fieldStarts = larger
                fieldCapacity *= 2
            }
            fieldStarts[fieldCount] = byteCount
            fieldCount += 1
            if byteCount + count + 1 > byteCapacity {
                var capacity = byteCapacity * 2
                while byteCount + count + 1 > capacity { capacity *= 2 }
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                larger.update(from: bytes, count: byteCount)
                bytes.deallocate()
                bytes = larger
                byteCapacity = capacity
            }
            if let pointer, count > 0 {
                let source = pointer.assumingMemoryBound(to: UInt8.self)
                let target = bytes + byteCount
                // Undo the swap made in `feed`: 0xFE was a space, 0xFF a tab.
                if quoting {
                    for offset in 0..<count { target[offset] = CSVTokenizer.original(source[offset]) }
                    for offset in 0..<count where source[offset] == 0x0A { newlinesInFields += 1 }
                } else {
                    target.update(from: source, count: count)
                    target[0] = CSVTokenizer.original(target[0])
                    target[count - 1] = CSVTokenizer.original(target[count - 1])
                }
                byteCount += count
            }
            bytes[byteCount] = 0x2C
            byteCount += 1
        }

        func endRow(_ terminator: Int32) {
            if fieldCount == 0 {
                // A bare line end: a blank line, or the LF of a CRLF pair.
                if terminator == 0x0A, afterCarriageReturn {
                    afterCarriageReturn = false
                } else if terminator == 0x0A || terminator == 0x0D {
                    line += 1
                    afterCarriageReturn = terminator == 0x0D
                }
                return
            }
            onRow(
                CSVRow(
                    line: line, buffer: UnsafeBufferPointer(start: bytes, count: byteCount),
                    starts: UnsafeBufferPointer(start: fieldStarts, count: fieldCount)))
            byteCount = 0
            fieldCount = 0
            line += 1 + newlinesInFields
            newlinesInFields = 0
            afterCarriageReturn = terminator == 0x0D
        }
    }
}

/// One row of a CSV file: its fields as byte ranges. Valid only inside the row callback.
struct CSVRow {
    /// The line the row starts on (1-based).
    let line: Int
    /// The fields' bytes, each followed by a `,`.
    let buffer: UnsafeBufferPointer<UInt8>
    /// Where each field starts in `buffer`.
    let starts: UnsafeBufferPointer<Int>

    /// The number of fields.
    var count: Int { starts.count }

    /// The bytes of field `index`.
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[index]
        let end = index + 1 < starts.count ? starts[index + 1] - 1 : buffer.count - 1
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// The bytes from the start of field `first` to the end of field `last`, commas included:
    /// the original text of fields that a stray comma split.
    func span(_ first: Int, through last: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[first]
        let end = last + 1 < starts.count ? starts[last + 1] - 1 : buffer.count - 1
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// Field `index` as a string.
    func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// `true` when field `index` starts with `byte`; an empty field starts with none.
    func field(_ index: Int, startsWith byte: UInt8) -> Bool {
        // Each field is followed by a comma, so an empty field shows a comma where its first byte would be.
        buffer[starts[index]] == byte
    }
}

// The tokenizer keeps its sink alive for the whole parse, so the callbacks borrow it without
// retaining and releasing it for every one of the millions of fields.
private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVTokenizer.Sink>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.addField(field, count) }
}

private func rowCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVTokenizer.Sink>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRow(terminator) }
}
