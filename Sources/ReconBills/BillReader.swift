import ReconCore

/// Reads and verifies bill files of the formats it is given, streaming their rows.
///
/// The format is detected from the header names: the first of ``formats`` that matches them. Rows reach the caller one at a time, so a bill
/// of any size is read in bounded memory; the returned ``BillFacts`` say whether the bill can be
/// trusted (well-formed, complete, of the expected merchant and day, and adding up to its summary).
public struct BillReader: Sendable {
    /// The formats it reads, as the providers' plug-ins give them.
    package var formats: [any BillFormatReader]
    /// The time zone each provider prints bill times in.
    public var zones: ProviderZones

    /// Creates a reader of `formats`.
    package init(formats: [any BillFormatReader], zones: ProviderZones = ProviderZones()) {
        self.formats = formats
        self.zones = zones
    }

    /// Reads one bill file.
    /// - Parameters:
    ///   - path: The file to open.
    ///   - displayName: The name to use in messages and reports; the path by default.
    ///   - expectation: The merchant and day the bill must belong to, when known.
    ///   - onEntry: Receives every well-formed payment and refund row.
    /// - Returns: What the bill holds and what is wrong with it.
    /// - Throws: ``BillError`` when the file cannot be read at all or is of an unknown format.
    public func read(
        _ path: String, displayName: String? = nil, expecting expectation: BillExpectation = BillExpectation(),
        onEntry: (BillEntry) -> Void
    ) throws -> BillFacts {
        try read(path, displayName: displayName, expecting: expectation, stopAfterFirstRow: nil, onEntry: onEntry)
    }

    private func read(
        _ path: String, displayName: String?, expecting expectation: BillExpectation = BillExpectation(),
        stopAfterFirstRow stop: StopMarker?, onEntry: (BillEntry) -> Void
    ) throws -> BillFacts {
        let name = displayName ?? path
        return try withoutActuallyEscaping(onEntry) { onEntry in
            let stream = BillByteStream(path: path, displayName: name)
            var pending: [UInt8] = []
            var tokenizer: CSVTokenizer?
            var decoder: (any BillRowDecoder)?

            func start(header bytes: ArraySlice<UInt8>) throws {
                let made = try makeDecoder(header: bytes, file: name, expectation: expectation, onEntry: onEntry)
                var sawHeader = false
                tokenizer = try CSVTokenizer(options: type(of: made).tokenizerOptions, file: name) { row in
                    if sawHeader { made.handle(row) } else { sawHeader = true }
                }
                decoder = made
            }

            let facts = try stream.forEachChunk { chunk in
                if let stop, stop.reached {
                    stop.facts = decoder!.finish(lastLine: tokenizer!.lastLine)
                    throw StopMarker.Reached()
                }
                if let tokenizer { return try tokenizer.feed(chunk) }
                pending.append(contentsOf: chunk)
                guard let newline = pending.firstIndex(of: 0x0A) else {
                    if pending.count > 1 << 20 {
                        throw BillError.unknownFormat(
                            file: name, firstLine: String(decoding: pending.prefix(120), as: UTF8.self),
                            hint: "Its first line is longer than 1 MiB.", readable: formats.map(\.described))
                    }
                    return
                }
                try start(header: pending[..<newline])
                try pending.withUnsafeMutableBytes { try tokenizer!.feed($0) }
                pending = []
            }
            if tokenizer == nil {
                guard !pending.isEmpty else { throw BillError.empty(file: name) }
                try start(header: pending[...])
                try pending.withUnsafeMutableBytes { try tokenizer!.feed($0) }
            }
            try tokenizer!.finish()
            var result = decoder!.finish(lastLine: tokenizer!.lastLine)
            result.storedBytes = facts.storedBytes
            result.sha256 = facts.sha256
            result.wasCompressed = facts.wasCompressed
            result.zipEntry = facts.zipEntry
            result.wasGB18030 = facts.wasGB18030
            return result
        }
    }

    /// Reads just enough of a bill to tell its format, merchant and day: up to its first row, or
    /// the whole bill when it has none.
    public func identify(_ path: String, displayName: String? = nil) throws -> BillFacts {
        let stop = StopMarker()
        do {
            return try read(path, displayName: displayName, stopAfterFirstRow: stop) { _ in stop.reached = true }
        } catch is StopMarker.Reached {
            return stop.facts!
        }
    }

    private final class StopMarker {
        struct Reached: Error {}
        var reached = false
        var facts: BillFacts?
    }

    private func makeDecoder(
        header bytes: ArraySlice<UInt8>, file: String, expectation: BillExpectation,
        onEntry: @escaping (BillEntry) -> Void
    ) throws -> any BillRowDecoder {
        var line = Array(bytes)
        if line.last == 0x0D { line.removeLast() }
        if let carriageReturn = line.firstIndex(of: 0x0D) {
            let endsOnlyInCR = line.filter { $0 == 0x0D }.count > 1
            throw BillError.malformed(
                file: file, line: 1,
                detail: endsOnlyInCR
                    ? "the file's lines end in a carriage return (CR) alone, not LF or CRLF; convert its line ends "
                        + "(for example: tr '\\r' '\\n' < bill.csv > fixed.csv) or download it again"
                    : "byte \(carriageReturn + 1) of the header is a carriage return (CR) inside the line: bill lines end in LF "
                        + "or CRLF only; download the bill again")
        }
        guard let (text, names) = Self.header(bytes) else {
            throw BillError.unknownFormat(
                file: file, firstLine: String(decoding: bytes.prefix(120), as: UTF8.self),
                hint: "Its text is neither UTF-8 nor GB18030 (GBK): it is not a bill, or it is damaged.",
                readable: formats.map(\.described))
        }
        do {
            if let format = formats.first(where: { $0.matches(names) }) {
                return try format.decoder(
                    header: names, file: file, expectation: expectation, zone: zones.zone(for: format.provider), onEntry: onEntry)
            }
            throw BillError.unknownFormat(
                file: file, firstLine: text,
                hint: formats.lazy.compactMap { $0.hint(forUnknownFirstLine: text) }.first)
        } catch BillError.unknownFormat(let file, let firstLine, let hint, _) {
            throw BillError.unknownFormat(file: file, firstLine: firstLine, hint: hint, readable: formats.map(\.described))
        }
    }

    /// The header line (without its line end) as text and as column names, quotes around a
    /// name removed; `nil` when it is not UTF-8.
    static func header(_ bytes: some Collection<UInt8>) -> (text: String, names: [String])? {
        var line = Array(bytes)
        if line.last == 0x0D { line.removeLast() }
        guard let text = String(validating: line, as: UTF8.self) else { return nil }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { field -> String in
            var name = Substring(field)
            if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
            return String(name)
        }
        return (text, names)
    }
}
