import Foundation
import Logging
import ReconClock
import ReconCore
import ReconReports

/// A swift-log handler that writes one line per event to stderr: readable on a terminal, or
/// logfmt or JSON for machines. Metadata keys are sorted, so the same event gives the same line.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    /// The format, already resolved (not ``LogFormat/auto``).
    public let format: LogFormat
    private let label: String
    private let output: StandardError
    private let clock: any RunClock

    /// Creates a handler.
    public init(
        label: String, format: LogFormat, output: StandardError = .shared, clock: any RunClock
    ) {
        self.label = label
        self.format = format
        self.output = output
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        output.line(render(level: event.level, message: "\(event.message)", metadata: event.metadata))
    }

    /// The line for one event.
    public func render(level: Logger.Level, message: String, metadata extra: Logger.Metadata?) -> String {
        let merged = metadata.merging(extra ?? [:]) { $1 }
        let fields = merged.keys.sorted().map { ($0, "\(merged[$0]!)") }
        let time = Self.timestamp(clock.now())
        switch format {
        case .json:
            var object: [String: String] = ["ts": time, "level": level.rawValue, "logger": label, "msg": message]
            for (key, value) in fields where object[key] == nil { object[key] = value }
            return JSONLine.object(object)
        case .logfmt:
            return ([("ts", time), ("level", level.rawValue), ("logger", label), ("msg", message)] + fields)
                .map { "\($0)=\(Self.logfmtValue($1))" }.joined(separator: " ")
        case .console, .auto:
            let pad = level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            let details = fields.map { "\($0)=\(Self.logfmtValue($1))" }.joined(separator: " ")
            return "\(String(time.dropFirst(11).prefix(8))) \(pad) \(Printable.escaped(message))" + (details.isEmpty ? "" : "  " + details)
        }
    }

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.isNewline }
        guard needsQuotes else { return Printable.escaped(value) }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return "\"\(Printable.escaped(escaped))\""
    }

    /// `2026-11-20T02:00:00.250Z`: the time in UTC to the millisecond (the rest dropped), written
    /// by the core's RFC 3339 rather than a date formatter, which loads ICU's time zones for each line.
    private static func timestamp(_ seconds: Double) -> String {
        Timestamp.rfc3339(epochMilliseconds: Int64((seconds * 1000).rounded(.down)))
    }
}
