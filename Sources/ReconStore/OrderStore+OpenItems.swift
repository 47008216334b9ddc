import Foundation
import ReconCore

/// What a run does to the open items, inside the transaction that saves its results.
public struct OpenItemsUpdate {
    /// The days the run reconciled.
    public var days: [CivilDate]
    /// Given the items the run may touch, returns the ones it created or changed.
    public var advance: ([OpenItem]) throws -> [OpenItem]

    /// Creates an update.
    public init(days: [CivilDate], advance: @escaping ([OpenItem]) throws -> [OpenItem]) {
        self.days = days
        self.advance = advance
    }
}

extension OrderStore {
    private static let openItemColumns = """
        id, provider, merchant_id, day, kind, out_trade_no, out_refund_no, combine_out_trade_no, currency,
        at_stake_minor, explanation, state, found_on, first_run_id, first_seen_at, last_run_id, last_seen_at,
        resolved_on, resolved_at, resolution, ack_by, ack_at, ack_note, expected_in
        """

    /// The open items, oldest day first, or the items in any of `states`.
    public func openItems(in states: Set<OpenItem.State> = [.open]) throws -> [OpenItem] {
        try wrap {
            guard try database.objectType(named: "recon_open_items") != nil else { return [] }
            let list = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
            return try readOpenItems(
                "SELECT \(Self.openItemColumns) FROM recon_open_items WHERE state IN (\(list))", [])
                .sorted(by: OpenItem.listOrder)
        }
    }

    /// One item by id, whatever its state; `nil` when there is none.
    public func openItem(id: String) throws -> OpenItem? {
        try wrap {
            guard try database.objectType(named: "recon_open_items") != nil else { return nil }
            return try readOpenItems("SELECT \(Self.openItemColumns) FROM recon_open_items WHERE id = ?1", [.text(id)]).first
        }
    }

    /// Records that someone acknowledged item `id`: who, when and why.
    /// - Throws: ``StoreError/noSuchItem(path:id:)`` when there is no such item, and
    ///   ``StoreError/notOpen(path:reason:)`` when it is already resolved or acknowledged.
    /// - Returns: The acknowledged item.
    @discardableResult
    public func acknowledge(id: String, _ acknowledgement: OpenItem.Acknowledgement) throws -> OpenItem {
        try wrap {
            try database.transaction(immediate: true) {
                try StoreMigrations.migrate(database)
                guard var item = try readOpenItems(
                    "SELECT \(Self.openItemColumns) FROM recon_open_items WHERE id = ?1", [.text(id)]
                ).first else { throw StoreError.noSuchItem(path: path, id: id) }
                do {
                    try item.acknowledge(acknowledgement)
                } catch let error as OpenItemError {
                    throw StoreError.notOpen(path: path, reason: error.description)
                }
                try writeOpenItems([item])
                return item
            }
        }
    }

    /// When the last run that saved results finished; `nil` before the first.
    public func lastRunFinished() throws -> Timestamp? {
        try wrap {
            guard try database.objectType(named: "recon_runs") != nil else { return nil }
            let statement = try database.prepare("SELECT finished_at FROM recon_runs")
            var latest: Timestamp?
            while try statement.step() {
                guard let time = statement.text(0).flatMap({ Timestamp(rfc3339: $0) }) else { continue }
                if latest.map({ time.epochSeconds > $0.epochSeconds }) ?? true { latest = time }
            }
            return latest
        }
    }

    /// The open items `update` may touch; `nil` when it names no day. Called inside the results'
    /// transaction, after the migrations.
    func openItems(touchedBy update: OpenItemsUpdate) throws -> [OpenItem]? {
        guard let first = update.days.min(), let last = update.days.max() else { return nil }
        let (low, high) = (first.adding(days: -1).description, last.adding(days: 1).description)
        return try readOpenItems(
            """
            SELECT \(Self.openItemColumns) FROM recon_open_items
            WHERE state = 'open' OR (state = 'acknowledged' AND resolved_on IS NULL)
               OR day BETWEEN ?1 AND ?2 OR resolved_on BETWEEN ?1 AND ?2
            """, [.text(low), .text(high)])
    }

