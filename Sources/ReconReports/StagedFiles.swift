import Foundation

/// Files written next to their destination under temporary names, then renamed into place all
/// at once: readers never see a half-written report, and a failed run leaves none behind.
public final class StagedFiles {
    private var staged: [(temporary: String, final: String)] = []

    /// Creates an empty set of staged files.
    public init() {}

    /// The destinations staged so far, in order.
    public var destinations: [String] { staged.map(\.final) }

    /// Writes `data` to a temporary file beside `path`, flushed to disk.
    /// - Throws: ``ReportError`` when the folder cannot be created or the file written.
    public func stage(_ data: Data, at path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        } catch {
            throw ReportError.cannotWrite(path: folder, reason: error.localizedDescription)
        }
        let temporary = (folder.isEmpty ? "." : folder) + "/." + (path as NSString).lastPathComponent
            + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        staged.append((temporary, path))
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else {
            throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Renames every staged file into place.
    public func commit() throws {
        for file in staged {
            guard rename(file.temporary, file.final) == 0 else {
                throw ReportError.cannotWrite(path: file.final, reason: String(cString: strerror(errno)))
            }
        }
        staged.removeAll()
    }

    /// Removes every staged file that has not been committed.
    public func discard() {
        for file in staged { unlink(file.temporary) }
        staged.removeAll()
    }

    deinit {
        discard()
    }
}

/// A report that cannot be written.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    /// A file or folder cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "Cannot write \(path): \(reason). Check that the report folder exists or can be created, "
                + "that it is writable, and that the disk has space."
        }
    }
}
