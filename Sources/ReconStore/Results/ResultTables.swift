import Foundation
import ReconCore

/// The job's own tables (`recon_runs`, `recon_discrepancies`, `recon_query_attempts`, the open
/// items' two (``OpenItemTables``), `recon_audit`) read and written the same way in every
/// database that keeps them. Each store runs these inside its own transaction; values read back
/// are checked as ``ResultRow`` checks them.
struct ResultTables {
    let database: any ResultsDatabase
    /// The providers' merchant-id rules.
    let providers: ProviderDirectory

    var location: String { database.location }

    /// The columns of the view `recon_open_items`, in order.
    static let openItemColumns = [
        "id", "provider", "merchant_id", "day", "kind", "out_trade_no", "out_refund_no", "combine_out_trade_no", "currency",
        "at_stake_minor", "explanation", "state", "found_on", "first_run_id", "first_seen_at", "last_run_id", "last_seen_at",
        "resolved_on", "resolved_at", "resolution", "ack_by", "ack_at", "ack_note", "expected_in",
    ]
    private static let openItemSelect = "SELECT \(openItemColumns.joined(separator: ", ")) FROM recon_open_items"

    // MARK: Writing a run

    /// Writes a run's attempts, records and open items; called inside the store's transaction.
    ///
    /// The discrepancies, then the open items once they are carried over, are written on a thread
    /// of their own while the carryover and `beforeCommit` run on the calling one; the database is
    /// used by the writes alone, and both are done when this returns.
    func write(
        _ records: [RunRecord], runID: String, attempts: [QueryAttempt], openItems: OpenItemsUpdate?,
        applied: [AppliedChange], beforeCommit: ([AppliedChange]) throws -> Void
    ) throws {
        try writeAttempts(attempts, runID: runID)
        var readAhead = false
        let previous = try openItems.flatMap { update in
            if let items = try update.ahead?.items(at: database.currentDataVersion()) {
                readAhead = true
                return items
            }
            return try self.openItems(touchedBy: update.days, owns: update.owns)
        }
        let advanced = Handoff<[OpenItem]?>()
        try concurrently({
            try writeRecords(records)
            if let items = try advanced.take() { try writeOpenItems(items, kept: previous ?? []) }
        }) { [readAhead] in
            let carried = Result { try previous.map { try openItems!.advance($0, readAhead) } }
            advanced.put(carried)
            _ = try carried.get()
            try beforeCommit(applied)
        }
    }

    /// Replaces each record's (merchant, day) results.
    ///
    /// The rows already kept for the (merchant, day) are read first: a row the record has exactly
    /// as it is stays; every other row is deleted, and the record's other discrepancies are
    /// inserted. A rerun that finds what the day's last run found writes none of them again. A
    /// new row whose id another (merchant, day) holds fails the save, as any insert does.
    private func writeRecords(_ records: [RunRecord]) throws {
        var runs: [[SQLiteValue]] = []
        var unchanged: [Set<Int>] = []
        for record in records {
            let key = Self.key(of: record)
            unchanged.append(try keepUnchanged(of: record, key: key))
            runs.append(
                key + [
                    .text(record.runID), .text(record.startedAt.rfc3339), .text(record.finishedAt.rfc3339),
                    .text(record.billsJSON), .integer(Int64(record.discrepancies.count)),
                    .integer(Int64(record.discrepancies.filter(\.kind.isAlarm).count)), .text(record.summaryJSON),
                ])
        }
        try database.insert(
            into: "recon_runs",
            columns: [
                "provider", "merchant_id", "day", "run_id", "started_at", "finished_at", "bills", "discrepancy_count",
                "alarm_count", "summary",
            ], rows: runs, replacingOn: ["provider", "merchant_id", "day"])
        // Each row is made as it is inserted: one at a time is held, and each discrepancy is read once.
        // The rows are wrapped once (`AnySequence`) so that the database, reached through a
        // protocol, steps through code made for them, not through the generic lazy sequences.
        try database.insert(
            into: "recon_discrepancies", columns: Self.discrepancyColumns,
            rows: AnySequence(
                zip(records, unchanged).lazy.flatMap { record, unchanged in
                    let key = Self.key(of: record)
                    return record.discrepancies.indices.lazy.filter { !unchanged.contains($0) }
                        .map { Self.row(of: record.discrepancies[$0], key: key) }
                }), replacingOn: nil)
    }

