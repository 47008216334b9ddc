import ArgumentParser
import Foundation
import ReconCore
import ReconJob
import ReconStore

/// `order-recon ack ID --note …`: records that someone looked at an open item.
struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge open items: record who, when and why, and stop listing them as open.",
        discussion: """
            The next run's report lists the item once under "resolved since the last run", with the \
            note. Exits 3 when an id is unknown or the item is no longer open.
            """)

    @Argument(help: "The ids of the items, as 'order-recon open' and the reports give them.")
    var ids: [String]

    @Option(help: "Why the item needs no further action. Required.")
    var note: String

    @Option(help: "Who acknowledges it (default: the USER environment variable).")
    var by: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if ids.isEmpty { throw ValidationError("Name the item to acknowledge; 'order-recon open' lists their ids.") }
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("Say why in --note; the note is what the next person reads.")
        }
    }

    func run() async throws {
        do {
            let config = try await storeOptions.load()
            // A results database takes the item's merchant for the acknowledgement instead.
            let lock = config.resultsInPostgres ? nil : try await StoreLock.hold(
                config.resultsFile, waitSeconds: config.storeLockWaitSeconds, clock: Machine.clock, identity: Machine.identity)
            defer { lock?.release() }
            let store = try JobAssembly.openResults(config)
            let who = by ?? Machine.environment["USER"] ?? "unknown"
            let now = config.timestamp(Machine.clock)
            for id in ids {
                let item = try store.acknowledge(id: id, OpenItem.Acknowledgement(by: who, at: now, note: note))
                Output.line("\(item.id) acknowledged by \(who): \(item.kind.rawValue) \(item.merchant) \(item.subject) (\(item.day))")
            }
        } catch {
            throw ReconError.wrapping(error)
        }
    }
}
