import Foundation
import ReconCore

/// Where the commands write what people read, on a terminal or in cron mail: every character
/// from an input that would act instead of show (ESC, BEL, a carriage return, a reordering mark)
/// is written as an escape (``Printable``).
enum Output {
    /// Writes `text` to stdout as it is, but for those characters.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(Printable.escapedLines(text).utf8))
    }

    /// Writes `text` and a line end to stdout.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `order-recon: message` and a line end to stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(Printable.escapedLines("order-recon: \(message)\n").utf8))
    }

    /// Writes `text` and a line end to stderr, without the program's name.
    static func errorLine(_ text: String) {
        FileHandle.standardError.write(Data(Printable.escapedLines(text + "\n").utf8))
    }
}