    /// The columns of `recon_discrepancies` the job writes, in the order of ``row(of:key:)``.
    private static let discrepancyColumns = [
        "id", "provider", "merchant_id", "day", "kind", "out_trade_no", "out_refund_no", "combine_out_trade_no",
        "currency", "local_amount_minor", "bill_amount_minor", "difference_minor", "at_stake_minor", "local_status",
        "bill_status", "local_time", "bill_time", "bill_rows", "explanation", "query_status", "query_amount_minor",
        "suggested_status",
    ]

    /// Deletes the rows kept for `record`'s (merchant, day) that it does not have exactly as they
    /// are, and returns the positions of its discrepancies whose rows stay.
    private func keepUnchanged(of record: RunRecord, key: [SQLiteValue]) throws -> Set<Int> {
        // Found by the number each id is the text of, which no id text need be made for.
        var positions: [UInt64: Int] = [:]
        positions.reserveCapacity(record.discrepancies.count)
        for index in record.discrepancies.indices { positions[record.discrepancies[index].idHash] = index }
        var unchanged = Set<Int>()
        var gone: [SQLiteValue] = []
        var goneUnnamed = false
        try database.select(
            "SELECT \(Self.discrepancyColumns.joined(separator: ", ")) FROM recon_discrepancies "
                + "WHERE provider = ?1 AND merchant_id = ?2 AND day = ?3", key
        ) { row in
            // A row with no id, or one that is no stable id's text, is no discrepancy's.
            guard let id = row.bytes(0), let hash = StableID.hash(ofText: id) else { return goneUnnamed = true }
            if let index = positions[hash], Self.holds(row, Self.row(of: record.discrepancies[index], key: key)) {
                unchanged.insert(index)
            } else {
                // 16 hex digits: the text is the stored id, byte for byte.
                gone.append(.text(String(decoding: id, as: UTF8.self)))
            }
        }
        // Nothing stays, or a row no stable id names: all of the (merchant, day)'s rows go, and
        // every discrepancy is inserted.
        if unchanged.isEmpty || goneUnnamed {
            try database.execute("DELETE FROM recon_discrepancies WHERE provider = ?1 AND merchant_id = ?2 AND day = ?3", key)
            return []
        }
        try database.execute("DELETE FROM recon_discrepancies WHERE id IN", forEach: gone, after: [])
        return unchanged
    }

    /// Whether a stored row holds exactly `values`, column by column: the same NULLs, the same
    /// integers, the same text byte for byte.
    private static func holds(_ row: any StoreRow, _ values: [SQLiteValue]) -> Bool {
        for index in values.indices {
            switch (values[index], row.stored(Int32(index))) {
            case (.null, .null): continue
            case (.integer(let number), .integer(let stored)) where number == stored: continue
            case (.text(var text), .text(let stored?))
            where text.withUTF8({ $0.count == stored.count && ($0.isEmpty || memcmp($0.baseAddress!, stored.baseAddress!, $0.count) == 0) }):
                continue
            default: return false
            }
        }
        return true
    }

    /// The (provider, merchant id, day) a record's rows are kept under.
    private static func key(of record: RunRecord) -> [SQLiteValue] {
        [.text(record.merchant.provider.rawValue), .text(record.merchant.merchantID), .text(record.day.description)]
    }

    private func writeAttempts(_ attempts: [QueryAttempt], runID: String) throws {
        try database.insert(
            into: "recon_query_attempts",
            columns: [
                "run_id", "provider", "merchant_id", "subject", "key", "attempt", "at", "request_id", "http_status", "code",
                "state", "body_sha256", "error",
            ],
            rows: attempts.map { attempt in
                [
                    .text(runID), .text(attempt.merchant.provider.rawValue), .text(attempt.merchant.merchantID),
                    .text(attempt.subject), .text(attempt.key), .integer(Int64(attempt.attempt)), .text(attempt.at.rfc3339),
                    .text(attempt.requestID), .optional(attempt.httpStatus.map(Int64.init)), .optional(attempt.code),
                    .optional(attempt.state), .optional(attempt.bodySHA256), .optional(attempt.error),
                ]
            }, replacingOn: ["run_id", "provider", "merchant_id", "subject", "key", "attempt"])
    }

