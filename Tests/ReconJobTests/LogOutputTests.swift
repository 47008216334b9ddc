import Foundation
import Logging
import ReconClock
import ReconJob
import ReconTestSupport
import Testing

@Suite("Log lines and the progress line")
struct LogOutputTests {
    static let clock = ManualClock(start: 1_795_140_000.25)

    static func handler(_ format: LogFormat) -> LineLogHandler {
        var handler = LineLogHandler(label: "order-recon", format: format, clock: clock)
        handler[metadataKey: "run_id"] = "r-1"
        return handler
    }

    @Test("logfmt: one line, fixed fields first, metadata sorted, values with blanks or quotes quoted")
    func logfmt() {
        let line = Self.handler(.logfmt).render(
            level: .info, message: "bill read", metadata: ["file": "a b.csv", "rows": "7", "note": "say \"hi\""])
        #expect(line == #"ts=2026-11-20T02:00:00.250Z level=info logger=order-recon msg="bill read" file="a b.csv" note="say \"hi\"" rows=7 run_id=r-1"#)
        #expect(!line.contains("\n"))
    }

    @Test("JSON: one object per line that parses, with the same fields")
    func json() throws {
        let line = Self.handler(.json).render(level: .error, message: "stopped\nhere", metadata: ["day": "2026-11-20"])
        #expect(!line.contains("\n"))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
        #expect(object == [
            "ts": "2026-11-20T02:00:00.250Z", "level": "error", "logger": "order-recon", "msg": "stopped\nhere",
            "day": "2026-11-20", "run_id": "r-1",
        ])
    }

    @Test("console: time, level and message first, for people")
    func console() {
        let line = Self.handler(.console).render(level: .warning, message: "slow", metadata: nil)
        #expect(line == "02:00:00 warning slow  run_id=r-1")
    }

    @Test("the time is UTC to the millisecond, the rest dropped, before 1970 as after", arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_795_140_000.9999, "2026-11-20T02:00:00.999Z"),
        (1_795_140_059.125, "2026-11-20T02:00:59.125Z"), (-0.5, "1969-12-31T23:59:59.500Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
    ])
    func time(seconds: Double, written: String) {
        let handler = LineLogHandler(label: "order-recon", format: .logfmt, clock: ManualClock(start: seconds))
        #expect(handler.render(level: .info, message: "m", metadata: nil).hasPrefix("ts=\(written) level=info"))
    }

    @Test("auto is console on a terminal and logfmt elsewhere")
    func auto() {
        #expect(LogFormat.auto.resolved(isTerminal: true) == .console)
        #expect(LogFormat.auto.resolved(isTerminal: false) == .logfmt)
        #expect(LogFormat.json.resolved(isTerminal: true) == .json)
    }

    @Test("a progress event reads as a count, with a share when the total is known")
    func progressEvent() {
        #expect(ProgressEvent(step: "reading bill.csv", done: 1200, unit: "rows").line == "reading bill.csv: 1200 rows")
        #expect(ProgressEvent(step: "querying 2026-11-20", done: 3, total: 12, unit: "items").line == "querying 2026-11-20: 3/12 items (25%)")
    }

    @Test("the progress line is redrawn in place, and a log line clears it first")
    func progressLine() throws {
        var pipe: [Int32] = [0, 0]
        #expect(Darwin_or_Glibc_pipe(&pipe) == 0)
        let output = StandardError(descriptor: pipe[1])
        let line = ProgressLine(output: output, clock: ManualClock())
        line.show(ProgressEvent(step: "querying", done: 1, total: 2, unit: "items"))
        line.show(ProgressEvent(step: "querying", done: 2, total: 2, unit: "items"))
        output.line("done")
        line.finish()
        close(pipe[1])
        let text = String(decoding: FileHandle(fileDescriptor: pipe[0]).readDataToEndOfFile(), as: UTF8.self)
        close(pipe[0])
        #expect(text == "\r\u{1B}[Kquerying: 1/2 items (50%)\r\u{1B}[Kquerying: 2/2 items (100%)\r\u{1B}[Kdone\n")
    }
}

private func Darwin_or_Glibc_pipe(_ fds: inout [Int32]) -> Int32 {
    fds.withUnsafeMutableBufferPointer { pipe($0.baseAddress!) }
}
