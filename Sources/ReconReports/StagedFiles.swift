import CWriteback
import Foundation
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Files written next to their destination under temporary names, then renamed into place all
/// at once: readers never see a half-written report, and a failed run leaves none behind.
///
/// Every file lands inside one folder, the root: a destination whose path leaves it (through
/// `..`, or a folder on the way that is a symbolic link to elsewhere) is refused before anything
/// is created, so no name taken from an input can place a file outside the folder the user named.
///
/// Files are created with mode 0640 and the folders created for them with 0750, whatever the
/// umask: reports name orders and amounts, so only the owner and its group may read them.
///
/// Files may be staged from several threads at once: each is written and flushed on its own
/// thread, and only naming it and recording it are done one at a time.
public final class StagedFiles: @unchecked Sendable {
    /// Guards `staged`, `physicalRoot` and `cleaned`.
    private let lock = NSLock()
    private var staged: [(temporary: String, final: String)] = []
    /// The folder every file must land in, as given and as an absolute, normal path.
    private let root: String
    private let absoluteRoot: FilePath
    /// The root with symbolic links resolved, once it exists.
    private var physicalRoot: FilePath?

    /// The mode of the files written.
    public static let fileMode: mode_t = 0o640
    /// The mode of the folders created.
    public static let folderMode: mode_t = 0o750

    /// Creates an empty set of staged files that may only land inside `root`.
    public init(inside root: String) {
        self.root = root
        absoluteRoot = Self.absolute(root)
    }

    /// Creates an empty set of staged files for `path` and others in its folder.
    public convenience init(besides path: String) {
        let folder = FilePath(path).removingLastComponent()
        self.init(inside: folder.isEmpty ? "." : folder.string)
    }

    /// The destinations staged so far, in order.
    public var destinations: [String] { lock.withLock { staged.map(\.final) } }

    /// Writes `data` to a temporary file beside `path`, flushed to disk.
    /// - Throws: ``ReportError`` when the path leaves the root, or the folder cannot be created or the file written.
    /// - Parameter mode: The file's mode; ``fileMode`` unless another reader needs it (a
    ///   metrics collector running as its own user).
    public func stage(_ data: Data, at path: String, mode: mode_t = StagedFiles.fileMode) throws {
        try stage(at: path, mode: mode) { write in try data.withUnsafeBytes { try write($0) } }
    }

