import Foundation
import ReconCore

extension OrderStore {
    /// Replaces the results of every (merchant, day) in `records`, keeps the run's query
    /// attempts, carries the open items over with `openItems`, and writes `changes` to the merchant's
    /// tables with an audit row each, all in one transaction that also applies pending migrations.
    /// If anything fails, nothing is written.
    ///
    /// Each change first re-reads its row and is skipped when the row changed since it was read
    /// before the query (status, `last_error_code` or `updated_at`).
    /// - Parameters:
    ///   - openItems: Its `advance` runs while the discrepancies are written.
    ///   - beforeCommit: Runs last inside the transaction, after `advance` and while the store
    ///     writes, with what became of each change; when it throws, nothing is written.
    ///
    ///   Both run on the calling thread while this store writes on another, so neither may use the store.
    /// - Returns: What became of each change.
    @discardableResult
    public func save(
        _ records: [RunRecord], runID: String = "", attempts: [QueryAttempt] = [], changes: [StatusChange] = [],
        actor: String = "order-recon", at time: Timestamp = Timestamp(epochSeconds: 0),
        openItems: OpenItemsUpdate? = nil, beforeCommit: ([AppliedChange]) throws -> Void = { _ in }
    ) throws -> [AppliedChange] {
        try wrap {
            // Room for the pages the transaction changes (64 MiB, against SQLite's usual 2 MiB):
            // the open items a rerun finds again are updated where they lie, across the table,
            // and pages written out of a small cache mid-transaction would be read back again.
            try database.execute("PRAGMA cache_size = -65536")
            return try database.transaction(immediate: true) {
                try StoreMigrations.migrate(database)
                let applied = try apply(changes, runID: runID, actor: actor, at: time)
                try results.write(
                    records, runID: runID, attempts: attempts, openItems: openItems, applied: applied, beforeCommit: beforeCommit)
                return applied
            }
        }
    }

    /// Writes `changes` to the merchant's tables, each with its row in `recon_audit` (made in this
    /// file when missing; none of the job's other tables is), in one transaction of its own: `--apply`
    /// for a run whose results are kept apart (`results.url`). Each change is checked against its
    /// row as ``save(_:runID:attempts:changes:actor:at:openItems:beforeCommit:)`` checks it.
    /// - Returns: What became of each change.
    public func applyAudited(_ changes: [StatusChange], runID: String, actor: String, at time: Timestamp) throws -> [AppliedChange] {
        guard !changes.isEmpty else { return [] }
        return try wrap {
            try database.transaction(immediate: true) {
                try database.execute(StoreMigrations.auditTable)
                return try apply(changes, runID: runID, actor: actor, at: time)
            }
        }
    }

