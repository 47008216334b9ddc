import Foundation
import Synchronization

/// The process's stderr, shared by the log handlers and the progress line so that a log line
/// never lands in the middle of a progress line.
public final class StandardError: Sendable {
    /// The one instance.
    public static let shared = StandardError(descriptor: FileHandle.standardError.fileDescriptor)

    private let descriptor: Int32
    private let progressShown = Mutex(false)

    /// A writer to `descriptor`.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Whether stderr is a terminal.
    public var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Writes a whole line, clearing a progress line first.
    public func line(_ text: String) {
        progressShown.withLock { shown in
            if shown { raw("\r\u{1B}[K") }
            shown = false
            raw(text + "\n")
        }
    }

    /// Shows `text` as the progress line, replacing the previous one.
    public func progress(_ text: String) {
        progressShown.withLock { shown in
            raw("\r\u{1B}[K" + text)
            shown = true
        }
    }

    /// Clears the progress line.
    public func clearProgress() {
        progressShown.withLock { shown in
            if shown { raw("\r\u{1B}[K") }
            shown = false
        }
    }

    private func raw(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
