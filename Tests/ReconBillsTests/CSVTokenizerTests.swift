@testable import ReconBills
import ReconTestSupport
import Testing

@Suite("The libcsv tokenizer")
struct CSVTokenizerTests {
    /// Tokenizes `text` fed in chunks of `chunk` bytes; returns (line, fields) per row.
    func rows(_ text: String, quoting: Bool = false, chunk: Int) throws -> [(Int, [String])] {
        var rows: [(Int, [String])] = []
        let tokenizer = try CSVTokenizer(options: .init(quoting: quoting, strict: quoting), file: "t.csv") { row in
            rows.append((row.line, (0..<row.count).map(row.string)))
        }
        var bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            try bytes.withUnsafeMutableBytes { try tokenizer.feed(UnsafeMutableRawBufferPointer(rebasing: $0[start..<end])) }
            start = end
        }
        try tokenizer.finish()
        return rows
    }

    @Test("spaces and tabs around fields are kept, whatever the chunk size", arguments: [1, 2, 3, 7, 1000])
    func keepsSpaces(chunk: Int) throws {
        let parsed = try rows("` lead,trail ,\tboth\t , ,\r\n`x y,`\r\n", chunk: chunk)
        #expect(parsed.map(\.0) == [1, 2])
        #expect(parsed[0].1 == ["` lead", "trail ", "\tboth\t ", " ", ""])
        #expect(parsed[1].1 == ["`x y", "`"])
    }

    @Test("a space or tab anywhere in a field of any length comes back in place", arguments: [" ", "\t"])
    func spacesAnywhere(blank: String) throws {
        var fields: [String] = []
        for length in 1...20 {
            for position in 0..<length {
                var characters = [String](repeating: "é", count: length)
                characters[position] = blank
                fields.append("`" + characters.joined())
            }
        }
        let parsed = try rows(fields.joined(separator: ",") + "\n", chunk: 1000)
        #expect(parsed.count == 1)
        #expect(parsed.first?.1 == fields)
    }

    @Test("a field of every length up to 40 bytes comes back byte for byte, each byte in its place")
    func everyLength() throws {
        // Distinct bytes at every position, so a byte copied to the wrong place or left out shows.
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN")
        let fields = (1...40).map { String(letters.prefix($0)) }
        let parsed = try rows(fields.joined(separator: ",") + "\n" + fields.reversed().joined(separator: ",") + "\n", chunk: 4096)
        #expect(parsed.map(\.1) == [fields, fields.reversed()])
    }

    @Test(
        "unquoted rows come back exactly as split at commas and line ends, whatever the chunk size",
        arguments: [1, 2, 3, 4, 5, 8, 13, 64, 4096])
    func unquotedMatchesSplit(chunk: Int) throws {
        // Fields built from blanks, letters and a multi-byte character, so blanks fall at the
        // start, middle and end of fields and rows, and on every side of a chunk's edge.
        let alphabet = [" ", "\t", "a", "é", "`"]
        var generator = SplitMix64(seed: 20_261_120)
        var lines: [String] = []
        for _ in 0..<300 {
            let fields = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                (0..<Int.random(in: 0...5, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                    .joined()
            }
            lines.append(fields.joined(separator: ","))
        }
        let ends = lines.indices.map { $0 % 3 == 0 ? "\r\n" : "\n" }
        let text = zip(lines, ends).map { $0 + $1 }.joined()
        let expected = lines.filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let parsed = try rows(text, chunk: chunk)
        #expect(parsed.map(\.1) == expected)
        // The same without a line end after the last row.
        let unterminated = try rows(lines.joined(separator: "\n"), chunk: chunk)
        #expect(unterminated.map(\.1) == expected)
    }

    @Test("line numbers count CRLF, LF, blank lines and newlines inside quotes", arguments: [1, 5, 1000])
    func lineNumbers(chunk: Int) throws {
        let parsed = try rows("a,b\r\n\r\nc\n\"multi\nline\",d\ne", quoting: true, chunk: chunk)
        #expect(parsed.map(\.0) == [1, 3, 4, 6])
        #expect(parsed[2].1 == ["multi\nline", "d"])
        #expect(parsed[3].1 == ["e"])
    }

    @Test("quoted fields keep their spaces and doubled quotes")
    func quoted() throws {
        let parsed = try rows("\" a, b \",\"say \"\"hi\"\"\"\n", quoting: true, chunk: 4)
        #expect(parsed[0].1 == [" a, b ", "say \"hi\""])
    }

    @Test(
        "line feeds counted by the caller number the rows, the last line and a refused byte as the tokenizer's own count does",
        arguments: [
            "a,b\nc,d\n", "a,b\r\n\r\nc, d \ne", "one line, no end", "a,b\nc,\u{0}d\ne\n", "a\nb\r\nx\ry\n", "a,b\n ",
        ])
    func countedLineFeeds(text: String) {
        func read(counted: Bool) -> (rows: [String], lastLine: Int?, failure: String?) {
            var rows: [String] = []
            do {
                let tokenizer = try CSVTokenizer(options: .init(quoting: false, strict: false), file: "t.csv", firstLine: 5) { row in
                    rows.append("\(row.line): " + (0..<row.count).map(row.string).joined(separator: "|"))
                }
                var bytes = Array(text.utf8)
                let lineFeeds = bytes.filter { $0 == 0x0A }.count
                try bytes.withUnsafeMutableBytes { try tokenizer.feed($0, lineFeeds: counted ? lineFeeds : nil) }
                try tokenizer.finish()
                return (rows, tokenizer.lastLine, nil)
            } catch {
                return (rows, nil, "\(error)")
            }
        }
        let counted = read(counted: true)
        let found = read(counted: false)
        #expect(counted.rows == found.rows)
        #expect(counted.lastLine == found.lastLine)
        #expect(counted.failure == found.failure)
    }

    @Test("a byte that UTF-8 never holds is refused with its line")
    func notUTF8() throws {
        let tokenizer = try CSVTokenizer(options: .init(quoting: false, strict: false), file: "t.csv") { _ in }
        var bytes: [UInt8] = Array("a,b\nc,".utf8) + [0xFE] + Array("\n".utf8)
        #expect {
            try bytes.withUnsafeMutableBytes { try tokenizer.feed($0) }
        } throws: { error in
            guard case BillError.malformed(let file, let line, let detail) = error else { return false }
            return file == "t.csv" && line == 2 && detail.contains("not UTF-8")
        }
    }
}
