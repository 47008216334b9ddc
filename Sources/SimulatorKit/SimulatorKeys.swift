import Foundation

/// The test keys of a simulated setup, as files in one folder. They serve the simulator only;
/// each simulated provider names its own files (its `generateKeys`), and private keys and
/// secrets are written with mode 0600.
public struct SimulatorKeys: Sendable {
    /// The folder.
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// The path of `name` in the folder.
    package func file(_ name: String) -> String { folder + "/" + name }

    /// Creates the folder when it is missing.
    package func createFolder() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Whether `path` exists.
    package func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Writes `text` to `path` through a temporary file, mode 0600 when `secret`, else 0644.
    package func write(_ text: String, to path: String, secret: Bool) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: secret ? 0o600 : 0o644])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        try FileManager.default.setAttributes([.posixPermissions: secret ? 0o600 : 0o644], ofItemAtPath: temporary)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
