import Foundation
import ReconCore

/// The job's result for one merchant on one day, as kept in the store.
public struct RunRecord: Sendable {
    /// The merchant reconciled.
    public var merchant: MerchantRef
    /// The day reconciled.
    public var day: CivilDate
    /// The run that produced it.
    public var runID: String
    /// When the run started.
    public var startedAt: Timestamp
    /// When the run finished.
    public var finishedAt: Timestamp
    /// The bill files read, as JSON (`[{"path": …, "sha256": …}]`).
    public var billsJSON: String
    /// Counts and totals, as JSON.
    public var summaryJSON: String
    /// The merchant's discrepancies for the day.
    public var discrepancies: [Discrepancy]

    /// Creates a record.
    public init(
        merchant: MerchantRef, day: CivilDate, runID: String, startedAt: Timestamp, finishedAt: Timestamp,
        billsJSON: String, summaryJSON: String, discrepancies: [Discrepancy]
    ) {
        self.merchant = merchant
        self.day = day
        self.runID = runID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.billsJSON = billsJSON
        self.summaryJSON = summaryJSON
        self.discrepancies = discrepancies
    }
}

/// A discrepancy as read back from the store.
public struct StoredDiscrepancy: Hashable, Sendable {
    /// The stable id.
    public var id: String
    /// The merchant.
    public var merchant: MerchantRef
    /// The day.
    public var day: CivilDate
    /// The kind.
    public var kind: String
    /// The refund, order or combine order number.
    public var subject: String
    /// Bill minus store, in minor units.
    public var differenceMinor: Int64?
}