    /// A discrepancy's row of `recon_discrepancies`: its id, the record's `key`, then its columns.
    private static func row(of discrepancy: Discrepancy, key: [SQLiteValue]) -> [SQLiteValue] {
        let currency = discrepancy.difference?.currency ?? discrepancy.amountAtStake?.currency
            ?? discrepancy.local?.amount?.currency ?? discrepancy.bill?.amount?.currency
        return [
            .text(discrepancy.id), key[0], key[1], key[2], .text(discrepancy.kind.rawValue),
            .optional(discrepancy.outTradeNo), .optional(discrepancy.outRefundNo), .optional(discrepancy.combineOutTradeNo),
            .optional(currency?.code),
            .optional(discrepancy.local?.amount?.minorUnits), .optional(discrepancy.bill?.amount?.minorUnits),
            .optional(discrepancy.difference?.minorUnits), .optional(discrepancy.amountAtStake?.minorUnits),
            .optional(discrepancy.local?.status), .optional(discrepancy.bill?.status),
            .optional(discrepancy.local?.time?.rfc3339), .optional(discrepancy.bill?.time?.rfc3339),
            .optional(discrepancy.bill.flatMap { $0.locations.isEmpty ? nil : SourceLocation.list($0.locations) }),
            .text(discrepancy.explanation), .optional(discrepancy.query?.status),
            .optional(discrepancy.query?.amount?.minorUnits), .optional(discrepancy.suggestedStatus),
        ]
    }

    // MARK: Open items

    /// The open items, oldest day first, or the items in any of `states`.
    func openItems(in states: Set<OpenItem.State>) throws -> [OpenItem] {
        guard try database.hasTable("recon_open_items") else { return [] }
        let list = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        return try readOpenItems("\(Self.openItemSelect) WHERE state IN (\(list))", []).sorted(by: OpenItem.listOrder)
    }

    /// One item by id, whatever its state; `nil` when there is none.
    func openItem(id: String) throws -> OpenItem? {
        guard try database.hasTable("recon_open_items") else { return nil }
        return try readOpenItems("\(Self.openItemSelect) WHERE id = ?1", [.text(id)]).first
    }

    /// Records an acknowledgement of item `id`; called inside the store's transaction.
    func acknowledge(id: String, _ acknowledgement: OpenItem.Acknowledgement) throws -> OpenItem {
        guard var item = try readOpenItems("\(Self.openItemSelect) WHERE id = ?1", [.text(id)]).first else {
            throw StoreError.noSuchItem(path: location, id: id)
        }
        do {
            try item.acknowledge(acknowledgement)
        } catch {
            throw StoreError.notOpen(path: location, reason: error.description)
        }
        try writeOpenItems([item])
        return item
    }

    /// The open items a run of `days` may touch, of the merchants it `owns` only; `nil` when it names no day.
    func openItems(touchedBy days: [CivilDate], owns: (@Sendable (MerchantRef) -> Bool)?) throws -> [OpenItem]? {
        guard let first = days.min(), let last = days.max() else { return nil }
        let (low, high) = (first.adding(days: -1).description, last.adding(days: 1).description)
        let items = try readOpenItems(
            """
            \(Self.openItemSelect)
            WHERE state = 'open' OR (state = 'acknowledged' AND resolved_on IS NULL)
               OR day BETWEEN ?1 AND ?2 OR resolved_on BETWEEN ?1 AND ?2
            """, [.text(low), .text(high)])
        guard let owns else { return items }
        return items.filter { owns($0.merchant) }
    }

