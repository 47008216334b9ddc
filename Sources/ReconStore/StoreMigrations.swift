/// The job's own schema, versioned with `PRAGMA user_version`.
///
/// Each migration runs once, in order, inside the transaction that saves a run's results (or in
/// `order-recon store migrate`). Indexes on the merchant's tables are created only when those are
/// tables, not views.
enum StoreMigrations {
    struct Migration: Sendable {
        let version: Int
        let apply: @Sendable (SQLiteDatabase) throws -> Void
    }

    /// The audit of the changes `--apply` makes, kept beside the tables it changes.
    static let auditTable = """
        CREATE TABLE IF NOT EXISTS recon_audit (
            id          INTEGER PRIMARY KEY,
            run_id      TEXT NOT NULL,
            at          TEXT NOT NULL,
            actor       TEXT NOT NULL,
            table_name  TEXT NOT NULL,
            key         TEXT NOT NULL,
            old_status  TEXT,
            new_status  TEXT NOT NULL,
            old_values  TEXT NOT NULL,
            new_values  TEXT NOT NULL,
            evidence    TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS recon_audit_key ON recon_audit (table_name, key);
        """

    static let all: [Migration] = [
        Migration(version: 1) { database in
            try database.execute(
                """
                CREATE TABLE recon_runs (
                    provider          TEXT NOT NULL,
                    merchant_id       TEXT NOT NULL,
                    day               TEXT NOT NULL,
                    run_id            TEXT NOT NULL,
                    started_at        TEXT NOT NULL,
                    finished_at       TEXT NOT NULL,
                    bills             TEXT NOT NULL,
                    discrepancy_count INTEGER NOT NULL,
                    alarm_count       INTEGER NOT NULL,
                    summary           TEXT NOT NULL,
                    PRIMARY KEY (provider, merchant_id, day)
                );
                CREATE TABLE recon_discrepancies (
                    id                   TEXT PRIMARY KEY,
                    provider             TEXT NOT NULL,
                    merchant_id          TEXT NOT NULL,
                    day                  TEXT NOT NULL,
                    kind                 TEXT NOT NULL,
                    out_trade_no         TEXT,
                    out_refund_no        TEXT,
                    combine_out_trade_no TEXT,
                    currency             TEXT,
                    local_amount_minor   INTEGER,
                    bill_amount_minor    INTEGER,
                    difference_minor     INTEGER,
                    at_stake_minor       INTEGER,
                    local_status         TEXT,
                    bill_status          TEXT,
                    local_time           TEXT,
                    bill_time            TEXT,
                    bill_rows            TEXT,
                    explanation          TEXT NOT NULL,
                    FOREIGN KEY (provider, merchant_id, day)
                        REFERENCES recon_runs (provider, merchant_id, day) ON DELETE CASCADE
                );
                CREATE INDEX recon_discrepancies_day ON recon_discrepancies (provider, merchant_id, day);
                """)
            if try database.objectType(named: "orders") == "table" {
                try createOrdersDayIndex(database)
                if try database.columns(of: "orders").contains("combine_out_trade_no") {
                    try database.execute(
                        "CREATE INDEX IF NOT EXISTS recon_orders_combine ON orders (combine_out_trade_no);")
                }
            }
            if try database.objectType(named: "refunds") == "table" {
                try database.execute(
                    "CREATE INDEX IF NOT EXISTS recon_refunds_day ON refunds (unixepoch(created_at));")
            }
        },
        // The day index becomes a covering index.
        Migration(version: 2) { database in
            if try database.objectType(named: "orders") == "table" { try createOrdersDayIndex(database) }
        },
        // Partial indexes over the rows pending selection reads: PENDING, or with a last error code.
        Migration(version: 3) { database in
            if try database.objectType(named: "orders") == "table" {
                let code = try database.columns(of: "orders").contains("last_error_code")
                    ? " OR coalesce(last_error_code, '') <> ''" : ""
                try database.execute(
                    """
                    CREATE INDEX IF NOT EXISTS recon_orders_uncertain
                    ON orders (provider, merchant_id, unixepoch(coalesce(paid_at, created_at)))
                    WHERE (status = 'PENDING'\(code));
                    """)
            }
            if try database.objectType(named: "refunds") == "table" {
                let code = try database.columns(of: "refunds").contains("last_error_code")
                    ? " OR coalesce(last_error_code, '') <> ''" : ""
                try database.execute(
                    """
                    CREATE INDEX IF NOT EXISTS recon_refunds_uncertain ON refunds (unixepoch(created_at))
                    WHERE (status = 'PENDING'\(code));
                    """)
            }
        },
        // The provider leg: the query's side of discrepancies, every query attempt, and the audit
        // of changes `--apply` makes to the merchant's tables.
        Migration(version: 4) { database in
            let present = Set(try database.columns(of: "recon_discrepancies"))
            for (column, type) in [("query_status", "TEXT"), ("query_amount_minor", "INTEGER"), ("suggested_status", "TEXT")]
            where !present.contains(column) {
                try database.execute("ALTER TABLE recon_discrepancies ADD COLUMN \(column) \(type)")
            }
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS recon_query_attempts (
                    run_id       TEXT NOT NULL,
                    provider     TEXT NOT NULL,
                    merchant_id  TEXT NOT NULL,
                    subject      TEXT NOT NULL,
                    key          TEXT NOT NULL,
                    attempt      INTEGER NOT NULL,
                    at           TEXT NOT NULL,
                    request_id   TEXT NOT NULL,
                    http_status  INTEGER,
                    code         TEXT,
                    state        TEXT,
                    body_sha256  TEXT,
                    error        TEXT,
                    PRIMARY KEY (run_id, provider, merchant_id, subject, key, attempt)
                );
                CREATE INDEX IF NOT EXISTS recon_query_attempts_key ON recon_query_attempts (provider, merchant_id, key);
                """ + auditTable)
        },
        // Open items: each discrepancy from the run that found it until it clears or is
        // acknowledged. The results already kept start as open items of their own day.
        Migration(version: 5) { database in
            try database.execute(
                """
                CREATE TABLE IF NOT EXISTS recon_open_items (
                    id                   TEXT PRIMARY KEY,
                    provider             TEXT NOT NULL,
                    merchant_id          TEXT NOT NULL,
                    day                  TEXT NOT NULL,
                    kind                 TEXT NOT NULL,
                    out_trade_no         TEXT,
                    out_refund_no        TEXT,
                    combine_out_trade_no TEXT,
                    currency             TEXT,
                    at_stake_minor       INTEGER,
                    explanation          TEXT NOT NULL,
                    state                TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'acknowledged')),
                    found_on             TEXT NOT NULL,
                    first_run_id         TEXT NOT NULL,
                    first_seen_at        TEXT NOT NULL,
                    last_run_id          TEXT NOT NULL,
                    last_seen_at         TEXT NOT NULL,
                    resolved_on          TEXT,
                    resolved_at          TEXT,
                    resolution           TEXT,
                    ack_by               TEXT,
                    ack_at               TEXT,
                    ack_note             TEXT,
                    expected_in          TEXT
                );
                CREATE INDEX IF NOT EXISTS recon_open_items_state ON recon_open_items (state, day);
                CREATE INDEX IF NOT EXISTS recon_open_items_resolved_on ON recon_open_items (resolved_on);
                INSERT OR IGNORE INTO recon_open_items (id, provider, merchant_id, day, kind, out_trade_no, out_refund_no,
                    combine_out_trade_no, currency, at_stake_minor, explanation, state, found_on, first_run_id,
                    first_seen_at, last_run_id, last_seen_at)
                SELECT d.id, d.provider, d.merchant_id, d.day, d.kind, d.out_trade_no, d.out_refund_no,
                    d.combine_out_trade_no, d.currency, d.at_stake_minor, d.explanation, 'open', d.day, r.run_id,
                    r.finished_at, r.run_id, r.finished_at
                FROM recon_discrepancies d
                JOIN recon_runs r ON r.provider = d.provider AND r.merchant_id = d.merchant_id AND r.day = d.day;
                """)
        },
        // Partial indexes over the rows whose time has no offset: normally empty, they make the
        // check that no such row is near a day the run reads cost nothing.
        Migration(version: 6) { database in
            if try database.objectType(named: "orders") == "table" {
                try database.execute(
                    """
                    CREATE INDEX IF NOT EXISTS recon_orders_naive
                    ON orders (provider, merchant_id, unixepoch(coalesce(paid_at, created_at)))
                    WHERE \(OrderStore.isNaive("coalesce(paid_at, created_at)"));
                    """)
            }
            if try database.objectType(named: "refunds") == "table" {
                try database.execute(
                    "CREATE INDEX IF NOT EXISTS recon_refunds_naive ON refunds (unixepoch(created_at)) WHERE \(OrderStore.isNaive("created_at"));")
            }
        },
        // Open items in two tables joined by the view `recon_open_items` (``OpenItemTables``): a
        // rerun rewrites the narrow sightings of the items it finds again, not their whole rows.
        // The rows are copied into new tables and the old one dropped, so that a merchant's own
        // views of `recon_open_items` read the view of that name after. A trigger on the table
        // would go with it: the migration stops instead, naming it.
        Migration(version: 7) { database in
            let triggers = try database.prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'recon_open_items' ORDER BY name")
            var names: [String] = []
            while try triggers.step() { names.append("trigger '\(triggers.text(0) ?? "")'") }
            guard names.isEmpty else { throw StoreError.dependsOnOpenItems(path: database.path, objects: names) }
            try database.execute(
                """
                CREATE TABLE recon_item_sightings (
                    id           TEXT PRIMARY KEY,
                    last_run_id  TEXT NOT NULL,
                    last_seen_at TEXT NOT NULL
                ) WITHOUT ROWID;
                \(OpenItemTables.copySightings);
                CREATE TABLE recon_items (
                    id                   TEXT PRIMARY KEY,
                    provider             TEXT NOT NULL,
                    merchant_id          TEXT NOT NULL,
                    day                  TEXT NOT NULL,
                    kind                 TEXT NOT NULL,
                    out_trade_no         TEXT,
                    out_refund_no        TEXT,
                    combine_out_trade_no TEXT,
                    currency             TEXT,
                    at_stake_minor       INTEGER,
                    explanation          TEXT NOT NULL,
                    state                TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'acknowledged')),
                    found_on             TEXT NOT NULL,
                    first_run_id         TEXT NOT NULL,
                    first_seen_at        TEXT NOT NULL,
                    resolved_on          TEXT,
                    resolved_at          TEXT,
                    resolution           TEXT,
                    ack_by               TEXT,
                    ack_at               TEXT,
                    ack_note             TEXT,
                    expected_in          TEXT
                );
                INSERT INTO recon_items SELECT id, provider, merchant_id, day, kind, out_trade_no, out_refund_no,
                    combine_out_trade_no, currency, at_stake_minor, explanation, state, found_on, first_run_id,
                    first_seen_at, resolved_on, resolved_at, resolution, ack_by, ack_at, ack_note, expected_in
                FROM recon_open_items;
                DROP TABLE recon_open_items;
                CREATE INDEX recon_items_state ON recon_items (state, day);
                CREATE INDEX recon_items_resolved_on ON recon_items (resolved_on);
                \(OpenItemTables.view);
                """)
        },
    ]

    /// Creates `recon_orders_day`, the index a day's read of one merchant's orders walks, or
    /// rebuilds it when it has another shape.
    ///
    /// Besides the merchant and the day's time, the index holds every column that read takes, so
    /// the read never visits the table: on a million orders this halves SQLite's part of the read,
    /// at the cost of an index about a third the size of the table.
    static func createOrdersDayIndex(_ database: SQLiteDatabase) throws {
        let combine = try database.columns(of: "orders").contains("combine_out_trade_no") ? ", combine_out_trade_no" : ""
        let definition =
            "CREATE INDEX recon_orders_day ON orders (provider, merchant_id, unixepoch(coalesce(paid_at, created_at)), "
            + "out_trade_no, amount_minor, currency, status, created_at, paid_at\(combine))"
        let statement = try database.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'recon_orders_day'")
        let existing = try statement.step() ? statement.text(0) : nil
        statement.reset()
        if existing == definition { return }
        if existing != nil { try database.execute("DROP INDEX recon_orders_day") }
        try database.execute(definition)
    }

    /// The schema version this build writes.
    static var latestVersion: Int { all.last?.version ?? 0 }

    /// Applies every migration newer than the database's version.
    static func migrate(_ database: SQLiteDatabase) throws {
        let current = try database.userVersion
        guard current <= latestVersion else {
            throw StoreError.newerSchema(path: database.path, version: current, supported: latestVersion)
        }
        for migration in all where migration.version > current {
            try migration.apply(database)
            try database.setUserVersion(migration.version)
        }
    }
}