    func writeOpenItems(_ items: [OpenItem]) throws {
        guard !items.isEmpty else { return }
        let insert = try database.prepare(
            """
            INSERT OR REPLACE INTO recon_open_items (\(Self.openItemColumns))
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
            """)
        for item in items {
            try insert.run([
                .text(item.id), .text(item.merchant.provider.rawValue), .text(item.merchant.merchantID),
                .text(item.day.description), .text(item.kind.rawValue), .optional(item.outTradeNo),
                .optional(item.outRefundNo), .optional(item.combineOutTradeNo), .optional(item.amountAtStake?.currency.code),
                .optional(item.amountAtStake?.minorUnits), .text(item.explanation), .text(item.state.rawValue),
                .text(item.foundOn.description), .text(item.firstRunID), .text(item.firstSeen.rfc3339),
                .text(item.lastRunID), .text(item.lastSeen.rfc3339), .optional(item.resolvedOn?.description),
                .optional(item.resolvedAt?.rfc3339), .optional(item.resolution), .optional(item.acknowledgement?.by),
                .optional(item.acknowledgement?.at.rfc3339), .optional(item.acknowledgement?.note),
                .optional(item.expectedIn?.description),
            ])
        }
    }

    private func readOpenItems(_ sql: String, _ values: [SQLiteValue]) throws -> [OpenItem] {
        let statement = try database.prepare(sql)
        try statement.bind(values)
        var items: [OpenItem] = []
        while try statement.step() {
            let id = statement.text(0) ?? ""
            func bad(_ column: String, _ value: String?, _ expected: String) -> StoreError {
                .badValue(path: path, table: "recon_open_items", key: id, column: column, value: value ?? "NULL", expected: expected)
            }
            func day(_ column: Int32, _ name: String) throws -> CivilDate {
                guard let day = statement.text(column).flatMap(CivilDate.init) else { throw bad(name, statement.text(column), "a day") }
                return day
            }
            func time(_ column: Int32, _ name: String) throws -> Timestamp? {
                guard let text = statement.text(column) else { return nil }
                guard let time = Timestamp(rfc3339: text) else { throw bad(name, text, Self.timeExpectation) }
                return time
            }
            guard let kind = statement.text(4).flatMap(DiscrepancyKind.init(rawValue:)) else {
                throw bad("kind", statement.text(4), "a discrepancy kind")
            }
            guard let state = statement.text(11).flatMap(OpenItem.State.init(rawValue:)) else {
                throw bad("state", statement.text(11), "open, resolved or acknowledged")
            }
            let amount: Money?
            if let code = statement.text(8), let minor = statement.int64(9) {
                guard let currency = Currency(code: code) else { throw bad("currency", code, "an ISO 4217 code") }
                amount = Money(minorUnits: minor, currency: currency)
            } else {
                amount = nil
            }
            let merchant = MerchantRef(provider: ProviderID(rawValue: statement.text(1) ?? ""), merchantID: statement.text(2) ?? "")
            var item = OpenItem(
                Discrepancy(
                    kind: kind, day: try day(3, "day"), merchant: merchant, outTradeNo: statement.text(5),
                    outRefundNo: statement.text(6), combineOutTradeNo: statement.text(7), amountAtStake: amount,
                    explanation: statement.text(10) ?? ""),
                foundOn: try day(12, "found_on"), runID: statement.text(13) ?? "",
                at: try time(14, "first_seen_at") ?? Timestamp(epochSeconds: 0))
            item.id = id
            item.state = state
            item.lastRunID = statement.text(15) ?? ""
            item.lastSeen = try time(16, "last_seen_at") ?? item.firstSeen
            item.resolvedOn = statement.isNull(17) ? nil : try day(17, "resolved_on")
            item.resolvedAt = try time(18, "resolved_at")
            item.resolution = statement.text(19)
            item.expectedIn = statement.isNull(23) ? nil : try day(23, "expected_in")
            if let by = statement.text(20), let at = try time(21, "ack_at") {
                item.acknowledgement = OpenItem.Acknowledgement(by: by, at: at, note: statement.text(22) ?? "")
            }
            items.append(item)
        }
        return items
    }
}