    /// Writes `items`, each replacing the rows of its id (``OpenItemTables``).
    ///
    /// An item that differs from its row in `kept` (the items read in the same transaction) only
    /// in the run that last found it and when has just its sighting updated, many items to a
    /// statement; every other item is written whole. Most items a rerun finds again are found
    /// again as they were.
    func writeOpenItems(_ items: [OpenItem], kept: [OpenItem] = []) throws {
        var keptByID: [String: OpenItem] = [:]
        keptByID.reserveCapacity(kept.count)
        for item in kept { keptByID[item.id] = item }
        // The items seen again by each run at each time (as written, offset included), for the
        // update that writes just their sightings.
        var seenAgain: [Sighting: [SQLiteValue]] = [:]
        var whole: [OpenItem] = []
        for item in items {
            if let before = keptByID[item.id], before.isSeenAgain(as: item) {
                seenAgain[Sighting(item), default: []].append(.text(item.id))
                continue
            }
            whole.append(item)
        }
        for (last, ids) in seenAgain {
            try database.execute(
                "UPDATE recon_item_sightings SET last_run_id = ?1, last_seen_at = ?2 WHERE id IN", forEach: ids,
                after: [.text(last.runID), .text(last.time.rfc3339)])
        }
        try database.insert(
            into: "recon_items", columns: Self.itemColumns,
            rows: AnySequence(whole.lazy.map { item in
                [
                    .text(item.id), .text(item.merchant.provider.rawValue), .text(item.merchant.merchantID),
                    .text(item.day.description), .text(item.kind.rawValue), .optional(item.outTradeNo),
                    .optional(item.outRefundNo), .optional(item.combineOutTradeNo), .optional(item.amountAtStake?.currency.code),
                    .optional(item.amountAtStake?.minorUnits), .text(item.explanation), .text(item.state.rawValue),
                    .text(item.foundOn.description), .text(item.firstRunID), .text(item.firstSeen.rfc3339),
                    .optional(item.resolvedOn?.description), .optional(item.resolvedAt?.rfc3339), .optional(item.resolution),
                    .optional(item.acknowledgement?.by), .optional(item.acknowledgement?.at.rfc3339),
                    .optional(item.acknowledgement?.note), .optional(item.expectedIn?.description),
                ]
            }), replacingOn: ["id"])
        try database.insert(
            into: "recon_item_sightings", columns: OpenItemTables.sightingColumns,
            rows: AnySequence(whole.lazy.map { [.text($0.id), .text($0.lastRunID), .text($0.lastSeen.rfc3339)] }),
            replacingOn: ["id"])
    }

    /// The columns of `recon_items`: the view's, less the two of a sighting beside its id.
    private static let itemColumns = openItemColumns.filter { $0 == "id" || !OpenItemTables.sightingColumns.contains($0) }

    /// The run that last saw an open item, and when, kept as the instant and the offset that the
    /// written time is made of: two sightings are equal exactly when their texts are.
    private struct Sighting: Hashable {
        let runID: String
        let epochSeconds: Int64
        let utcOffsetSeconds: Int32

        init(_ item: OpenItem) {
            runID = item.lastRunID
            epochSeconds = item.lastSeen.epochSeconds
            utcOffsetSeconds = item.lastSeen.utcOffsetSeconds
        }

        var time: Timestamp { Timestamp(epochSeconds: epochSeconds, utcOffsetSeconds: utcOffsetSeconds) }
    }

