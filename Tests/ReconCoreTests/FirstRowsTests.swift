import Testing

@testable import ReconCore

@Suite("First-row slots")
struct FirstRowsTests {
    @Test("each slot gives back the file and line put in it, across several files")
    func roundTrip() {
        var rows = FirstRows(count: 6)
        let locations = [
            SourceLocation(file: "a.csv", line: 2), SourceLocation(file: "b.csv", line: 2),
            SourceLocation(file: "a.csv", line: 1_000_000), SourceLocation(file: "c/长 名.csv", line: 7),
            SourceLocation(file: "b.csv", line: 1),
        ]
        for (index, location) in locations.enumerated() { rows[index] = location }
        #expect((0..<5).map { rows[$0] } == locations)
        #expect(rows[5] == nil)
        rows[1] = nil
        #expect(rows[1] == nil)
        rows[0]!.line = 9
        #expect(rows[0] == SourceLocation(file: "a.csv", line: 9))
    }
}