    /// Writes a temporary file beside `path` piece by piece: `body` is given the function that
    /// writes a piece, and the file is flushed to disk once `body` returns. Each piece starts on
    /// its way to disk as it is written, so that the flush at the end waits for the last ones only.
    /// - Throws: ``ReportError`` when the path leaves the root, or the folder cannot be created or
    ///   the file written; or what `body` throws.
    public func stage<Result>(
        at path: String, mode: mode_t = StagedFiles.fileMode,
        writing body: (_ write: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Result
    ) throws -> Result {
        let descriptor = try create(path, mode: mode)
        defer { close(descriptor) }
        var written: Int64 = 0
        let result = try body { piece in
            try Self.write(piece, to: descriptor, path: path)
            recon_start_writeback(descriptor, written, Int64(piece.count))
            written += Int64(piece.count)
        }
        try Self.sync(descriptor, path: path)
        return result
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

    /// Stages `source` at `path` as a hard link when both are on one file system (the archive's
    /// copy of a bill then costs neither time nor space, and keeps the bill's own mode; the
    /// downloads replace a bill by renaming a new file over it, so the linked bytes stay the ones
    /// the run read), else as a copy (``stageCopy(of:at:)``).
    public func stageLink(to source: String, at path: String) throws {
        let linked = try lock.withLock {
            let temporary = try temporaryName(for: path)
            // AT_SYMLINK_FOLLOW links the file a symbolic link names, never the link itself.
            guard linkat(AT_FDCWD, source, AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 else { return false }
            staged.append((temporary, path))
            return true
        }
        if !linked { try stageCopy(of: source, at: path) }
    }

    /// Stages a second name at `path` of the file already staged for `twin`: a hard link to it,
    /// so its bytes are written and flushed once; a copy of it (``stageCopy(of:at:)``) when the
    /// link cannot be made.
    /// - Throws: ``ReportError`` when no file is staged for `twin`, or the copy cannot be written.
    public func stage(at path: String, sameAs twin: String) throws {
        let (source, linked) = try lock.withLock { () throws -> (String?, Bool) in
            guard let source = staged.last(where: { $0.final == twin })?.temporary else { return (nil, false) }
            let temporary = try temporaryName(for: path)
            guard linkat(AT_FDCWD, source, AT_FDCWD, temporary, 0) == 0 else { return (source, false) }
            staged.append((temporary, path))
            return (source, true)
        }
        guard let source else { throw ReportError.cannotWrite(path: path, reason: "\(twin), whose second name it is, was not written") }
        if !linked { try stageCopy(of: source, at: path) }
    }

    /// `path` as an absolute, lexically normal path (`.` and `..` folded away).
    static func absolute(_ path: String) -> FilePath {
        var result = FilePath(path)
        if result.isRelative {
            result = FilePath(FileManager.default.currentDirectoryPath).pushing(result)
        }
        return result.lexicallyNormalized()
    }

    /// The folder `path` lands in, created (with its parents, each ``folderMode``) as far as it
    /// is missing, after checking that the path stays inside the root.
    /// - Throws: ``ReportError/outside(path:root:reason:)`` when it would not; ``ReportError/cannotWrite(path:reason:)``
    ///   when a folder cannot be created.
    private func makeFolder(for path: String) throws -> String {
        let target = Self.absolute(path)
        guard target.starts(with: absoluteRoot), target != absoluteRoot, let name = target.lastComponent,
            name.kind == .regular
        else {
            throw ReportError.outside(path: path, root: root, reason: "its path leads out of it")
        }
        let physicalRoot = try physicalRoot ?? Self.makeRoot(absoluteRoot, shown: root)
        self.physicalRoot = physicalRoot
        var folder = absoluteRoot
        var relative = target.removingLastComponent()
        _ = relative.removePrefix(absoluteRoot)
        for component in relative.components {
            folder.append(component)
            var status = stat()
            if lstat(folder.string, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                guard let resolved = Self.realPath(folder.string), resolved.starts(with: physicalRoot) else {
                    throw ReportError.outside(
                        path: path, root: root, reason: "\(folder.string) is a symbolic link to a place outside it")
                }
            }
            try Self.ensureFolder(folder.string)
        }
        return folder.string
    }

    /// Creates the root (and its parents) when missing; returns its physical path.
    private static func makeRoot(_ root: FilePath, shown: String) throws -> FilePath {
        var folder = FilePath(root.root?.string ?? "/")
        for component in root.components {
            folder.append(component)
            try ensureFolder(folder.string)
        }
        guard let physical = realPath(root.string) else {
            throw ReportError.cannotWrite(path: shown, reason: String(cString: strerror(errno)))
        }
        return physical
    }

    /// Creates `folder` with ``folderMode`` when it is missing; fails when something else is there.
    private static func ensureFolder(_ folder: String) throws {
        var status = stat()
        if stat(folder, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw ReportError.cannotWrite(path: folder, reason: "it is a file, not a folder")
            }
            return
        }
        guard mkdir(folder, folderMode) == 0 || errno == EEXIST else {
            throw ReportError.cannotWrite(path: folder, reason: String(cString: strerror(errno)))
        }
        chmod(folder, folderMode)
    }

    private static func realPath(_ path: String) -> FilePath? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return FilePath(String(cString: resolved))
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

    /// A fresh temporary name beside `path`, in its folder (created and checked as ``makeFolder(for:)`` does);
    /// called with the lock held.
    private func temporaryName(for path: String) throws -> String {
        let folder = try makeFolder(for: path)
        if cleaned.insert(folder).inserted { Self.removeLeftovers(in: folder) }
        let name = FilePath(path).lastComponent?.string ?? ""
        return folder + "/." + name + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    private func create(_ path: String, mode: mode_t) throws -> Int32 {
        try lock.withLock {
            let temporary = try temporaryName(for: path)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
            guard descriptor >= 0 else { throw ReportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            staged.append((temporary, path))
            fchmod(descriptor, mode)
            return descriptor
        }
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
        try lock.withLock {
            for file in staged {
                guard rename(file.temporary, file.final) == 0 else {
                    throw ReportError.cannotWrite(path: file.final, reason: String(cString: strerror(errno)))
                }
            }
            staged.removeAll()
        }
    }

    /// Removes every staged file that has not been committed.
    public func discard() {
        lock.withLock {
            for file in staged { unlink(file.temporary) }
            staged.removeAll()
        }
    }

    deinit {
        discard()
    }
}

/// A report that cannot be written.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    /// A file or folder cannot be written.
    case cannotWrite(path: String, reason: String)
    /// A file would land outside the folder it must be written in.
    case outside(path: String, root: String, reason: String)

    public var description: String {
        switch self {
        case .outside(let path, let root, let reason):
            return "Refused to write \(path): it must be inside \(root), but \(reason). Nothing was written; check "
                + "the merchant ids and names in the bills and the store, and the folders under \(root)."
        case .cannotWrite(let path, let reason):
            return "Cannot write \(path): \(reason). Check that the report folder exists or can be created, "
                + "that it is writable, and that the disk has space."
        }
    }
}