    private func readOpenItems(_ sql: String, _ values: [SQLiteValue]) throws -> [OpenItem] {
        var items: [OpenItem] = []
        // An item mostly shares its merchant, days, kind, currency and the times runs saw it with
        // the item before: each such value is parsed and checked once for the rows that repeat it.
        var kinds = RepeatedValue<DiscrepancyKind>()
        var states = RepeatedValue<OpenItem.State>()
        var currencies = RepeatedValue<Currency>()
        var merchants = RepeatedValue<MerchantRef>()
        var days = RepeatedValue<CivilDate>()
        var foundOn = RepeatedValue<CivilDate>()
        var firstSeen = RepeatedValue<Timestamp>()
        var lastSeen = RepeatedValue<Timestamp?>()
        try database.select(sql, values) { statement in
            let row = ResultRow(statement, path: location, table: "recon_open_items", keyColumn: 0, providers: providers)
            let kind = try kinds.of(statement.bytes(4)) {
                guard let kind = statement.text(4).flatMap(DiscrepancyKind.init(rawValue:)) else {
                    throw row.bad("kind", statement.text(4), "a discrepancy kind")
                }
                return kind
            }
            let state = try states.of(statement.bytes(11)) {
                guard let state = statement.text(11).flatMap(OpenItem.State.init(rawValue:)) else {
                    throw row.bad("state", statement.text(11), "open, resolved or acknowledged")
                }
                return state
            }
            let amount: Money?
            if let code = statement.text(8), let minor = statement.int64(9) {
                let currency = try currencies.of(statement.bytes(8)) {
                    guard let currency = Currency(code: code) else { throw row.bad("currency", code, CurrencyCodes.expectation) }
                    return currency
                }
                amount = Money(minorUnits: minor, currency: currency)
            } else {
                amount = nil
            }
            let day = try days.of(statement.bytes(3)) { try row.day(3, "day") }
            let merchant = try merchants.of(statement.bytes(1), statement.bytes(2)) { try row.merchant(1, 2) }
            let found = try foundOn.of(statement.bytes(12)) { try row.day(12, "found_on") }
            let first = try firstSeen.of(statement.bytes(14)) { try row.time(14, "first_seen_at") }
            var item = OpenItem(
                id: try row.text(0, "id"), merchant: merchant, day: day, kind: kind, outTradeNo: statement.text(5),
                outRefundNo: statement.text(6), combineOutTradeNo: statement.text(7), amountAtStake: amount,
                explanation: statement.text(10) ?? "", foundOn: found, runID: statement.text(13) ?? "", at: first)
            item.state = state
            item.lastRunID = statement.text(15) ?? ""
            item.lastSeen = try lastSeen.of(statement.bytes(16)) { try row.optionalTime(16, "last_seen_at") } ?? item.firstSeen
            item.resolvedOn = statement.isNull(17) ? nil : try row.day(17, "resolved_on")
            item.resolvedAt = try row.optionalTime(18, "resolved_at")
            item.resolution = statement.text(19)
            item.expectedIn = statement.isNull(23) ? nil : try row.day(23, "expected_in")
            if let by = statement.text(20), let at = try row.optionalTime(21, "ack_at") {
                item.acknowledgement = OpenItem.Acknowledgement(by: by, at: at, note: statement.text(22) ?? "")
            }
            items.append(item)
        }
        return items
    }

    // MARK: Reading results

    /// When the last run that saved results finished; `nil` before the first.
    func lastRunFinished() throws -> Timestamp? {
        guard try database.hasTable("recon_runs") else { return nil }
        var latest: Timestamp?
        try database.select("SELECT finished_at FROM recon_runs", []) { row in
            guard let time = row.text(0).flatMap({ Timestamp(rfc3339: $0) }) else { return }
            if latest.map({ time.epochSeconds > $0.epochSeconds }) ?? true { latest = time }
        }
        return latest
    }

    /// The audit rows, oldest first: what `--apply` changed, when, by whom and why.
    func auditRows() throws -> [AuditRow] {
        guard try database.hasTable("recon_audit") else { return [] }
        var rows: [AuditRow] = []
        try database.select(
            """
            SELECT run_id, at, actor, table_name, key, old_status, new_status, old_values, new_values, evidence
            FROM recon_audit ORDER BY id
            """, []
        ) { statement in
            let row = ResultRow(statement, path: location, table: "recon_audit", keyColumn: 4, providers: providers)
            rows.append(
                AuditRow(
                    runID: try row.text(0, "run_id"), at: try row.text(1, "at"), actor: try row.text(2, "actor"),
                    table: try row.text(3, "table_name"), key: try row.text(4, "key"), oldStatus: row.optionalText(5),
                    newStatus: try row.text(6, "new_status"), oldValues: try row.text(7, "old_values"),
                    newValues: try row.text(8, "new_values"), evidence: try row.text(9, "evidence")))
        }
        return rows
    }

