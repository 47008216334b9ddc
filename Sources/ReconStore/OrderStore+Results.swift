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

extension OrderStore {
    /// Replaces the results of every (merchant, day) in `records`, in one transaction that also
    /// applies pending migrations. If anything fails, nothing is written.
    public func save(_ records: [RunRecord]) throws {
        try wrap {
            try database.transaction(immediate: true) {
                try StoreMigrations.migrate(database)
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
                        .text(record.merchant.provider.rawValue), .text(record.merchant.merchantID),
                        .text(record.day.description),
                    ]
                    try clear.run(key)
                    try run.run(
                        key + [
                            .text(record.runID), .text(record.startedAt.rfc3339), .text(record.finishedAt.rfc3339),
                            .text(record.billsJSON), .integer(Int64(record.discrepancies.count)),
                            .integer(Int64(record.discrepancies.filter(\.kind.isAlarm).count)),
                            .text(record.summaryJSON),
                        ])
                    for discrepancy in record.discrepancies {
                        try insert.run([.text(discrepancy.id)] + key + Self.columns(of: discrepancy))
                    }
                }
            }
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
                rows.append(
                    StoredDiscrepancy(
                        id: statement.text(0) ?? "",
                        merchant: MerchantRef(provider: ProviderID(rawValue: statement.text(1) ?? ""), merchantID: statement.text(2) ?? ""),
                        day: CivilDate(statement.text(3) ?? "") ?? day, kind: statement.text(4) ?? "",
                        subject: statement.text(5) ?? "", differenceMinor: statement.int64(6)))
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
                rows.append(
                    (MerchantRef(provider: ProviderID(rawValue: statement.text(0) ?? ""), merchantID: statement.text(1) ?? ""),
                     CivilDate(statement.text(2) ?? "") ?? CivilDate(daysSinceEpoch: 0), statement.text(3) ?? ""))
            }
            return rows
        }
    }
}
