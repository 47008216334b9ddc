import Foundation
import ReconTestSupport

/// Runs the built `order-recon` binary.
enum CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder the test binary and `order-recon` are built into.
    static let binary: URL = {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("order-recon")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        fatalError("order-recon is not built next to the tests (looked in \(candidates.map(\.path)))")
    }()

    static func run(
        _ arguments: [String], in folder: String = Repository.root, environment: [String: String] = [:],
        program: String = "order-recon"
    ) throws -> Output {
        let process = Process()
        process.executableURL =
            program.hasPrefix("/") ? URL(fileURLWithPath: program) : binary.deletingLastPathComponent().appendingPathComponent(program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ORDER_RECON_") }
        merged.merge(environment) { $1 }
        process.environment = merged
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