    /// The query attempts a run recorded, in order.
    func queryAttempts(runID: String) throws -> [QueryAttempt] {
        guard try database.hasTable("recon_query_attempts") else { return [] }
        var rows: [QueryAttempt] = []
        try database.select(
            """
            SELECT provider, merchant_id, subject, key, attempt, at, request_id, http_status, code, state, body_sha256, error
            FROM recon_query_attempts WHERE run_id = ?1 ORDER BY provider, merchant_id, subject, key, attempt
            """, [.text(runID)]
        ) { statement in
            let row = ResultRow(statement, path: location, table: "recon_query_attempts", keyColumn: 3, providers: providers)
            rows.append(
                QueryAttempt(
                    subject: try row.text(2, "subject"), key: try row.text(3, "key"), merchant: try row.merchant(0, 1),
                    attempt: Int(try row.int(4, "attempt")), at: try row.time(5, "at"), requestID: try row.text(6, "request_id"),
                    httpStatus: statement.int64(7).map(Int.init), code: row.optionalText(8), state: row.optionalText(9),
                    bodySHA256: row.optionalText(10), error: row.optionalText(11)))
        }
        return rows
    }

    /// The discrepancies kept for `day` (every merchant), ordered by merchant and subject.
    func savedDiscrepancies(on day: CivilDate) throws -> [StoredDiscrepancy] {
        guard try database.hasTable("recon_discrepancies") else { return [] }
        var rows: [StoredDiscrepancy] = []
        try database.select(
            """
            SELECT id, provider, merchant_id, day, kind, coalesce(out_refund_no, out_trade_no, combine_out_trade_no, ''),
                   difference_minor
            FROM recon_discrepancies WHERE day = ?1 ORDER BY provider, merchant_id, 6, kind
            """, [.text(day.description)]
        ) { statement in
            let row = ResultRow(statement, path: location, table: "recon_discrepancies", keyColumn: 0, providers: providers)
            rows.append(
                StoredDiscrepancy(
                    id: try row.text(0, "id"), merchant: try row.merchant(1, 2), day: try row.day(3, "day"),
                    kind: try row.text(4, "kind"), subject: try row.text(5, "out_refund_no, out_trade_no or combine_out_trade_no"),
                    differenceMinor: statement.int64(6)))
        }
        return rows
    }

    /// What each merchant's kept run of each day from `start` through `end` found. Days without a run are absent.
    func runCounts(from start: CivilDate, through end: CivilDate) throws -> [RunCount] {
        guard try database.hasTable("recon_runs") else { return [] }
        var rows: [RunCount] = []
        try database.select(
            """
            SELECT provider, merchant_id, day, alarm_count, discrepancy_count FROM recon_runs
            WHERE day BETWEEN ?1 AND ?2 ORDER BY day, provider, merchant_id
            """, [.text(start.description), .text(end.description)]
        ) { statement in
            let row = ResultRow(statement, path: location, table: "recon_runs", keyColumn: 2, providers: providers)
            let (alarms, total) = (try row.count(3, "alarm_count"), try row.count(4, "discrepancy_count"))
            guard alarms <= total else { throw row.bad("alarm_count", String(alarms), "at most discrepancy_count (\(total))") }
            rows.append(RunCount(merchant: try row.merchant(0, 1), day: try row.day(2, "day"), alarms: alarms, carried: total - alarms))
        }
        return rows
    }

    /// The (merchant, day, run id) of every run kept, in order.
    func savedRuns() throws -> [(merchant: MerchantRef, day: CivilDate, runID: String)] {
        guard try database.hasTable("recon_runs") else { return [] }
        var rows: [(MerchantRef, CivilDate, String)] = []
        try database.select("SELECT provider, merchant_id, day, run_id FROM recon_runs ORDER BY day, provider, merchant_id", []) {
            statement in
            let row = ResultRow(statement, path: location, table: "recon_runs", keyColumn: 2, providers: providers)
            rows.append((try row.merchant(0, 1), try row.day(2, "day"), try row.text(3, "run_id")))
        }
        return rows
    }
}
