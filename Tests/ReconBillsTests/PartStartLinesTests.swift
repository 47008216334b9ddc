import Foundation
@testable import ReconBills
import Testing

@Suite("The lines a bill's parts start on")
struct PartStartLinesTests {
    /// Lines with line feeds at irregular places, a carriage return before some.
    let text = Array((0..<40).map { "row \($0)" + String(repeating: "x", count: $0 % 7) + ($0 % 3 == 0 ? "\r\n" : "\n") }.joined().utf8)

    /// The line each cut starts on, counting the text's line feeds before it.
    func expected(_ cuts: [Int]) -> [Int] {
        [1] + cuts.map { cut in text[..<cut].filter { $0 == 0x0A }.count + 1 }
    }

    /// The lines `PartStartLines` finds for `cuts` when the text is read in chunks of `chunk` bytes.
    func counted(_ cuts: [Int], chunk: Int) throws -> [Int] {
        let lines = PartStartLines(cuts: cuts)
        var offset = 0
        while offset < text.count {
            let end = min(text.count, offset + chunk)
            text.withUnsafeBytes { lines.count(UnsafeRawBufferPointer(rebasing: $0[offset..<end]), at: offset) }
            offset = end
        }
        return try (0...cuts.count).map { try lines.firstLine(of: $0) }
    }

    @Test("each part's line is one more than the line feeds before it, whatever the chunks", arguments: [1, 2, 5, 13, 64, 4096])
    func countsAcrossChunks(chunk: Int) throws {
        // Cuts after line ends, as a plan makes them, including some on a chunk's edge.
        let ends = text.indices.filter { text[$0] == 0x0A }.map { $0 + 1 }
        for cuts in [[ends[0]], [ends[4], ends[5]], [ends[9], ends[20], ends[38]], [64, 128].filter(ends.contains)] where !cuts.isEmpty {
            #expect(try counted(cuts, chunk: chunk) == expected(cuts))
        }
        // A cut that is not after a line end is counted all the same.
        #expect(try counted([1, 30, 31], chunk: chunk) == expected([1, 30, 31]))
    }

    @Test("a part waits for its line while the file is read")
    func waits() async throws {
        let cut = text.indices.filter { text[$0] == 0x0A }[10] + 1
        let lines = PartStartLines(cuts: [cut])
        async let second = BlockingWork.run { try lines.firstLine(of: 1) }
        text.withUnsafeBytes { lines.count($0, at: 0) }
        #expect(try await second == 12)
        #expect(try lines.firstLine(of: 0) == 1)
    }

    @Test("when the read fails, the parts waiting fail with its error and the first part still starts on line 1")
    func failure() async throws {
        struct ReadFailed: Error {}
        let lines = PartStartLines(cuts: [10, 20])
        let waiting = Task { try await BlockingWork.run { try lines.firstLine(of: 2) } }
        text.withUnsafeBytes { lines.count(UnsafeRawBufferPointer(rebasing: $0[0..<15]), at: 0) }
        lines.fail(ReadFailed())
        await #expect(throws: ReadFailed.self) { try await waiting.value }
        #expect(try lines.firstLine(of: 1) == expected([10])[1])
        #expect(throws: ReadFailed.self) { try lines.firstLine(of: 2) }
        #expect(try lines.firstLine(of: 0) == 1)
    }
}