    /// Writes each change whose row is as it was read, with an audit row; skips the others.
    private func apply(_ changes: [StatusChange], runID: String, actor: String, at time: Timestamp) throws -> [AppliedChange] {
        guard !changes.isEmpty else { return [] }
        for table in Set(changes.map(\.table.rawValue)) where try database.objectType(named: table) != "table" {
            throw StoreError.notWritable(path: path, table: table)
        }
        let audit = try database.prepare(
            """
            INSERT INTO recon_audit (run_id, at, actor, table_name, key, old_status, new_status, old_values, new_values, evidence)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """)
        var results: [AppliedChange] = []
        for change in changes {
            let current = try currentRow(of: change)
            guard let current else {
                results.append(AppliedChange(change: change, skipped: "the row is no longer in \(change.table.rawValue)"))
                continue
            }
            let expected = RowState(
                status: change.expectedStatus, lastErrorCode: change.expectedLastErrorCode,
                updatedAt: change.expectedUpdatedAt?.epochSeconds, timeColumn: nil, transactionID: nil)
            guard current.status == expected.status, current.lastErrorCode == expected.lastErrorCode,
                change.table == .refunds || current.updatedAt == expected.updatedAt
            else {
                results.append(
                    AppliedChange(change: change, skipped: "the row changed since it was queried (now \(current.status))"))
                continue
            }
            var sets = ["status = ?2"]
            var values: [SQLiteValue] = [.text(change.key), .text(change.newStatus)]
            var newValues: [String: Any] = ["status": change.newStatus]
            var oldValues: [String: Any] = ["status": current.status, "last_error_code": current.lastErrorCode ?? NSNull()]
            let columns = change.table == .orders ? orderColumns : refundColumns
            if columns.contains("last_error_code"), current.lastErrorCode != nil {
                sets.append("last_error_code = NULL")
                newValues["last_error_code"] = NSNull()
            }
            let timeColumn = change.table == .orders ? "paid_at" : "succeeded_at"
            if let moved = change.movedAt, columns.contains(timeColumn), current.timeColumn == nil {
                values.append(.text(moved.rfc3339))
                sets.append("\(timeColumn) = ?\(values.count)")
                newValues[timeColumn] = moved.rfc3339
                oldValues[timeColumn] = NSNull()
            }
            if let transaction = change.transactionID, columns.contains("provider_txn_id"), current.transactionID == nil {
                values.append(.text(transaction))
                sets.append("provider_txn_id = ?\(values.count)")
                newValues["provider_txn_id"] = transaction
                oldValues["provider_txn_id"] = NSNull()
            }
            if change.table == .orders, columns.contains("updated_at") {
                values.append(.text(time.rfc3339))
                sets.append("updated_at = ?\(values.count)")
                newValues["updated_at"] = time.rfc3339
            }
            let keyColumn = change.table == .orders ? "out_trade_no" : "out_refund_no"
            try database.prepare("UPDATE \(change.table.rawValue) SET \(sets.joined(separator: ", ")) WHERE \(keyColumn) = ?1")
                .run(values)
            try audit.run([
                .text(runID), .text(time.rfc3339), .text(actor), .text(change.table.rawValue), .text(change.key),
                .text(current.status), .text(change.newStatus), .text(Self.json(oldValues)), .text(Self.json(newValues)),
                .text(change.evidence),
            ])
            results.append(AppliedChange(change: change, skipped: nil))
        }
        return results
    }

    private struct RowState {
        var status: String
        var lastErrorCode: String?
        var updatedAt: Int64?
        var timeColumn: String?
        var transactionID: String?
    }

    private func currentRow(of change: StatusChange) throws -> RowState? {
        let columns = change.table == .orders ? orderColumns : refundColumns
        let code = optional("last_error_code", in: columns)
        let statement: SQLiteStatement
        switch change.table {
        case .orders:
            statement = try database.prepare(
                """
                SELECT status, \(code), unixepoch(\(optional("updated_at", in: columns))), paid_at,
                       \(optional("provider_txn_id", in: columns))
                FROM orders WHERE out_trade_no = ?1
                """)
        case .refunds:
            statement = try database.prepare(
                "SELECT status, \(code), NULL, \(optional("succeeded_at", in: columns)), NULL FROM refunds WHERE out_refund_no = ?1")
        }
        try statement.bind(1, change.key)
        guard try statement.step() else { return nil }
        let row = ResultRow(statement, path: path, table: change.table.rawValue, key: change.key, providers: providers)
        return RowState(
            status: try row.text(0, "status"), lastErrorCode: statement.text(1), updatedAt: statement.int64(2),
            timeColumn: statement.text(3), transactionID: statement.text(4))
    }

    private static func json(_ values: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The job's own tables in this file.
    var results: ResultTables { ResultTables(database: database, providers: providers) }

    /// The audit rows, oldest first: what `--apply` changed, when, by whom and why.
    public func auditRows() throws -> [AuditRow] { try wrap { try results.auditRows() } }

    /// The query attempts a run recorded, in order.
    public func queryAttempts(runID: String) throws -> [QueryAttempt] { try wrap { try results.queryAttempts(runID: runID) } }

    /// The discrepancies kept for `day` (every merchant), ordered by merchant and subject.
    public func savedDiscrepancies(on day: CivilDate) throws -> [StoredDiscrepancy] {
        try wrap { try results.savedDiscrepancies(on: day) }
    }

    /// What each merchant's kept run of each day from `start` through `end` found: its alarms and
    /// its other discrepancies (timing differences). Days without a run are absent.
    public func runCounts(from start: CivilDate, through end: CivilDate) throws -> [RunCount] {
        try wrap { try results.runCounts(from: start, through: end) }
    }

    /// The (merchant, day, run id) of every run kept, in order.
    public func savedRuns() throws -> [(merchant: MerchantRef, day: CivilDate, runID: String)] { try wrap { try results.savedRuns() } }
}
