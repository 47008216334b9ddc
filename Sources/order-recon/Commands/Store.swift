import ArgumentParser
import ReconJob
import ReconStore

/// `order-recon store`: commands about the order store.
struct Store: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Create or upgrade the order store.", subcommands: [Initialize.self, Migrate.self])

    /// `order-recon store init`.
    struct Initialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a store with empty orders and refunds tables and the job's own tables.")

        @Option(help: "The SQLite file to create (or complete).")
        var store: String

        func validate() throws { try Store.refusePostgres(store) }

        func run() async throws {
            do {
                let lock = try await StoreLock.hold(store, clock: Machine.clock, identity: Machine.identity)
                defer { lock?.release() }
                try OrderStore.create(path: store)
                Output.line("\(store): ready (schema version \(try OrderStore(path: store).schemaVersion))")
            } catch {
                throw ReconError.wrapping(error)
            }
        }
    }

    /// `order-recon store migrate`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply the job's pending schema migrations now (a run applies them with its results).")

        @Option(help: "The SQLite order store, or the results file (results.url).")
        var store: String

        func validate() throws { try Store.refusePostgres(store) }

        func run() async throws {
            do {
                let lock = try await StoreLock.hold(store, clock: Machine.clock, identity: Machine.identity)
                defer { lock?.release() }
                let versions = try OrderStore(path: store).migrate()
                Output.line("\(store): schema version \(versions.from) → \(versions.to)")
            } catch {
                throw ReconError.wrapping(error)
            }
        }
    }

    /// Stops `init` and `migrate` from treating a PostgreSQL URL as a file name: the job never
    /// changes a PostgreSQL store.
    static func refusePostgres(_ store: String) throws {
        guard PostgresAddress.isURL(store) else { return }
        throw ValidationError(
            "order-recon only reads a PostgreSQL store: create its tables and indexes with fixtures/postgres/store-schema.sql "
                + "(or views, see the README's 'Orders in PostgreSQL'), and give --results a file for the job's own tables.")
    }
}
