import Foundation

/// A PostgreSQL server of a test's own: `initdb` into a temporary folder, listening only on a
/// Unix socket in that folder, stopped and removed by ``stop()`` (or when released).
///
/// The superuser is `recon` and the database `recon`; ``url(user:)`` names it for libpq. Under
/// root, where `initdb` refuses to run, the server runs as the `postgres` user.
public final class TestPostgres: @unchecked Sendable {
    /// The folder holding the data directory, the socket and the log.
    public let folder: String
    private let bin: String
    private var running = false
    private static let port = 5432

    /// Starts a server; `hba` lines go before the default `trust` ones (`local all secret scram-sha-256`).
    public init(hba: [String] = []) throws {
        bin = try Self.binaries()
        folder = FileManager.default.temporaryDirectory.path + "/order-recon-pg-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if geteuid() == 0, let owner = getpwnam("postgres") {
            chown(folder, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        try run(bin + "/initdb", "-D", folder + "/data", "-U", "recon", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if !hba.isEmpty {
            let file = folder + "/data/pg_hba.conf"
            let existing = try String(contentsOfFile: file, encoding: .utf8)
            try (hba.joined(separator: "\n") + "\n" + existing).write(toFile: file, atomically: true, encoding: .utf8)
        }
        try run(
            bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/log", "-w", "-o",
            "-k \(folder) -c listen_addresses='' -p \(Self.port) -c fsync=off -c full_page_writes=off", "start")
        running = true
        try psql("CREATE DATABASE recon", database: "postgres")
    }

    deinit { stop() }

    /// The URL of the database for `user`.
    public func url(user: String = "recon", database: String = "recon") -> String {
        "postgresql://\(user)@/\(database)?host=\(folder)&port=\(Self.port)"
    }

    /// Runs SQL as the superuser, stopping at the first error.
    public func psql(_ sql: String, database: String = "recon") throws {
        let file = folder + "/statement-\(UUID().uuidString).sql"
        try sql.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.execute(
            bin + "/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", folder, "-p", "\(Self.port)", "-U", "recon", "-d", database, "-f", file])
    }

    /// Runs the SQL file `path` as the superuser.
    public func psql(file path: String, database: String = "recon") throws {
        try psql(String(contentsOfFile: path, encoding: .utf8), database: database)
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        if running {
            running = false
            try? run(bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop")
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a server program, as `postgres` under root, with no descriptor but the standard three:
    /// the server `pg_ctl` leaves running would otherwise hold the one Foundation watches for the
    /// program's end.
    private func run(_ program: String, _ arguments: String...) throws {
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let closeOthers = #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec "$@""#
        try Self.execute("/bin/bash", ["-c", closeOthers, "bash"] + command)
    }

    /// Runs `program`, its output going to a file: a server it starts keeps the descriptors it
    /// inherits, so a pipe would never reach its end.
    private static func execute(_ program: String, _ arguments: [String]) throws {
        let outputPath = FileManager.default.temporaryDirectory.path + "/order-recon-pg-output-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputPath])
        }
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try? output.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)")
        }
    }

    /// The folder of PostgreSQL's server programs: Debian's /usr/lib/postgresql/N/bin, the newest.
    private static func binaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw Failure(description: "no PostgreSQL server under \(root): run .ci/install-deps (Debian's postgresql package)")
        }
        return "\(root)/\(newest)/bin"
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
