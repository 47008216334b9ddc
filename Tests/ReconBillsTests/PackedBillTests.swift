import Foundation
import Glibc
import ProviderPlugins
@testable import ReconBills
import ReconCore
import ReconTestSupport
import Testing
import ZIPFoundation

/// Bills as they arrive: in a ZIP archive, in GB18030 (GBK) text, or both, for any provider.
@Suite("Zipped and GBK bills")
struct PackedBillTests {
    let directory = TemporaryDirectory()
    static let plain = Repository.fixture("bills/wechatpay/ALL-current.csv")

    /// `text` in GB18030, by the C library's iconv.
    static func gb18030(_ text: String) throws -> Data {
        let converter = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written = input.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes { target -> Int in
                var inPointer = source.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = source.count
                var outPointer = target.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = target.count
                return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 ? -1 : target.count - outLeft
            }
        }
        try #require(written >= 0)
        return Data(output.prefix(written))
    }

    /// A ZIP archive at `path` of `entries` (name and content), names flagged UTF-8.
    func zip(_ path: String, _ entries: [(String, Data)]) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, content) in entries {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(content.count), compressionMethod: .deflate) {
                position, size in content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    @Test("a WeChat Pay bill in GBK, in a ZIP, or both, reads exactly as the plain one")
    func sameAsPlain() throws {
        let text = try String(contentsOfFile: Self.plain, encoding: .utf8)
        let expected = try read(Self.plain)
        let gbk = directory.write("wechatpay_gbk.csv", try Self.gb18030(text))
        let zipped = directory.file("wechatpay.csv.zip")
        try zip(zipped, [("微信支付账单.csv", Data(text.utf8)), ("readme.txt", Data("x".utf8))])
        let both = directory.file("wechatpay_gbk.zip")
        try zip(both, [("bill.csv", try Self.gb18030(text))])
        for (path, isGBK, entry) in [(gbk, true, nil), (zipped, false, "微信支付账单.csv"), (both, true, "bill.csv")] {
            let (facts, entries) = try read(path)
            #expect(facts.isValid, "\(path): \(facts.problems)")
            #expect(entries == expected.entries.map { entry in
                var moved = entry
                moved.location = SourceLocation(file: path, line: entry.location.line)
                return moved
            })
            #expect(facts.totals == expected.facts.totals && facts.summaryChecks == expected.facts.summaryChecks)
            #expect(facts.wasGB18030 == isGBK && facts.zipEntry == entry)
        }
    }

    @Test("a ZIP with no bill, or with two, is refused naming what it holds")
    func zipWithoutOneBill() throws {
        let empty = directory.file("book.xlsx")
        try zip(empty, [("xl/workbook.xml", Data("<x/>".utf8))])
        #expect { _ = try read(empty) } throws: { "\($0)".contains("it holds no CSV bill (it holds 'xl/workbook.xml')") }
        let two = directory.file("two.zip")
        try zip(two, [("a.csv", Data("x".utf8)), ("b.csv", Data("y".utf8))])
        #expect { _ = try read(two) } throws: { "\($0)".contains("it holds 2 CSV bills ('a.csv', 'b.csv')") }
    }

    @Test("a ZIP whose bill was changed after it was packed fails its CRC-32")
    func changedInside() throws {
        let path = directory.file("stored.zip")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let content = Data(try String(contentsOfFile: Self.plain, encoding: .utf8).utf8)
        try archive.addEntry(with: "bill.csv", type: .file, uncompressedSize: Int64(content.count), compressionMethod: .none) {
            position, size in content.subdata(in: Int(position)..<Int(position) + size)
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = try #require(bytes.range(of: Data("SUCCESS".utf8)))
        bytes[at.lowerBound] = UInt8(ascii: "X")
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { _ = try read(path) } throws: { "\($0)".contains("does not match its CRC-32") }
    }
}

/// The GB18030 decoder fed a chunk at a time, as a bill streams.
@Suite("GB18030 text in chunks")
struct GB18030ChunkTests {
    @Test("a character cut between two chunks comes out whole, and a bad byte is named by its offset")
    func chunks() throws {
        let text = "交易时间,商户号\n2026-11-20 10:00:00,备注：测试\n"
        let bytes = Array(try PackedBillTests.gb18030(text))
        for size in [1, 2, 3, 7] {
            let decoder = try GB18030()
            var out: [UInt8] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                let chunk = Array(bytes[start..<min(start + size, bytes.count)])
                try chunk.withUnsafeBytes { try decoder.convert($0) { out.append(contentsOf: $0) } }
            }
            try decoder.finish()
            #expect(String(decoding: out, as: UTF8.self) == text, "chunks of \(size)")
        }
        let cut = try GB18030()
        try Array(bytes.prefix(1)).withUnsafeBytes { try cut.convert($0) { _ in } }
        #expect(throws: GB18030.Invalid.self) { try cut.finish() }
        let bad = try GB18030()
        var damaged = bytes
        damaged[4] = 0xFF
        #expect { try damaged.withUnsafeBytes { try bad.convert($0) { _ in } } } throws: { ($0 as? GB18030.Invalid)?.offset == 4 }
    }
}
