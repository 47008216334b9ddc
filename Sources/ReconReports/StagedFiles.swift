import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files written next to their destination under temporary names, then renamed into place all
/// at once: readers never see a half-written report, and a failed run leaves none behind.
///
/// Files are created with mode 0640 and the folders created for them with 0750, whatever the
/// umask: reports name orders and amounts, so only the owner and its group may read them.
public final class StagedFiles {
    private var staged: [(temporary: String, final: String)] = []

    /// The mode of the files written.
    public static let fileMode: mode_t = 0o640
    /// The mode of the folders created.
    public static let folderMode: mode_t = 0o750

    /// Creates an empty set of staged files.
    public init() {}

    /// The destinations staged so far, in order.
    public var destinations: [String] { staged.map(\.final) }

    /// Writes `data` to a temporary file beside `path`, flushed to disk.
    /// - Throws: ``ReportError`` when the folder cannot be created or the file written.
    /// - Parameter mode: The file's mode; ``fileMode`` unless another reader needs it (a
    ///   metrics collector running as its own user).
    public func stage(_ data: Data, at path: String, mode: mode_t = StagedFiles.fileMode) throws {
        let descriptor = try create(path, mode: mode)
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            try Self.write(buffer, to: descriptor, path: path)
        }
        try Self.sync(descriptor, path: path)
    }

    /// Copies the file at `source` to a temporary file beside `path`, flushed to disk, reading it
    /// in pieces so that a large bill takes little memory.
    /// - Throws: ``ReportError`` when the source cannot be read or the copy written.
    public func stageCopy(of source: String, at path: String) throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw ReportError.cannotWrite(path: path, reason: "cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let descriptor = try create(path, mode: Self.fileMode)
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReportError.cannotWrite(path: path, reason: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            try Self.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), to: descriptor, path: path)
        }
        try Self.sync(descriptor, path: path)
    }

    /// Creates `folder` and any missing parents with ``folderMode``.
    public static func makeFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw ReportError.cannotWrite(path: folder, reason: "it is a file, not a folder") }
            return
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != folder { try makeFolder(parent) }
        guard mkdir(folder, folderMode) == 0 || errno == EEXIST else {
            throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
        }
        chmod(folder, folderMode)
    }

    /// Removes the temporary files that a run killed before it could commit or discard them left
    /// in `folder` (those of processes no longer alive).
    /// - Returns: The files removed.
    @discardableResult
    public static func removeLeftovers(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: ".tmp-", options: .backwards) else { continue }
            let rest = name[range.upperBound...]
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    private var cleaned: Set<String> = []

    private func create(_ path: String, mode: mode_t) throws -> Int32 {
        let folder = (path as NSString).deletingLastPathComponent
        try Self.makeFolder(folder.isEmpty ? "." : folder)
        if cleaned.insert(folder).inserted { Self.removeLeftovers(in: folder.isEmpty ? "." : folder) }
        let temporary = (folder.isEmpty ? "." : folder) + "/." + (path as NSString).lastPathComponent
            + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        staged.append((temporary, path))
        fchmod(descriptor, mode)
        return descriptor
    }

    private static func write(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    private static func sync(_ descriptor: Int32, path: String) throws {
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
