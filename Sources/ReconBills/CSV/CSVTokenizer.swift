import CCSV
import Foundation
import ReconCore

/// Splits CSV bytes into rows with libcsv, numbering rows by the physical line they start on.
///
/// Bytes are fed in chunks of any size; each complete row is handed to the row callback as a
/// ``CSVRow`` view that is valid only during the call. Blank lines are skipped but counted.
///
/// Lines are counted by their line feeds alone, so a stray carriage return cannot shift the
/// numbers, and a part of a file read on its own counts the same as the whole file read at once.
/// Bytes no bill holds are refused where they stand, with their line and byte: a NUL anywhere, and
/// without quoting a carriage return that does not end its line. A field longer than
/// ``maxFieldBytes``, a row longer than ``maxRowBytes`` or with more than ``maxFields`` fields is
/// refused as soon as it is seen, without being buffered.
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
///
/// Without quoting, a field is then exactly the bytes between two delimiters: libcsv trims and
/// unquotes nothing. So a row that lies whole in the chunk being parsed is handed on where it
/// lies, its swapped blanks swapped back in place, rather than copied out field by field; a row
/// that a chunk's end cuts is copied, as every row is with quoting.
package final class CSVTokenizer {
    /// How the bytes are quoted.
    package struct Options: Sendable {
        /// `true` for RFC 4180 double quotes; `false` treats `"` as an ordinary character.
        var quoting: Bool
        /// `true` to reject malformed quoting instead of guessing.
        var strict: Bool

        package init(quoting: Bool, strict: Bool) {
            self.quoting = quoting
            self.strict = strict
        }
    }

    /// The longest field a bill may hold: far above any id, name or amount.
    static let maxFieldBytes = 64 << 10
    /// The longest row a bill may hold.
    static let maxRowBytes = 1 << 20
    /// The most fields a row may have.
    static let maxFields = 4_096
    /// How much libcsv grows its field buffer by at a time.
    static let growth = 4_096

    private let parser: UnsafeMutablePointer<csv_parser>
    /// The row being collected, where the C callbacks reach it through the context pointer.
    private let sink: UnsafeMutablePointer<Sink>
    private let file: String
    private let quoting: Bool
    /// The line of the next byte fed, and how many bytes of that line came before it.
    private var byteLine: Int
    private var byteColumn = 0
    /// The last byte fed was a carriage return whose next byte is not yet known.
    private var carriageReturnPending = false
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
        byteLine = firstLine
        // Started before the tokenizer is whole: a class whose initializer throws once every
        // property is set is deinitialized, which would free the parser a second time.
        let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        var flags = UInt8(CSV_REPALL_NL)
        if options.strict { flags |= UInt8(CSV_STRICT) | UInt8(CSV_STRICT_FINI) }
        guard csv_init(parser, flags) == 0 else {
            parser.deallocate()
            throw BillError.corrupt(file: file, reason: "libcsv could not start")
        }
        self.parser = parser
        sink = .allocate(capacity: 1)
        sink.initialize(to: Sink(quoting: options.quoting, onRow: onRow))
        sink.pointee.line = firstLine
        // Without quoting the quote character is NUL, which never reaches libcsv (see `check`).
        if !options.quoting { csv_set_quote(parser, 0) }
        csv_set_realloc_func(parser, boundedRealloc)
        csv_set_blk_size(parser, Self.growth)
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        sink.pointee.deallocateBuffers()
        sink.deinitialize(count: 1)
        sink.deallocate()
    }

    /// The line the next row starts on.
    var line: Int { sink.pointee.line }

    /// The last line that holds a byte of what was fed (the line before the next, when the bytes
    /// end with a line feed).
    var lastLine: Int { byteColumn > 0 ? byteLine : max(1, byteLine - 1) }

    /// Parses a chunk. The chunk's bytes are changed in place (see the type's description).
    /// - Parameter lineFeeds: How many line feeds the chunk holds, when the caller has counted
    ///   them: the chunk is then not searched for them again unless it holds a byte to refuse.
    func feed(_ bytes: UnsafeMutableRawBufferPointer, lineFeeds: Int? = nil) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        try check(UnsafeRawBufferPointer(bytes), lineFeeds: lineFeeds)
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

    /// Refuses the bytes no bill holds, naming their line and byte, and moves the byte position
    /// past the chunk: by `lineFeeds` lines when they were counted, else by the line feeds found.
    private func check(_ bytes: UnsafeRawBufferPointer, lineFeeds: Int?) throws {
        let base = bytes.baseAddress!
        var bad: (offset: Int, detail: String)?
        func note(_ offset: Int, _ detail: String) {
            if bad == nil || offset < bad!.offset { bad = (offset, detail) }
        }
        if let found = memchr(base, 0x00, bytes.count) {
            note(base.distance(to: found), "a NUL byte, which no bill holds: the file is damaged or is not a bill")
        }
        for byte: UInt8 in [0xFE, 0xFF] {
            guard let found = memchr(base, Int32(byte), bytes.count) else { continue }
            note(
                base.distance(to: found),
                "the byte 0x\(String(byte, radix: 16, uppercase: true)), so the file is not UTF-8; bills are UTF-8, "
                    + "and exports from the merchant platform in GBK need 'iconv -f GB18030 -t UTF-8' first")
        }
        if !quoting {
            if carriageReturnPending, bytes[0] != 0x0A { note(-1, Self.strayCarriageReturn) }
            var cursor = base
            let end = base + bytes.count
            while cursor < end, let found = memchr(cursor, 0x0D, end - cursor) {
                let offset = base.distance(to: found)
                if offset + 1 < bytes.count, bytes[offset + 1] != 0x0A { note(offset, Self.strayCarriageReturn) }
                cursor = UnsafeRawPointer(found) + 1
            }
            carriageReturnPending = bytes[bytes.count - 1] == 0x0D
        }
        if bad == nil, let lineFeeds {
            // The next byte's line follows from the count, its column from the chunk's last line feed.
            assert(lineFeeds == bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, "the line feeds counted are the chunk's")
            guard lineFeeds > 0 else { return byteColumn += bytes.count }
            var column = 0
            while column < bytes.count, bytes[bytes.count - 1 - column] != 0x0A { column += 1 }
            (byteLine, byteColumn) = (byteLine + lineFeeds, column)
            return
        }
        let limit = bad.map { max($0.offset, 0) } ?? bytes.count
        var line = byteLine
        var column = byteColumn
        var cursor = base
        let end = base + limit
        while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
            line += 1
            column = 0
            cursor = UnsafeRawPointer(found) + 1
        }
        column += end - cursor
        if let bad {
            // A stray carriage return found at the start of a chunk belongs to the chunk before.
            let at = bad.offset < 0 ? (byteLine, byteColumn) : (line, column + 1)
            throw BillError.malformed(file: file, line: at.0, detail: "byte \(at.1) of the line is \(bad.detail)")
        }
        (byteLine, byteColumn) = (line, column)
    }

    private static let strayCarriageReturn =
        "a carriage return (CR) inside the line: bill lines end in LF or CRLF only, so the file was damaged or "
        + "converted; download it again"

    /// Flushes a last row that has no line end.
    func finish() throws {
        if let held = heldBlank {
            heldBlank = nil
            var byte = Self.swapped(held)
            try parse(&byte, 1)
        }
        let context = UnsafeMutableRawPointer(sink)
        let status = csv_fini(parser, fieldCallback, rowCallback, context)
        if let oversized = sink.pointee.oversized { throw oversizedError(oversized, line: sink.pointee.rowLine) }
        if status != 0 { throw parseError() }
    }

    private func parse(_ base: UnsafeMutableRawPointer, _ count: Int) throws {
        guard count > 0 else { return }
        let context = UnsafeMutableRawPointer(sink)
        if !quoting { sink.pointee.source = base.assumingMemoryBound(to: UInt8.self) }
        let parsed = csv_parse(parser, base, count, fieldCallback, rowCallback, context)
        sink.pointee.leaveSource(count: count)
        if let oversized = sink.pointee.oversized { throw oversizedError(oversized, line: sink.pointee.rowLine) }
        if parsed != count { throw parseError() }
    }

    /// - Parameter line: The line the row starts on; by default the line libcsv is on, which is
    ///   the row's while a field of it is still being collected.
    private func oversizedError(_ what: String, line: Int? = nil) -> BillError {
        .malformed(
            file: file, line: line ?? sink.pointee.line,
            detail: "the row starting here has \(what), more than any bill holds: the file is damaged or is not a bill")
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
        if csv_error(parser) == CSV_ENOMEM, parser.pointee.entry_size + parser.pointee.blk_size > Self.maxFieldBytes {
            return oversizedError("a field longer than \(Self.maxFieldBytes >> 10) KiB")
        }
        let reason = String(cString: csv_strerror(csv_error(parser)))
        return .malformed(file: file, line: sink.pointee.line, detail: "the CSV cannot be parsed here (\(reason)); "
            + "check the quoting of this line")
    }

    /// Collects one row's fields; reached from the C callbacks through the context pointer.
    ///
    /// A value the tokenizer keeps behind a pointer, so that the callbacks reach it with no
    /// reference to count or closure to call. A row is either in place, in the chunk being parsed
    /// (without quoting), or copied into raw buffers that grow by doubling and are reused for
    /// every row.
    struct Sink {
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCount = 0
        var byteCapacity = 4096
        var fieldStarts: UnsafeMutablePointer<Int>
        var fieldCount = 0
        var fieldCapacity = 64
        /// The line the next byte libcsv reports is on: one more than the line feeds reported so far.
        var line = 1
        /// The line the row being collected starts on.
        var rowLine = 1
        /// Set when a row grows past the limits; the tokenizer then stops.
        var oversized: String?
        /// Quoted fields can hold swapped blanks anywhere, and line ends.
        let quoting: Bool
        let onRow: (CSVRow) -> Void
        /// The chunk being parsed without quoting; `nil` between chunks and with quoting.
        var source: UnsafeMutablePointer<UInt8>?
        /// Where in `source` the next field starts: each field reported is followed by one
        /// delimiter or line end, and each row end reported without a field is one line end.
        /// Negative for a field that started in an earlier chunk.
        var cursor = 0
        /// Whether the row being collected lies in `source`, from `rowStart` on; else it is copied.
        var inPlace = false
        var rowStart = 0

        init(quoting: Bool, onRow: @escaping (CSVRow) -> Void) {
            self.quoting = quoting
            self.onRow = onRow
            bytes = .allocate(capacity: byteCapacity)
            fieldStarts = .allocate(capacity: fieldCapacity)
        }

        func deallocateBuffers() {
            bytes.deallocate()
            fieldStarts.deallocate()
        }

        @inline(__always)
        mutating func addField(_ pointer: UnsafeMutableRawPointer?, _ count: Int) {
            guard oversized == nil else { return }
            let start = cursor
            // Positions within a chunk, which is far smaller than `Int.max`: no overflow to check.
            cursor &+= count &+ 1
            if fieldCount == 0 {
                rowLine = line
                inPlace = source != nil && start >= 0
                rowStart = start
            }
            // Nearly every field is of a row that lies in the chunk, within the limits and with
            // room for its start: that case alone is here, in a few instructions, so that the
            // callback libcsv makes for each field stays small; the others are taken apart. The
            // room for starts never exceeds ``CSVTokenizer/maxFields``, so the row's field count
            // is within the limit when there is room.
            guard inPlace, fieldCount < fieldCapacity, cursor &- rowStart <= CSVTokenizer.maxRowBytes else {
                return addFieldApart(pointer, count, start: start)
            }
            addInPlace(pointer, count, start: start)
        }

        /// Whether one more field, in a row of `rowBytes` bytes with it, stays within the limits.
        @inline(__always)
        private func fits(rowBytes: Int) -> Bool {
            fieldCount < CSVTokenizer.maxFields && rowBytes <= CSVTokenizer.maxRowBytes
        }

        /// Notes where a field of a row that lies in the chunk starts, and restores its edge bytes.
        @inline(__always)
        private mutating func addInPlace(_ pointer: UnsafeMutableRawPointer?, _ count: Int, start: Int) {
            fieldStarts[fieldCount] = start &- rowStart
            fieldCount += 1
            guard count > 0 else { return }
            // In place only while a chunk is parsed, when `source` is set.
            let field = source.unsafelyUnwrapped + start
            assert(memcmp(field, pointer!, count) == 0, "libcsv's field is not the bytes between its delimiters")
            // Only an edge byte can be a swapped blank (see `CSVTokenizer`).
            let (first, last) = (field[0], field[count - 1])
            if first >= 0xFE { field[0] = CSVTokenizer.original(first) }
            if last >= 0xFE { field[count - 1] = CSVTokenizer.original(last) }
        }

        /// ``addField(_:_:)`` for a field past the limits, one that needs more room for the
        /// row's field starts, or one of a row copied out of an earlier chunk; `start` is where
        /// the field starts in the chunk.
        @inline(never)
        private mutating func addFieldApart(_ pointer: UnsafeMutableRawPointer?, _ count: Int, start: Int) {
            guard fits(rowBytes: inPlace ? cursor - rowStart : byteCount + count + 1) else {
                oversized = fieldCount >= CSVTokenizer.maxFields
                    ? "more than \(CSVTokenizer.maxFields) fields" : "more than \(CSVTokenizer.maxRowBytes >> 20) MiB"
                return
            }
            if fieldCount == fieldCapacity {
                let larger = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity * 2)
                larger.update(from: fieldStarts, count: fieldCount)
                fieldStarts.deallocate()
                fieldStarts = larger
                fieldCapacity *= 2
                assert(fieldCapacity <= CSVTokenizer.maxFields, "the room for starts stays within the fields a row may have")
            }
            if inPlace { return addInPlace(pointer, count, start: start) }
            fieldStarts[fieldCount] = byteCount
            fieldCount += 1
            reserve(count + 1)
            if let pointer, count > 0 {
                let source = pointer.assumingMemoryBound(to: UInt8.self)
                let target = bytes + byteCount
                // Undo the swap made in `feed`: 0xFE was a space, 0xFF a tab.
                if quoting {
                    for offset in 0..<count { target[offset] = CSVTokenizer.original(source[offset]) }
                    for offset in 0..<count where source[offset] == 0x0A { line += 1 }
                } else {
                    ShortCopy.copy(source, to: target, count: count)
                    // Only an edge byte can be a swapped blank. It is read from the source:
                    // reading it back from the copy would wait for the copy's stores to land.
                    let (first, last) = (source[0], source[count - 1])
                    if first >= 0xFE { target[0] = CSVTokenizer.original(first) }
                    if last >= 0xFE { target[count - 1] = CSVTokenizer.original(last) }
                }
                byteCount += count
            }
            bytes[byteCount] = 0x2C
            byteCount += 1
        }

        /// Makes room for `count` more bytes of a copied row.
        private mutating func reserve(_ count: Int) {
            guard byteCount + count > byteCapacity else { return }
            var capacity = byteCapacity * 2
            while byteCount + count > capacity { capacity *= 2 }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            larger.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = larger
            byteCapacity = capacity
        }

        mutating func endRow(_ terminator: Int32) {
            guard oversized == nil else { return }
            if fieldCount > 0 {
                // In place, the row ends with its line end where a copied row ends with a comma.
                let buffer = inPlace
                    ? UnsafeBufferPointer(start: source! + rowStart, count: cursor - rowStart)
                    : UnsafeBufferPointer(start: bytes, count: byteCount)
                onRow(CSVRow(line: rowLine, buffer: buffer, starts: UnsafeBufferPointer(start: fieldStarts, count: fieldCount)))
                byteCount = 0
                fieldCount = 0
            } else {
                cursor += 1
            }
            // Only a line feed starts a new line: the CR of a CRLF pair ends the row, and its LF
            // then comes as a bare line end.
            if terminator == 0x0A { line += 1 }
        }

        /// Called once libcsv has parsed the `count` bytes of `source`: the fields of a row the
        /// chunk's end cut are copied before the chunk goes, and the cursor is moved to the next chunk.
        mutating func leaveSource(count: Int) {
            if inPlace, fieldCount > 0, oversized == nil {
                let length = cursor - rowStart
                reserve(length)
                bytes.update(from: source! + rowStart, count: length)
                byteCount = length
                inPlace = false
            }
            source = nil
            cursor -= count
        }
    }
}

