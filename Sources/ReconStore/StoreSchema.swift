/// The tables the merchant fills (`orders`, `refunds`) and the columns the job reads from them.
///
/// Merchants may create these tables with ``createMerchantTables`` or expose views with the same
/// column names. Required columns must exist; optional ones are read as NULL when absent.
public enum StoreSchema {
    /// The SQL condition that a row may need a query: its `status` is PENDING or its
    /// `lastErrorCode` column holds a code (``NULL`` when the table has none).
    static func uncertain(status: String, lastErrorCode: String) -> String {
        "(\(status) = 'PENDING' OR coalesce(\(lastErrorCode), '') <> '')"
    }

    /// A column the job reads.
    public struct Column: Sendable, Hashable {
        /// The column name.
        public let name: String
        /// `true` when the job cannot work without it.
        public let isRequired: Bool
        /// What the column holds, for documentation and error messages.
        public let meaning: String
    }

    /// Columns of `orders`.
    public static let orderColumns: [Column] = [
        Column(name: "out_trade_no", isRequired: true, meaning: "merchant order number (sub-order number for combine payments)"),
        Column(name: "combine_out_trade_no", isRequired: false, meaning: "parent combine order, NULL otherwise"),
        Column(name: "provider", isRequired: true, meaning: "'wechatpay' or 'gateway'"),
        Column(name: "merchant_id", isRequired: true, meaning: "merchant id at the provider (mchid / merchant number)"),
        Column(name: "amount_minor", isRequired: true, meaning: "order amount in minor units (fen), INTEGER"),
        Column(name: "currency", isRequired: true, meaning: "ISO 4217 code, such as CNY"),
        Column(name: "status", isRequired: true, meaning: "PENDING, PAID, CLOSED, FAILED, REFUNDED or PARTIALLY_REFUNDED"),
        Column(name: "last_error_code", isRequired: false, meaning: "provider code of the last unsuccessful payment call"),
        Column(name: "provider_txn_id", isRequired: false, meaning: "provider transaction id when known"),
        Column(name: "created_at", isRequired: true, meaning: "RFC 3339 time with offset"),
        Column(name: "paid_at", isRequired: true, meaning: "RFC 3339 time with offset, NULL until paid"),
        Column(name: "updated_at", isRequired: false, meaning: "RFC 3339 time with offset"),
    ]

    /// Columns of `refunds`.
    public static let refundColumns: [Column] = [
        Column(name: "out_refund_no", isRequired: true, meaning: "merchant refund number"),
        Column(name: "out_trade_no", isRequired: true, meaning: "the refunded order (its currency applies)"),
        Column(name: "amount_minor", isRequired: true, meaning: "refund amount in minor units, INTEGER"),
        Column(name: "status", isRequired: true, meaning: "PENDING, SUCCESS or FAILED"),
        Column(name: "last_error_code", isRequired: false, meaning: "provider code of the last unsuccessful refund call"),
        Column(name: "created_at", isRequired: true, meaning: "RFC 3339 time with offset: when the refund was requested"),
        Column(name: "succeeded_at", isRequired: false, meaning: "RFC 3339 time with offset, NULL until it succeeds"),
    ]

    /// DDL for merchants without tables of their own (`order-recon store init`).
    public static let createMerchantTables = """
        CREATE TABLE IF NOT EXISTS orders (
            out_trade_no         TEXT PRIMARY KEY,
            combine_out_trade_no TEXT,
            provider             TEXT NOT NULL,
            merchant_id          TEXT NOT NULL,
            amount_minor         INTEGER NOT NULL,
            currency             TEXT NOT NULL,
            status               TEXT NOT NULL CHECK (status IN
                                   ('PENDING', 'PAID', 'CLOSED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED')),
            last_error_code      TEXT,
            provider_txn_id      TEXT,
            created_at           TEXT NOT NULL,
            paid_at              TEXT,
            updated_at           TEXT
        );
        CREATE TABLE IF NOT EXISTS refunds (
            out_refund_no   TEXT PRIMARY KEY,
            out_trade_no    TEXT NOT NULL REFERENCES orders (out_trade_no),
            amount_minor    INTEGER NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('PENDING', 'SUCCESS', 'FAILED')),
            last_error_code TEXT,
            created_at      TEXT NOT NULL,
            succeeded_at    TEXT
        );
        """
}
