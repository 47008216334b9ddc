/// Where the open items are kept, the same in SQLite and PostgreSQL.
///
/// What an item is and where it stands is a row of `recon_items`; the run that last found it, and
/// when, is a narrow row of `recon_item_sightings`. A rerun finds most items again as they were,
/// and rewrites only their sightings. The view `recon_open_items` joins the two into one row per
/// item, with the columns and order the single table had before migration 7 (SQLite) or 2
/// (PostgreSQL), so queries written against it read the same rows.
enum OpenItemTables {
    /// The columns of a sighting; the rest of the view's are `recon_items`'.
    static let sightingColumns = ["id", "last_run_id", "last_seen_at"]

    /// The view, as both databases read it. Written out rather than built from a list of
    /// columns, so that the migrations creating it never change.
    static let view = """
        CREATE VIEW recon_open_items AS
        SELECT i.id, i.provider, i.merchant_id, i.day, i.kind, i.out_trade_no, i.out_refund_no, i.combine_out_trade_no,
               i.currency, i.at_stake_minor, i.explanation, i.state, i.found_on, i.first_run_id, i.first_seen_at,
               s.last_run_id, s.last_seen_at, i.resolved_on, i.resolved_at, i.resolution, i.ack_by, i.ack_at, i.ack_note,
               i.expected_in
        FROM recon_items i JOIN recon_item_sightings s ON s.id = i.id
        """

    /// Copies each item's sighting out of the single table, before its two columns are dropped.
    static let copySightings = """
        INSERT INTO recon_item_sightings (id, last_run_id, last_seen_at)
        SELECT id, last_run_id, last_seen_at FROM recon_open_items
        """
}