/// One row of a CSV file: its fields as byte ranges. Valid only inside the row callback.
///
/// Public rather than `package`, as are the per-row counters of ``ColumnSums`` and ``RowTally``:
/// the compiler inlines `@inlinable` members into the providers' decoders only when they are public.
public struct CSVRow {
    /// The line the row starts on (1-based).
    public let line: Int
    /// The fields' bytes, each followed by one byte: a `,`, or the line end after the last field.
    public let buffer: UnsafeBufferPointer<UInt8>
    /// Where each field starts in `buffer`.
    public let starts: UnsafeBufferPointer<Int>

    /// The number of fields.
    @inlinable public var count: Int { starts.count }

    /// The bytes of field `index`.
    @inlinable public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[index]
        let end = index + 1 < starts.count ? starts[index + 1] - 1 : buffer.count - 1
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// The bytes from the start of field `first` to the end of field `last`, commas included:
    /// the original text of fields that a stray comma split.
    @inlinable public func span(_ first: Int, through last: Int) -> UnsafeBufferPointer<UInt8> {
        let start = starts[first]
        let end = last + 1 < starts.count ? starts[last + 1] - 1 : buffer.count - 1
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// Field `index` as a string.
    @inlinable public func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// `true` when field `index` starts with `byte`, which is neither a comma nor a line end; an
    /// empty field starts with none.
    @inlinable public func field(_ index: Int, startsWith byte: UInt8) -> Bool {
        // Each field is followed by a comma or a line end, which shows where an empty field's first byte would be.
        buffer[starts[index]] == byte
    }
}

/// libcsv's buffer growth, refused past the longest field a bill may hold so that an oversized
/// field is never buffered.
private func boundedRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    size > CSVTokenizer.maxFieldBytes + CSVTokenizer.growth ? nil : realloc(pointer, size)
}

// The tokenizer keeps its sink for the whole parse, and hands libcsv a pointer to it, which is
// never nil. Each callback is inlined into the C entry point libcsv calls, rather than called from it.
@inline(__always)
private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    context.unsafelyUnwrapped.assumingMemoryBound(to: CSVTokenizer.Sink.self).pointee.addField(field, count)
}

@inline(__always)
private func rowCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    context.unsafelyUnwrapped.assumingMemoryBound(to: CSVTokenizer.Sink.self).pointee.endRow(terminator)
}