/// One row of the audit of changes `--apply` made.
public struct AuditRow: Hashable, Sendable {
    public var runID: String
    public var at: String
    public var actor: String
    public var table: String
    public var key: String
    public var oldStatus: String?
    public var newStatus: String
    /// The columns changed, before, as JSON.
    public var oldValues: String
    /// The columns changed, after, as JSON.
    public var newValues: String
    public var evidence: String
}

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
            try database.transaction(immediate: true) {
                try StoreMigrations.migrate(database)
                try saveAttempts(attempts, runID: runID)
                let applied = try apply(changes, runID: runID, actor: actor, at: time)
                let previous = try openItems.flatMap(openItems(touchedBy:))
                // The store writes the discrepancies, then the open items once they are carried
                // over, on a thread of its own while the carryover and `beforeCommit` run here; the
                // connection is used by the writes alone, and both are done before the commit.
                let advanced = Handoff<[OpenItem]?>()
                try concurrently({
                    try writeRecords(records)
                    if let items = try advanced.take() { try writeOpenItems(items) }
                }) {
                    let carried = Result { try previous.map { try openItems!.advance($0) } }
                    advanced.put(carried)
                    _ = try carried.get()
                    try beforeCommit(applied)
                }
                return applied
            }
        }
    }

    /// Replaces each record's (merchant, day) results.
    private func writeRecords(_ records: [RunRecord]) throws {
        let clear = try database.prepare(
            "DELETE FROM recon_discrepancies WHERE provider = ?1 AND merchant_id = ?2 AND day = ?3")
        let run = try database.prepare(
            """
            INSERT OR REPLACE INTO recon_runs (provider, merchant_id, day, run_id, started_at, finished_at, bills,
                discrepancy_count, alarm_count, summary)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """)
        let insert = try database.prepare(
            """
            INSERT INTO recon_discrepancies (id, provider, merchant_id, day, kind, out_trade_no, out_refund_no,
                combine_out_trade_no, currency, local_amount_minor, bill_amount_minor, difference_minor,
                at_stake_minor, local_status, bill_status, local_time, bill_time, bill_rows, explanation,
                query_status, query_amount_minor, suggested_status)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
            """)
        for record in records {
            let key: [SQLiteValue] = [
                .text(record.merchant.provider.rawValue), .text(record.merchant.merchantID), .text(record.day.description),
            ]
            try clear.run(key)
            try run.run(
                key + [
                    .text(record.runID), .text(record.startedAt.rfc3339), .text(record.finishedAt.rfc3339),
                    .text(record.billsJSON), .integer(Int64(record.discrepancies.count)),
                    .integer(Int64(record.discrepancies.filter(\.kind.isAlarm).count)), .text(record.summaryJSON),
                ])
            for discrepancy in record.discrepancies {
                try insert.run([.text(discrepancy.id)] + key + Self.columns(of: discrepancy))
            }
        }
    }

    private func saveAttempts(_ attempts: [QueryAttempt], runID: String) throws {
        guard !attempts.isEmpty else { return }
        let insert = try database.prepare(
            """
            INSERT OR REPLACE INTO recon_query_attempts (run_id, provider, merchant_id, subject, key, attempt, at, request_id,
                http_status, code, state, body_sha256, error)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """)
        for attempt in attempts {
            try insert.run([
                .text(runID), .text(attempt.merchant.provider.rawValue), .text(attempt.merchant.merchantID), .text(attempt.subject),
                .text(attempt.key), .integer(Int64(attempt.attempt)), .text(attempt.at.rfc3339), .text(attempt.requestID),
                .optional(attempt.httpStatus.map(Int64.init)), .optional(attempt.code), .optional(attempt.state),
                .optional(attempt.bodySHA256), .optional(attempt.error),
            ])
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

    /// The audit rows, oldest first: what `--apply` changed, when, by whom and why.
    public func auditRows() throws -> [AuditRow] {
        try wrap {
            guard try database.objectType(named: "recon_audit") != nil else { return [] }
            let statement = try database.prepare(
                """
                SELECT run_id, at, actor, table_name, key, old_status, new_status, old_values, new_values, evidence
                FROM recon_audit ORDER BY id
                """)
            var rows: [AuditRow] = []
            while try statement.step() {
                let row = ResultRow(statement, path: path, table: "recon_audit", keyColumn: 4, providers: providers)
                rows.append(
                    AuditRow(
                        runID: try row.text(0, "run_id"), at: try row.text(1, "at"), actor: try row.text(2, "actor"),
                        table: try row.text(3, "table_name"), key: try row.text(4, "key"), oldStatus: row.optionalText(5),
                        newStatus: try row.text(6, "new_status"), oldValues: try row.text(7, "old_values"),
                        newValues: try row.text(8, "new_values"), evidence: try row.text(9, "evidence")))
            }
            return rows
        }
    }

    /// The query attempts a run recorded, in order.
    public func queryAttempts(runID: String) throws -> [QueryAttempt] {
        try wrap {
            guard try database.objectType(named: "recon_query_attempts") != nil else { return [] }
            let statement = try database.prepare(
                """
                SELECT provider, merchant_id, subject, key, attempt, at, request_id, http_status, code, state, body_sha256, error
                FROM recon_query_attempts WHERE run_id = ?1 ORDER BY provider, merchant_id, subject, key, attempt
                """)
            try statement.bind(1, runID)
            var rows: [QueryAttempt] = []
            while try statement.step() {
                let row = ResultRow(statement, path: path, table: "recon_query_attempts", keyColumn: 3, providers: providers)
                rows.append(
                    QueryAttempt(
                        subject: try row.text(2, "subject"), key: try row.text(3, "key"), merchant: try row.merchant(0, 1),
                        attempt: Int(try row.int(4, "attempt")), at: try row.time(5, "at"), requestID: try row.text(6, "request_id"),
                        httpStatus: statement.int64(7).map(Int.init), code: row.optionalText(8), state: row.optionalText(9),
                        bodySHA256: row.optionalText(10), error: row.optionalText(11)))
            }
            return rows
        }
    }

    private static func columns(of discrepancy: Discrepancy) -> [SQLiteValue] {
        let currency = discrepancy.difference?.currency ?? discrepancy.amountAtStake?.currency
            ?? discrepancy.local?.amount?.currency ?? discrepancy.bill?.amount?.currency
        return [
            .text(discrepancy.kind.rawValue), .optional(discrepancy.outTradeNo), .optional(discrepancy.outRefundNo),
            .optional(discrepancy.combineOutTradeNo), .optional(currency?.code),
            .optional(discrepancy.local?.amount?.minorUnits), .optional(discrepancy.bill?.amount?.minorUnits),
            .optional(discrepancy.difference?.minorUnits), .optional(discrepancy.amountAtStake?.minorUnits),
            .optional(discrepancy.local?.status), .optional(discrepancy.bill?.status),
            .optional(discrepancy.local?.time?.rfc3339), .optional(discrepancy.bill?.time?.rfc3339),
            .optional(
                discrepancy.bill.map { $0.locations.map(\.description).joined(separator: " ") }.flatMap {
                    $0.isEmpty ? nil : $0
                }),
            .text(discrepancy.explanation), .optional(discrepancy.query?.status),
            .optional(discrepancy.query?.amount?.minorUnits), .optional(discrepancy.suggestedStatus),
        ]
    }

    /// The discrepancies kept for `day` (every merchant), ordered by merchant and subject.
    public func savedDiscrepancies(on day: CivilDate) throws -> [StoredDiscrepancy] {
        try wrap {
            guard try database.objectType(named: "recon_discrepancies") != nil else { return [] }
            let statement = try database.prepare(
                """
                SELECT id, provider, merchant_id, day, kind, coalesce(out_refund_no, out_trade_no, combine_out_trade_no, ''),
                       difference_minor
                FROM recon_discrepancies WHERE day = ?1 ORDER BY provider, merchant_id, 6, kind
                """)
            try statement.bind(1, day.description)
            var rows: [StoredDiscrepancy] = []
            while try statement.step() {
                let row = ResultRow(statement, path: path, table: "recon_discrepancies", keyColumn: 0, providers: providers)
                rows.append(
                    StoredDiscrepancy(
                        id: try row.text(0, "id"), merchant: try row.merchant(1, 2), day: try row.day(3, "day"),
                        kind: try row.text(4, "kind"), subject: try row.text(5, "out_refund_no, out_trade_no or combine_out_trade_no"),
                        differenceMinor: statement.int64(6)))
            }
            return rows
        }
    }

    /// What each merchant's kept run of each day from `start` through `end` found: its alarms and
    /// its other discrepancies (timing differences). Days without a run are absent.
    public func runCounts(from start: CivilDate, through end: CivilDate) throws -> [RunCount] {
        try wrap {
            guard try database.objectType(named: "recon_runs") != nil else { return [] }
            let statement = try database.prepare(
                """
                SELECT provider, merchant_id, day, alarm_count, discrepancy_count FROM recon_runs
                WHERE day BETWEEN ?1 AND ?2 ORDER BY day, provider, merchant_id
                """)
            try statement.bind([.text(start.description), .text(end.description)])
            var rows: [RunCount] = []
            while try statement.step() {
                let row = ResultRow(statement, path: path, table: "recon_runs", keyColumn: 2, providers: providers)
                let (alarms, total) = (try row.count(3, "alarm_count"), try row.count(4, "discrepancy_count"))
                guard alarms <= total else { throw row.bad("alarm_count", String(alarms), "at most discrepancy_count (\(total))") }
                rows.append(RunCount(merchant: try row.merchant(0, 1), day: try row.day(2, "day"), alarms: alarms, carried: total - alarms))
            }
            return rows
        }
    }

    /// The (merchant, day, run id) of every run kept, in order.
    public func savedRuns() throws -> [(merchant: MerchantRef, day: CivilDate, runID: String)] {
        try wrap {
            guard try database.objectType(named: "recon_runs") != nil else { return [] }
            let statement = try database.prepare(
                "SELECT provider, merchant_id, day, run_id FROM recon_runs ORDER BY day, provider, merchant_id")
            var rows: [(MerchantRef, CivilDate, String)] = []
            while try statement.step() {
                let row = ResultRow(statement, path: path, table: "recon_runs", keyColumn: 2, providers: providers)
                rows.append((try row.merchant(0, 1), try row.day(2, "day"), try row.text(3, "run_id")))
            }
            return rows
        }
    }
}
