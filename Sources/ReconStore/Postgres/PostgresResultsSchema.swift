/// The job's own tables in a PostgreSQL results database: the SQLite file's `recon_*` tables
/// (without `recon_audit`, which `--apply` keeps beside the orders it changes), with days as
/// `date` and times as the RFC 3339 text the reports print, and `recon_shard_runs`, which says
/// which shard of which night saved what.
///
/// The version is kept in `recon_schema`; the schema is created or upgraded inside the
/// transaction that saves a run, under a transaction-wide advisory lock, so workers starting
/// together never create it twice.
enum PostgresResultsSchema {
    /// The advisory-lock key the schema is changed under (`"order-recon schema"` as two `int4`s).
    static let lockKey = (Int32(0x6F72_6465), Int32(0x7363_6865))

    /// The newest version this build writes.
    static let version = 2

    static let migrations: [Int: String] = [
        1: """
            CREATE TABLE recon_runs (
                provider          text NOT NULL,
                merchant_id       text NOT NULL,
                day               date NOT NULL,
                run_id            text NOT NULL,
                started_at        text NOT NULL,
                finished_at       text NOT NULL,
                bills             text NOT NULL,
                discrepancy_count integer NOT NULL,
                alarm_count       integer NOT NULL,
                summary           text NOT NULL,
                PRIMARY KEY (provider, merchant_id, day)
            );
            CREATE TABLE recon_discrepancies (
                id                   text PRIMARY KEY,
                provider             text NOT NULL,
                merchant_id          text NOT NULL,
                day                  date NOT NULL,
                kind                 text NOT NULL,
                out_trade_no         text,
                out_refund_no        text,
                combine_out_trade_no text,
                currency             text,
                local_amount_minor   bigint,
                bill_amount_minor    bigint,
                difference_minor     bigint,
                at_stake_minor       bigint,
                local_status         text,
                bill_status          text,
                local_time           text,
                bill_time            text,
                bill_rows            text,
                explanation          text NOT NULL,
                query_status         text,
                query_amount_minor   bigint,
                suggested_status     text,
                FOREIGN KEY (provider, merchant_id, day)
                    REFERENCES recon_runs (provider, merchant_id, day) ON DELETE CASCADE
            );
            CREATE INDEX recon_discrepancies_day ON recon_discrepancies (provider, merchant_id, day);
            CREATE INDEX recon_discrepancies_by_day ON recon_discrepancies (day);
            CREATE TABLE recon_query_attempts (
                run_id       text NOT NULL,
                provider     text NOT NULL,
                merchant_id  text NOT NULL,
                subject      text NOT NULL,
                key          text NOT NULL,
                attempt      integer NOT NULL,
                at           text NOT NULL,
                request_id   text NOT NULL,
                http_status  integer,
                code         text,
                state        text,
                body_sha256  text,
                error        text,
                PRIMARY KEY (run_id, provider, merchant_id, subject, key, attempt)
            );
            CREATE INDEX recon_query_attempts_key ON recon_query_attempts (provider, merchant_id, key);
            CREATE TABLE recon_open_items (
                id                   text PRIMARY KEY,
                provider             text NOT NULL,
                merchant_id          text NOT NULL,
                day                  date NOT NULL,
                kind                 text NOT NULL,
                out_trade_no         text,
                out_refund_no        text,
                combine_out_trade_no text,
                currency             text,
                at_stake_minor       bigint,
                explanation          text NOT NULL,
                state                text NOT NULL CHECK (state IN ('open', 'resolved', 'acknowledged')),
                found_on             date NOT NULL,
                first_run_id         text NOT NULL,
                first_seen_at        text NOT NULL,
                last_run_id          text NOT NULL,
                last_seen_at         text NOT NULL,
                resolved_on          date,
                resolved_at          text,
                resolution           text,
                ack_by               text,
                ack_at               text,
                ack_note             text,
                expected_in          date
            );
            CREATE INDEX recon_open_items_state ON recon_open_items (state, day);
            CREATE INDEX recon_open_items_resolved_on ON recon_open_items (resolved_on);
            CREATE TABLE recon_shard_runs (
                day          date NOT NULL,
                shard_index  integer NOT NULL CHECK (shard_index >= 0),
                shard_count  integer NOT NULL CHECK (shard_index < shard_count),
                run_id       text NOT NULL,
                host         text NOT NULL,
                started_at   text NOT NULL,
                finished_at  text NOT NULL,
                merchants    integer NOT NULL,
                report       text NOT NULL,
                PRIMARY KEY (day, shard_count, shard_index)
            );
            """,
        // Open items in two tables joined by the view `recon_open_items` (``OpenItemTables``). The
        // table is renamed, so a merchant's own views of it read `recon_items` after; one that
        // reads the two columns dropped stops the upgrade first (``viewsOfSightings``).
        2: """
            CREATE TABLE recon_item_sightings (
                id           text PRIMARY KEY,
                last_run_id  text NOT NULL,
                last_seen_at text NOT NULL
            );
            \(OpenItemTables.copySightings);
            ALTER TABLE recon_open_items DROP COLUMN last_run_id, DROP COLUMN last_seen_at;
            ALTER TABLE recon_open_items RENAME TO recon_items;
            ALTER INDEX recon_open_items_pkey RENAME TO recon_items_pkey;
            ALTER INDEX recon_open_items_state RENAME TO recon_items_state;
            ALTER INDEX recon_open_items_resolved_on RENAME TO recon_items_resolved_on;
            \(OpenItemTables.view);
            """,
    ]

    /// The views that read the columns version 2 moves out of `recon_open_items`, which PostgreSQL
    /// will not drop under them.
    private static let viewsOfSightings = """
        SELECT DISTINCT v.relname FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid
        JOIN pg_class v ON v.oid = r.ev_class
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.refobjid = 'recon_open_items'::regclass AND v.oid <> d.refobjid
          AND a.attname IN ('last_run_id', 'last_seen_at')
        ORDER BY 1
        """

    /// Creates or upgrades the tables; called inside a transaction.
    /// - Throws: ``StoreError/newerSchema(path:version:supported:)`` when a newer build wrote them;
    ///   ``StoreError/dependsOnOpenItems(path:objects:)`` when a view stops version 2.
    static func migrate(_ connection: PostgresConnection) throws {
        _ = try connection.query("SELECT pg_advisory_xact_lock(\(lockKey.0), \(lockKey.1))")
        // Created only when missing, so a role that may only read and write the tables can save.
        if try !connection.hasTable("recon_schema") { try connection.execute("CREATE TABLE recon_schema (version integer NOT NULL)") }
        let kept = try connection.query("SELECT max(version) FROM recon_schema").rows.first?.int64(0).map(Int.init) ?? 0
        guard kept <= version else {
            throw StoreError.newerSchema(path: connection.location, version: kept, supported: version)
        }
        guard kept < version else { return }
        if kept == 1 {
            let views = try connection.query(viewsOfSightings).rows.map { "view '\($0.text(0) ?? "")'" }
            guard views.isEmpty else { throw StoreError.dependsOnOpenItems(path: connection.location, objects: views) }
        }
        for next in (kept + 1)...version { try connection.execute(migrations[next]!) }
        try connection.execute("DELETE FROM recon_schema; INSERT INTO recon_schema (version) VALUES (\(version))")
    }
}
