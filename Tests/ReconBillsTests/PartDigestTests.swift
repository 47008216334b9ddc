import Crypto
import Foundation
@testable import ReconBills
import ReconCore
import ReconTestSupport
import Testing

@Suite("The hash and lines of a bill's parts")
struct PartDigestTests {
    /// Lines with line feeds at irregular places, a carriage return before some.
    let text = Array((0..<40).map { "row \($0)" + String(repeating: "x", count: $0 % 7) + ($0 % 3 == 0 ? "\r\n" : "\n") }.joined().utf8)

    /// Parts of the text that end at `cuts`.
    func parts(_ cuts: [Int]) -> [Range<Int>] {
        zip([0] + cuts, cuts + [text.count]).map { $0..<$1 }
    }

    /// The line each part starts on, counting the text's line feeds before it.
    func expectedLines(_ cuts: [Int]) -> [Int] {
        [1] + cuts.map { cut in text[..<cut].filter { $0 == 0x0A }.count + 1 }
    }

    @Test("parts added from several threads, in any order of arrival, give the file's hash and each part's line and line feeds")
    func anyArrival() async throws {
        let ends = text.indices.filter { text[$0] == 0x0A }.map { $0 + 1 }
        // Cuts after line ends, as a plan makes them, and one that is not.
        let cuts = [ends[0], ends[4], ends[5], 100, ends[20], ends[38]].sorted()
        let ranges = parts(cuts)
        for arrival in [Array(ranges.indices), ranges.indices.reversed(), [3, 0, 5, 1, 6, 2, 4]] {
            let digest = PartDigest()
            let starts = try await withThrowingTaskGroup(of: (Int, (firstLine: Int, lineFeeds: Int)).self) { group in
                for index in arrival {
                    let bytes = Array(text[ranges[index]])
                    group.addTask { try await BlockingWork.run { (index, try bytes.withUnsafeBytes { try digest.add(index, $0) }) } }
                }
                var starts = Array(repeating: (firstLine: 0, lineFeeds: 0), count: ranges.count)
                for try await (index, start) in group { starts[index] = start }
                return starts
            }
            #expect(starts.map(\.firstLine) == expectedLines(cuts))
            #expect(starts.map(\.lineFeeds) == ranges.map { range in text[range].filter { $0 == 0x0A }.count })
            #expect(digest.finalize() == SHA256.hash(data: Data(text)).hexString)
        }
    }

    @Test("when a part fails, the parts waiting for their turn fail with its error, and the parts before it kept their lines")
    func failure() async throws {
        struct ReadFailed: Error {}
        let digest = PartDigest()
        let ranges = parts([10, 20, 30])
        let waiting = Task { try await BlockingWork.run { try text[ranges[2]].withUnsafeBytes { try digest.add(2, $0) } } }
        #expect(try text[ranges[0]].withUnsafeBytes { try digest.add(0, $0) }.firstLine == 1)
        // Part 1 could not be read: part 2, waiting for it, fails, as does part 3.
        digest.fail(ReadFailed())
        await #expect(throws: ReadFailed.self) { try await waiting.value }
        #expect(throws: ReadFailed.self) { try text[ranges[3]].withUnsafeBytes { try digest.add(3, $0) } }
    }

    @Test("a part that reaches past the file's end, as when the file shrank after it was cut, fails naming the file")
    func partPastTheEnd() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("bill.csv", String(decoding: text, as: UTF8.self))
        let descriptor = try BillByteStream.openFile(path, displayName: "bill.csv")
        defer { close(descriptor) }
        let buffer = PartBuffer()
        #expect(try Array(buffer.read(descriptor, displayName: "bill.csv", 10..<30)) == Array(text[10..<30]))
        #expect {
            try buffer.read(descriptor, displayName: "bill.csv", 100..<(text.count + 1))
        } throws: { error in
            guard case BillError.truncated(let file, _, let detail) = error else { return false }
            return file == "bill.csv" && detail.contains("shrank")
        }
    }
}
