import Foundation
import ReconCore
@testable import ReconReports
import ReconTestSupport
import Testing

/// The JSON and CSV reports handed on to their files while they are written.
@Suite("Reports written to their files as they are rendered")
struct ReportStreamTests {
    /// The sample report's discrepancies 3,000 times over: about 3 MB of JSON and 1.5 MB of CSV.
    static func largeReport() -> DayReport {
        var report = sampleReport()
        let some = report.discrepancies
        report.discrepancies = (0..<3_000).flatMap { _ in some }
        return report
    }

    /// What a destination was handed, and the error it throws from a given piece on.
    final class Destination: @unchecked Sendable {
        struct Refused: Error, Equatable {}
        private(set) var pieces: [[UInt8]] = []
        let failingFrom: Int?

        init(failingFrom: Int? = nil) { self.failingFrom = failingFrom }

        func take(_ piece: UnsafeRawBufferPointer) throws {
            pieces.append(Array(piece))
            if let failingFrom, pieces.count > failingFrom { throw Refused() }
        }
    }

    /// Pieces of a megabyte or more, but for the last, that together are `whole`.
    static func check(_ pieces: [[UInt8]], make whole: Data) {
        #expect(pieces.count > 1, "one piece: nothing was handed on before the end")
        #expect(pieces.dropLast().allSatisfy { $0.count >= 1 << 20 }, "\(pieces.map(\.count))")
        #expect(Data(pieces.joined()) == whole)
    }

    @Test("the JSON is handed on in pieces as it is written, and whole")
    func json() throws {
        let report = Self.largeReport()
        let destination = Destination()
        try JSONReportRenderer.render(report, settled: { report }, handingOnTo: destination.take)
        Self.check(destination.pieces, make: JSONReportRenderer.render(report))
    }

    @Test("a JSON writer that does not keep what it hands on holds no more than a piece and an item")
    func jsonNotKept() throws {
        let items = (0..<30_000).map { "item \($0) of a long array, with a quote \" to escape" }
        let destination = Destination()
        var writer = JSONWriter(pretty: true, handingOnTo: destination.take, keeping: false)
        var most = 0
        writer.array(items) { writer, item in
            most = max(most, writer.heldBytes)
            writer.string(item)
        }
        try writer.finish()
        #expect(most < ReportStream.pieceSize + 100, "the writer held \(most) bytes")
        var kept = JSONWriter(pretty: true)
        kept.array(items) { $0.string($1) }
        Self.check(destination.pieces, make: kept.data)
    }

    @Test("the CSV is handed on in pieces as it is written, and whole, kept or not")
    func csv() throws {
        let report = Self.largeReport()
        let destination = Destination()
        let data = try CSVReportRenderer.render(report, handingOnTo: destination.take)
        #expect(data == CSVReportRenderer.render(report))
        Self.check(destination.pieces, make: CSVReportRenderer.render(report))

        let notKept = Destination()
        #expect(try CSVReportRenderer.render(report, handingOnTo: notKept.take, keeping: false) == nil)
        Self.check(notKept.pieces, make: CSVReportRenderer.render(report))
    }

    @Test("a destination that fails is handed nothing more, and the rendering throws its error")
    func failure() {
        let report = Self.largeReport()
        for render in [
            { (destination: Destination) in _ = try JSONReportRenderer.render(report, settled: { report }, handingOnTo: destination.take) },
            { (destination: Destination) in _ = try CSVReportRenderer.render(report, handingOnTo: destination.take) },
        ] {
            let destination = Destination(failingFrom: 1)
            #expect(throws: Destination.Refused()) { try render(destination) }
            #expect(destination.pieces.count == 2, "pieces were handed on after the destination failed")
        }
    }

    @Test("a file staged piece by piece holds every piece once committed, as does its second name, and nothing is left when writing fails")
    func stagedPieces() throws {
        let directory = TemporaryDirectory()
        let report = Self.largeReport()
        let staged = StagedFiles(inside: directory.path)
        try staged.stage(at: directory.file("day.json")) { write in
            try JSONReportRenderer.render(report, settled: { report }, handingOnTo: write)
        }
        try staged.stage(at: directory.file("merchant/day.json"), sameAs: directory.file("day.json"))
        #expect(throws: ReportError.self) { try staged.stage(at: directory.file("other.json"), sameAs: directory.file("none.json")) }
        try staged.commit()
        #expect(FileManager.default.contents(atPath: directory.file("day.json")) == JSONReportRenderer.render(report))
        #expect(FileManager.default.contents(atPath: directory.file("merchant/day.json")) == JSONReportRenderer.render(report))

        let failing = StagedFiles(inside: directory.path)
        #expect(throws: Destination.Refused()) {
            try failing.stage(at: directory.file("other.json")) { write in
                try [UInt8]("{".utf8).withUnsafeBytes { try write($0) }
                throw Destination.Refused()
            }
        }
        failing.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["day.json", "merchant"])
    }
}
