import Foundation
import Testing

extension TestPostgres {
    /// The server of the suite that runs with ``PostgresServerTrait``.
    @TaskLocal public static var current: TestPostgres?

    /// The running suite's server.
    public static var shared: TestPostgres {
        get throws {
            guard let current else { throw Failure(description: "the suite needs the .postgresServer trait") }
            return current
        }
    }

    /// A new database holding the store contract's tables (`fixtures/postgres/store-schema.sql`),
    /// loaded with `rows` (SQL), and its URL for `user`.
    public func storeDatabase(rows: String = "", user: String = "recon") throws -> String {
        try database(String(contentsOfFile: Repository.fixture("postgres/store-schema.sql"), encoding: .utf8) + "\n" + rows, user: user)
    }

    /// A new database made by `sql`, and its URL for `user`.
    public func database(_ sql: String, user: String = "recon") throws -> String {
        let name = "store_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE DATABASE \(name)", database: "postgres")
        try psql(sql, database: name)
        return url(user: user, database: name)
    }
}

/// Starts one PostgreSQL server (``TestPostgres``) for a whole suite and stops it after.
public struct PostgresServerTrait: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try TestPostgres()
        defer { server.stop() }
        try await TestPostgres.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// Runs the suite with a PostgreSQL server of its own (``TestPostgres/shared``).
    public static var postgresServer: Self { PostgresServerTrait() }
}
