import Foundation
import ReconCore

/// Renders a ``DayReport`` as JSON for machines and archives.
///
/// The same report always renders to the same bytes: keys are sorted, lists keep report order,
/// absent values are written as `null`, and money is integer minor units next to its currency.
/// Everything that changes from run to run (the run id and timestamps) is under the top-level
/// `"run"` key and nowhere else.
public enum JSONReportRenderer {
    /// The report format's name and version, written as `"format"`.
    public static let format = "order-recon.day-report/1"

    /// The report as pretty-printed UTF-8 JSON with a final newline.
    public static func render(_ report: DayReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.codes] = report.codes
        var data = try encoder.encode(Document(report))
        data.append(0x0A)
        return data
    }

    private struct Document: Encodable {
        let report: DayReport
        init(_ report: DayReport) { self.report = report }

        enum Keys: String, CodingKey {
            case format, day, scope, timeZones = "time_zones", boundaryGraceSeconds = "boundary_grace_seconds", inputs, local,
                bill, matching, counts, amountAtStake = "amount_at_stake", unreconciled, queries, discrepancies,
                openItems = "open_items", run
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let statistics = report.statistics
            try container.encode(JSONReportRenderer.format, forKey: .format)
            try container.encode(report.day.description, forKey: .day)
            try container.encode(
                Dictionary(uniqueKeysWithValues: report.zones.map { ($0.key.rawValue, $0.value) }), forKey: .timeZones)
            try container.encode(report.graceSeconds, forKey: .boundaryGraceSeconds)
            try container.encode(Inputs(store: report.store, bills: report.bills), forKey: .inputs)
            if let scope = report.scope {
                try container.encode(["provider": scope.provider.rawValue, "merchant_id": scope.merchantID], forKey: .scope)
            } else {
                try container.encode(
                    LocalSide(
                        orders: statistics.localOrders,
                        byStatus: Dictionary(uniqueKeysWithValues: statistics.localOrdersByStatus.map { ($0.key.rawValue, $0.value) }),
                        paid: statistics.localPaid.amounts.map(Amount.init), refunds: statistics.localRefunds,
                        refundsByStatus: Dictionary(
                            uniqueKeysWithValues: statistics.localRefundsByStatus.map { ($0.key.rawValue, $0.value) }),
                        refunded: statistics.localRefunded.amounts.map(Amount.init)),
                    forKey: .local)
                try container.encode(
                    BillSide(
                        payments: statistics.billPayments, refunds: statistics.billRefunds,
                        paid: statistics.billPaid.amounts.map(Amount.init),
                        refunded: statistics.billRefunded.amounts.map(Amount.init)),
                    forKey: .bill)
                try container.encode(
                    ["matched_rows": statistics.matchedRows, "matched_across_boundary": statistics.matchedAcrossBoundary],
                    forKey: .matching)
            }
            var byKind: [String: Int] = [:]
            for (kind, count) in report.countsByKind { byKind[kind.rawValue] = count }
            try container.encode(
                Counts(total: report.discrepancies.count, alarms: report.alarms.count, byKind: byKind), forKey: .counts)
            try container.encode(report.amountAtStake.amounts.map(Amount.init), forKey: .amountAtStake)
            try container.encode(
                report.unreconciled.map {
                    Unreconciled(provider: $0.merchant.provider.rawValue, merchantID: $0.merchant.merchantID, orders: $0.orders)
                }, forKey: .unreconciled)
            try container.encodeIfPresent(report.queries.map(QueriesDocument.init), forKey: .queries)
            try container.encode(report.discrepancies.map(DiscrepancyDocument.init), forKey: .discrepancies)
            try container.encodeIfPresent(
                report.openItems.map { OpenItemsDocument($0, day: report.day) }, forKey: .openItems)
            try container.encode(
                [
                    "run_id": report.run.runID, "started_at": report.run.startedAt.rfc3339,
                    "finished_at": report.run.finishedAt.rfc3339, "version": report.run.version,
                ], forKey: .run)
        }
    }

    /// Only what stays the same between reruns with the same inputs: days, not run times.
    private struct OpenItemsDocument: Encodable {
        let new: [OpenItemDocument]
        let stillOpen: [OpenItemDocument]
        let resolved: [OpenItemDocument]

        init(_ section: OpenItemsSection, day: CivilDate) {
            new = section.new.map { OpenItemDocument($0, ageOn: day) }
            stillOpen = section.stillOpen.map { OpenItemDocument($0, ageOn: day) }
            resolved = section.resolved.map { OpenItemDocument($0, ageOn: day) }
        }

        enum CodingKeys: String, CodingKey { case new, stillOpen = "still_open", resolved }
    }

    private struct Amount: Encodable {
        let currency: String
        let minor: Int64
        init(_ money: Money) {
            currency = money.currency.code
            minor = money.minorUnits
        }
    }

    private struct Inputs: Encodable {
        let store: DayReport.StoreInput
        let bills: [DayReport.BillInput]

        enum Keys: String, CodingKey { case store, bills }
        enum StoreKeys: String, CodingKey { case path, ordersRead = "orders_read", refundsRead = "refunds_read", rowsSHA256 = "rows_sha256" }
        enum BillKeys: String, CodingKey {
            case path, sha256, bytes, gzip, format, provider, merchantID = "merchant_id", day, paymentRows = "payment_rows",
                refundRows = "refund_rows", totals, summaryChecks = "summary_checks_passed",
                billOf = "service_provider_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var storeContainer = container.nestedContainer(keyedBy: StoreKeys.self, forKey: .store)
            try storeContainer.encode(store.path, forKey: .path)
            try storeContainer.encode(store.ordersRead, forKey: .ordersRead)
            try storeContainer.encode(store.refundsRead, forKey: .refundsRead)
            try storeContainer.encode(store.rowsSHA256, forKey: .rowsSHA256)
            var list = container.nestedUnkeyedContainer(forKey: .bills)
            for bill in bills {
                var item = list.nestedContainer(keyedBy: BillKeys.self)
                try item.encode(bill.path, forKey: .path)
                try item.encode(bill.sha256, forKey: .sha256)
                try item.encode(bill.bytes, forKey: .bytes)
                try item.encode(bill.compressed, forKey: .gzip)
                try item.encode(bill.format, forKey: .format)
                try item.encode(bill.merchant.provider.rawValue, forKey: .provider)
                try item.encode(bill.merchant.merchantID, forKey: .merchantID)
                try item.encodeIfPresent(bill.billOf?.merchantID, forKey: .billOf)
                try item.encode(bill.day.description, forKey: .day)
                try item.encode(bill.paymentRows, forKey: .paymentRows)
                try item.encode(bill.refundRows, forKey: .refundRows)
                try item.encode(
                    bill.totals.map {
                        [
                            "currency": AnyEncodable($0.currency.code), "payments": AnyEncodable($0.payments),
                            "paid_minor": AnyEncodable($0.paidMinor), "refunds": AnyEncodable($0.refunds),
                            "refunded_minor": AnyEncodable($0.refundedMinor), "fees": AnyEncodable($0.fees.description),
                        ]
                    }, forKey: .totals)
                try item.encode(bill.summaryChecks, forKey: .summaryChecks)
            }
        }
    }

    private struct LocalSide: Encodable {
        let orders: Int
        let byStatus: [String: Int]
        let paid: [Amount]
        let refunds: Int
        let refundsByStatus: [String: Int]
        let refunded: [Amount]

        enum CodingKeys: String, CodingKey {
            case orders, byStatus = "orders_by_status", paid, refunds, refundsByStatus = "refunds_by_status", refunded
        }
    }

    private struct BillSide: Encodable {
        let payments: Int
        let refunds: Int
        let paid: [Amount]
        let refunded: [Amount]

        enum CodingKeys: String, CodingKey { case payments = "payment_rows", refunds = "refund_rows", paid, refunded }
    }

    private struct Counts: Encodable {
        let total: Int
        let alarms: Int
        let byKind: [String: Int]

        enum CodingKeys: String, CodingKey { case total, alarms, byKind = "by_kind" }
    }

    private struct Unreconciled: Encodable {
        let provider: String
        let merchantID: String
        let orders: Int

        enum CodingKeys: String, CodingKey { case provider, merchantID = "merchant_id", orders }
    }

    private struct DiscrepancyDocument: Encodable {
        let discrepancy: Discrepancy
        init(_ discrepancy: Discrepancy) { self.discrepancy = discrepancy }

        enum Keys: String, CodingKey {
            case id, kind, alarm, day, provider, merchantID = "merchant_id", outTradeNo = "out_trade_no",
                outRefundNo = "out_refund_no", combineOutTradeNo = "combine_out_trade_no", currency, local, bill,
                query, suggestedStatus = "suggested_status", differenceMinor = "difference_minor", atStakeMinor = "at_stake_minor", explanation, related
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let value = discrepancy
            try container.encode(value.id, forKey: .id)
            try container.encode(value.kind.rawValue, forKey: .kind)
            try container.encode(value.kind.isAlarm, forKey: .alarm)
            try container.encode(value.day.description, forKey: .day)
            try container.encode(value.merchant.provider.rawValue, forKey: .provider)
            try container.encode(value.merchant.merchantID, forKey: .merchantID)
            try container.encode(value.outTradeNo, forKey: .outTradeNo)
            try container.encode(value.outRefundNo, forKey: .outRefundNo)
            try container.encode(value.combineOutTradeNo, forKey: .combineOutTradeNo)
            try container.encode(value.reportCurrency?.code, forKey: .currency)
            try container.encode(value.local.map(ObservationDocument.init), forKey: .local)
            try container.encode(value.bill.map(ObservationDocument.init), forKey: .bill)
            try container.encode(value.query.map(ObservationDocument.init), forKey: .query)
            try container.encode(value.suggestedStatus, forKey: .suggestedStatus)
            try container.encode(value.difference?.minorUnits, forKey: .differenceMinor)
            try container.encode(value.amountAtStake?.minorUnits, forKey: .atStakeMinor)
            try container.encode(value.explanation, forKey: .explanation)
            try container.encode(value.related, forKey: .related)
        }
    }

    private struct QueriesDocument: Encodable {
        let section: QueriesSection
        init(_ section: QueriesSection) { self.section = section }

        enum Keys: String, CodingKey {
            case selected, selectedByReason = "selected_by_reason", settled, stillPending = "still_pending", unresolved,
                notQueried = "not_queried", attempts, stopped, unreachable, slowDowns = "slow_downs", mode, changes
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(section.total, forKey: .selected)
            try container.encode(section.selected, forKey: .selectedByReason)
            try container.encode(section.settled, forKey: .settled)
            try container.encode(section.stillPending, forKey: .stillPending)
            try container.encode(section.unresolved, forKey: .unresolved)
            try container.encode(
                section.notQueried.map {
                    ["provider": $0.merchant.provider.rawValue, "merchant_id": $0.merchant.merchantID, "subject": $0.subject,
                     "key": $0.key, "reason": $0.reason]
                }, forKey: .notQueried)
            try container.encode(section.attempts, forKey: .attempts)
            try container.encode(section.stopped, forKey: .stopped)
            try container.encode(section.unreachable, forKey: .unreachable)
            try container.encode(section.slowDowns, forKey: .slowDowns)
            try container.encode(section.mode, forKey: .mode)
            try container.encode(
                section.changes.map { applied in
                    [
                        "table": applied.change.table.rawValue, "key": applied.change.key,
                        "provider": applied.change.merchant.provider.rawValue, "merchant_id": applied.change.merchant.merchantID,
                        "old_status": applied.change.expectedStatus, "new_status": applied.change.newStatus,
                        "evidence": applied.change.evidence, "skipped": applied.skipped ?? "",
                    ]
                }, forKey: .changes)
        }
    }

    private struct ObservationDocument: Encodable {
        let observation: Observation
        init(_ observation: Observation) { self.observation = observation }

        enum Keys: String, CodingKey {
            case amountMinor = "amount_minor", currency, status, time, transactionID = "transaction_id",
                lastErrorCode = "last_error_code", lastError = "last_error", lastErrorCategory = "last_error_category",
                provider, merchantID = "merchant_id", rows
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let value = observation
            try container.encode(value.amount?.minorUnits, forKey: .amountMinor)
            try container.encode(value.amount?.currency.code, forKey: .currency)
            try container.encode(value.status, forKey: .status)
            try container.encode(value.time?.rfc3339, forKey: .time)
            try container.encode(value.transactionID, forKey: .transactionID)
            try container.encode(value.lastErrorCode, forKey: .lastErrorCode)
            if let code = value.lastErrorCode, let provider = value.merchant?.provider {
                let book = encoder.userInfo[.codes] as! ErrorCodeBook
                try container.encode(book.quote(code, provider: provider), forKey: .lastError)
                try container.encode(book.category(of: code, provider: provider)?.rawValue, forKey: .lastErrorCategory)
            }
            try container.encode(value.merchant?.provider.rawValue, forKey: .provider)
            try container.encode(value.merchant?.merchantID, forKey: .merchantID)
            try container.encode(value.locations.map(\.description), forKey: .rows)
        }
    }
}

extension CodingUserInfoKey {
    /// The report's ``ErrorCodeBook``, which quotes the codes the store recorded.
    fileprivate static let codes = CodingUserInfoKey(rawValue: "codes")!
}

/// Wraps a value of any encodable type, for small heterogeneous dictionaries.
private struct AnyEncodable: Encodable {
    private let encodeValue: (any Encoder) throws -> Void
    init(_ value: some Encodable) { encodeValue = value.encode(to:) }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}

extension Discrepancy {
    /// The currency a report shows for the discrepancy.
    public var reportCurrency: Currency? {
        difference?.currency ?? amountAtStake?.currency ?? local?.amount?.currency ?? bill?.amount?.currency
    }
}
