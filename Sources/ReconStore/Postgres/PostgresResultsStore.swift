import Foundation
import ReconCore

/// The job's results, open items and query attempts in a PostgreSQL database of their own
/// (`results.url: postgres://…`), written through the same ``ResultTables`` as the SQLite file.
///
/// Many workers may share it: each takes its merchants with ``claim(_:)`` (session advisory locks
/// that the server releases when the worker's connection ends, however it ends), and saves them
/// in one transaction.
public final class PostgresResultsStore: ResultsStore {
    /// Where the results are.
    public let address: PostgresAddress
    private let connection: PostgresConnection
    private let tables: ResultTables

    public var location: String { address.url }

    /// Connects to `address` (read and write) and creates or upgrades the job's tables.
    /// - Parameter environment: The `PG*` variables that fill in what the URL leaves out.
    public init(address: PostgresAddress, environment: [String: String], providers: ProviderDirectory = .none) throws {
        self.address = address
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(address, environment: environment, readOnly: false)
            try connection.transaction { try PostgresResultsSchema.migrate(connection) }
        } catch let error as PostgresError {
            throw StoreError.postgres(error)
        }
        self.connection = connection
        tables = ResultTables(database: connection, providers: providers)
    }

    /// Writes a run's records, attempts and open items in one transaction. Changes to the orders
    /// are not written here: `--apply` writes them to the order store first
    /// (``OrderStore/applyAudited(_:runID:actor:at:)``), and the run passes none.
    @discardableResult
    public func save(
        _ records: [RunRecord], runID: String = "", attempts: [QueryAttempt] = [], changes: [StatusChange] = [],
        actor: String = "order-recon", at time: Timestamp = Timestamp(epochSeconds: 0), openItems: OpenItemsUpdate? = nil,
        beforeCommit: ([AppliedChange]) throws -> Void = { _ in }
    ) throws -> [AppliedChange] {
        precondition(changes.isEmpty, "changes to the orders are written to the order store, not to the results database")
        return try save(records, runID: runID, attempts: attempts, openItems: openItems, shardRun: nil, beforeCommit: beforeCommit)
    }

    /// ``save(_:runID:attempts:changes:actor:at:openItems:beforeCommit:)`` that also records, in
    /// the same transaction, what `shardRun` gives once `beforeCommit` has settled the reports.
    @discardableResult
    public func save(
        _ records: [RunRecord], runID: String, attempts: [QueryAttempt], openItems: OpenItemsUpdate?,
        shardRun: (() throws -> ShardRun)?, beforeCommit: ([AppliedChange]) throws -> Void
    ) throws -> [AppliedChange] {
        try wrap {
            try connection.transaction {
                try PostgresResultsSchema.migrate(connection)
                try tables.write(records, runID: runID, attempts: attempts, openItems: openItems, applied: [], beforeCommit: beforeCommit)
                if let shardRun { try write(try shardRun()) }
                return []
            }
        }
    }

    private func write(_ run: ShardRun) throws {
        try connection.insert(
            into: "recon_shard_runs",
            columns: ["day", "shard_index", "shard_count", "run_id", "host", "started_at", "finished_at", "merchants", "report"],
            rows: run.reports.sorted { $0.key < $1.key }.map { day, report in
                [
                    .text(day.description), .integer(Int64(run.shard.index)), .integer(Int64(run.shard.count)), .text(run.runID),
                    .text(run.host), .text(run.startedAt.rfc3339), .text(run.finishedAt.rfc3339), .integer(Int64(run.merchants)),
                    .text(report),
                ]
            }, replacingOn: ["day", "shard_count", "shard_index"])
    }

    /// The shard counts `day` was saved with, fewest shards first.
    public func shardCounts(on day: CivilDate) throws -> [Int] {
        try wrap {
            var counts: [Int] = []
            try connection.select(
                "SELECT DISTINCT shard_count FROM recon_shard_runs WHERE day = ?1 ORDER BY 1", [.text(day.description)]
            ) { row in
                if let count = row.int64(0) { counts.append(Int(count)) }
            }
            return counts
        }
    }

    /// The runs of the shards of `count` that saved `day`, by shard index; with `reports`, each
    /// with its report of the day.
    public func shardRuns(on day: CivilDate, count: Int, reports: Bool = false) throws -> [Int: ShardRun] {
        try wrap {
            var runs: [Int: ShardRun] = [:]
            try connection.select(
                """
                SELECT shard_index, run_id, host, started_at, finished_at, merchants, \(reports ? "report" : "''")
                FROM recon_shard_runs WHERE day = ?1 AND shard_count = ?2 ORDER BY shard_index
                """, [.text(day.description), .integer(Int64(count))]
            ) { statement in
                let row = ResultRow(statement, path: location, table: "recon_shard_runs", keyColumn: 1, providers: .none)
                let index = try row.int(0, "shard_index")
                guard let shard = Shard(index: Int(index), count: count) else {
                    throw row.bad("shard_index", String(index), "a shard from 0 to \(count - 1)")
                }
                runs[shard.index] = ShardRun(
                    shard: shard, runID: try row.text(1, "run_id"), host: try row.text(2, "host"),
                    startedAt: try row.time(3, "started_at"), finishedAt: try row.time(4, "finished_at"),
                    merchants: try row.count(5, "merchants"), reports: [day: try row.text(6, "report")])
            }
            return runs
        }
    }

    /// Takes the right to write `merchants`' results until this store is closed: one session
    /// advisory lock per merchant (``Shard/key(of:)``), tried without waiting.
    /// - Throws: ``StoreError/claimed(location:merchants:holders:)`` naming the merchants another
    ///   worker holds, having taken none.
    public func claim(_ merchants: [MerchantRef]) throws {
        let keys = Set(merchants).sorted().map { (merchant: $0, key: Int64(bitPattern: Shard.key(of: $0))) }
        guard !keys.isEmpty else { return }
        try wrap {
            let array = "{" + keys.map { String($0.key) }.joined(separator: ",") + "}"
            let result = try connection.query(
                "SELECT k, pg_try_advisory_lock(k) FROM unnest($1::bigint[]) AS k ORDER BY k", [array])
            var taken: [Int64] = []
            var refused: Set<Int64> = []
            for row in result.rows {
                guard let key = row.int64(0) else { continue }
                if row.text(1) == "t" { taken.append(key) } else { refused.insert(key) }
            }
            guard !refused.isEmpty else { return }
            let holders = try connection.query(
                """
                SELECT DISTINCT coalesce(nullif(a.application_name, ''), 'a client') || ' (pid ' || a.pid || ', since '
                       || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') || ' UTC)'
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND a.pid <> pg_backend_pid()
                  AND ((l.classid::bigint << 32) | l.objid::bigint) = ANY ($1::bigint[])
                """, ["{" + refused.map(String.init).joined(separator: ",") + "}"]
            ).rows.compactMap { $0.text(0) }
            _ = try connection.query(
                "SELECT pg_advisory_unlock(k) FROM unnest($1::bigint[]) AS k", ["{" + taken.map(String.init).joined(separator: ",") + "}"])
            throw StoreError.claimed(
                location: location, merchants: keys.filter { refused.contains($0.key) }.map(\.merchant), holders: holders.sorted())
        }
    }

    public func runCounts(from start: CivilDate, through end: CivilDate) throws -> [RunCount] {
        try wrap { try tables.runCounts(from: start, through: end) }
    }

    public func openItems(in states: Set<OpenItem.State> = [.open]) throws -> [OpenItem] {
        try wrap { try tables.openItems(in: states) }
    }

    public func lastRunFinished() throws -> Timestamp? { try wrap { try tables.lastRunFinished() } }

    /// `nil`: the items are read inside the transaction, after the run has claimed their merchants.
    public func readOpenItemsAhead(days: [CivilDate], owns: (@Sendable (MerchantRef) -> Bool)?) -> OpenItemsAhead? { nil }

    /// Records an acknowledgement, holding the item's merchant meanwhile: while a run of that
    /// merchant is under way (it would write the item back as it read it), this fails with
    /// ``StoreError/claimed(location:merchants:holders:)``.
    @discardableResult
    public func acknowledge(id: String, _ acknowledgement: OpenItem.Acknowledgement) throws -> OpenItem {
        guard let item = try wrap({ try tables.openItem(id: id) }) else { throw StoreError.noSuchItem(path: location, id: id) }
        try claim([item.merchant])
        defer { try? release([item.merchant]) }
        return try wrap {
            try connection.transaction {
                try PostgresResultsSchema.migrate(connection)
                return try tables.acknowledge(id: id, acknowledgement)
            }
        }
    }

    /// Gives back what ``claim(_:)`` took.
    private func release(_ merchants: [MerchantRef]) throws {
        let keys = Set(merchants).map { String(Int64(bitPattern: Shard.key(of: $0))) }
        _ = try connection.query("SELECT pg_advisory_unlock(k) FROM unnest($1::bigint[]) AS k", ["{" + keys.joined(separator: ",") + "}"])
    }

    /// The discrepancies kept for `day` (every merchant), ordered by merchant and subject.
    public func savedDiscrepancies(on day: CivilDate) throws -> [StoredDiscrepancy] {
        try wrap { try tables.savedDiscrepancies(on: day) }
    }

    /// The (merchant, day, run id) of every run kept, in order.
    public func savedRuns() throws -> [(merchant: MerchantRef, day: CivilDate, runID: String)] { try wrap { try tables.savedRuns() } }

    /// The query attempts a run recorded, in order.
    public func queryAttempts(runID: String) throws -> [QueryAttempt] { try wrap { try tables.queryAttempts(runID: runID) } }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw StoreError.postgres(error)
        }
    }
}
