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

    /// The report as pretty-printed UTF-8 JSON with a final newline, written in one pass.
    public static func render(_ report: DayReport) -> Data {
        render(report, settled: { report })
    }

    /// The report as ``render(_:)`` writes it, begun before its open items and query changes are
    /// settled: the members before `open_items` are written from `report`, then `settled` gives
    /// the same report with them settled (waiting for them if need be), and the rest is written
    /// from it.
    public static func render(_ report: DayReport, settled: () throws -> DayReport) rethrows -> Data {
        // About 2 KiB a discrepancy, with its open item: room for all of it, so the bytes are
        // neither moved while written nor copied twice into the result.
        var writer = JSONWriter(pretty: true, capacity: 4096 + report.discrepancies.count * 2560)
        try write(report, settled: settled, to: &writer)
        writer.endLine()
        return writer.data
    }

    /// Writes the report as ``render(_:settled:)`` does, handing its bytes on to `destination` a
    /// piece at a time as they are written (``ReportStream``) and keeping none of them: the
    /// writer holds a piece of a megabyte or so at a time, however large the report.
    /// - Throws: What `settled` or `destination` throws.
    public static func render(
        _ report: DayReport, settled: () throws -> DayReport,
        handingOnTo destination: @escaping (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var writer = JSONWriter(pretty: true, capacity: 2 * ReportStream.pieceSize, handingOnTo: destination, keeping: false)
        try write(report, settled: settled, to: &writer)
        writer.endLine()
        try writer.finish()
    }

    private static func write(_ report: DayReport, settled: () throws -> DayReport, to writer: inout JSONWriter) rethrows {
        let statistics = report.statistics
        try writer.object { w in
            w.key("amount_at_stake")
            amounts(report.amountAtStake.amounts, &w)
            if report.scope == nil {
                w.key("bill")
                w.object { w in
                    w.key("paid")
                    amounts(statistics.billPaid.amounts, &w)
                    w.field("payment_rows", statistics.billPayments)
                    w.field("refund_rows", statistics.billRefunds)
                    w.key("refunded")
                    amounts(statistics.billRefunded.amounts, &w)
                }
            }
            w.field("boundary_grace_seconds", Int64(report.graceSeconds))
            w.key("counts")
            w.object { w in
                w.field("alarms", report.alarmCount)
                w.field("by_kind", Dictionary(report.countsByKind.map { ($0.kind.rawValue, $0.count) }, uniquingKeysWith: +))
                w.field("total", report.discrepancies.count)
            }
            w.field("day", report.day.description)
            w.key("discrepancies")
            w.array(report.discrepancies) { w, discrepancy in write(discrepancy, codes: report.codes, to: &w) }
            w.field("format", format)
            w.key("inputs")
            inputs(report, &w)
            if report.scope == nil {
                w.key("local")
                w.object { w in
                    w.field("orders", statistics.localOrders)
                    w.field("orders_by_status", Dictionary(uniqueKeysWithValues: statistics.localOrdersByStatus.map { ($0.key.rawValue, $0.value) }))
                    w.key("paid")
                    amounts(statistics.localPaid.amounts, &w)
                    w.key("refunded")
                    amounts(statistics.localRefunded.amounts, &w)
                    w.field("refunds", statistics.localRefunds)
                    w.field(
                        "refunds_by_status", Dictionary(uniqueKeysWithValues: statistics.localRefundsByStatus.map { ($0.key.rawValue, $0.value) }))
                }
                w.key("matching")
                w.object { w in
                    w.field("matched_across_boundary", statistics.matchedAcrossBoundary)
                    w.field("matched_rows", statistics.matchedRows)
                }
            }
            // The members from here on are settled by the run's transaction.
            let settledReport = try settled()
            if let open = settledReport.openItems {
                w.key("open_items")
                w.object { w in
                    let sections: [(StaticString, [OpenItem])] = [
                        ("new", open.new), ("resolved", open.resolved), ("still_open", open.stillOpen),
                    ]
                    for (name, items) in sections {
                        w.key(name)
                        w.array(items) { w, item in OpenItemDocument(item, ageOn: settledReport.day).write(to: &w) }
                    }
                }
            }
            if let queries = settledReport.queries {
                w.key("queries")
                write(queries, to: &w)
            }
            w.key("run")
            w.object { w in
                w.field("finished_at", settledReport.run.finishedAt.rfc3339)
                w.field("run_id", settledReport.run.runID)
                w.field("started_at", settledReport.run.startedAt.rfc3339)
                w.field("version", settledReport.run.version)
            }
            if let scope = settledReport.scope {
                w.key("scope")
                w.object { w in
                    w.field("merchant_id", scope.merchantID)
                    w.field("provider", scope.provider.rawValue)
                }
            }
            w.key("time_zones")
            w.object { w in
                for (provider, zone) in settledReport.zones.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    w.key(named: provider.rawValue)
                    w.string(zone)
                }
            }
            w.key("unreconciled")
            w.array(settledReport.unreconciled) { w, item in
                w.object { w in
                    w.field("merchant_id", item.merchant.merchantID)
                    w.field("orders", item.orders)
                    w.field("provider", item.merchant.provider.rawValue)
                }
            }
        }
    }

    private static func amounts(_ amounts: [Money], _ writer: inout JSONWriter) {
        writer.array(amounts) { w, money in
            w.object { w in
                w.field("currency", money.currency.code)
                w.field("minor", money.minorUnits)
            }
        }
    }

    private static func inputs(_ report: DayReport, _ writer: inout JSONWriter) {
        writer.object { w in
            w.key("bills")
            w.array(report.bills) { w, bill in
                w.object { w in
                    w.field("bytes", bill.bytes)
                    w.field("day", bill.day.description)
                    w.field("format", bill.format)
                    w.field("gzip", bill.compressed)
                    w.field("merchant_id", bill.merchant.merchantID)
                    w.field("path", bill.path)
                    w.field("payment_rows", bill.paymentRows)
                    w.field("provider", bill.merchant.provider.rawValue)
                    w.field("refund_rows", bill.refundRows)
                    if let owner = bill.billOf { w.field("service_provider_id", owner.merchantID) }
                    w.field("sha256", bill.sha256)
                    w.field("summary_checks_passed", bill.summaryChecks)
                    w.key("totals")
                    w.array(bill.totals) { w, totals in
                        w.object { w in
                            w.field("currency", totals.currency.code)
                            w.field("fees", totals.fees.description)
                            w.field("paid_minor", totals.paidMinor)
                            w.field("payments", totals.payments)
                            w.field("refunded_minor", totals.refundedMinor)
                            w.field("refunds", totals.refunds)
                        }
                    }
                }
            }
            w.key("store")
            w.object { w in
                w.field("orders_read", report.store.ordersRead)
                w.field("path", report.store.path)
                w.field("refunds_read", report.store.refundsRead)
                w.field("rows_sha256", report.store.rowsSHA256)
            }
        }
    }

    private static func write(_ section: QueriesSection, to writer: inout JSONWriter) {
        writer.object { w in
            w.field("attempts", section.attempts)
            w.key("changes")
            w.array(section.changes) { w, applied in
                w.object { w in
                    w.field("evidence", applied.change.evidence)
                    w.field("key", applied.change.key)
                    w.field("merchant_id", applied.change.merchant.merchantID)
                    w.field("new_status", applied.change.newStatus)
                    w.field("old_status", applied.change.expectedStatus)
                    w.field("provider", applied.change.merchant.provider.rawValue)
                    w.field("skipped", applied.skipped ?? "")
                    w.field("table", applied.change.table.rawValue)
                }
            }
            w.field("mode", section.mode)
            w.key("not_queried")
            w.array(section.notQueried) { w, item in
                w.object { w in
                    w.field("key", item.key)
                    w.field("merchant_id", item.merchant.merchantID)
                    w.field("provider", item.merchant.provider.rawValue)
                    w.field("reason", item.reason)
                    w.field("subject", item.subject)
                }
            }
            w.field("selected", section.total)
            w.field("selected_by_reason", section.selected)
            w.field("settled", section.settled)
            w.field("slow_downs", section.slowDowns)
            w.field("still_pending", section.stillPending)
            w.field("stopped", section.stopped)
            w.field("unreachable", section.unreachable)
            w.field("unresolved", section.unresolved)
        }
    }

    private static func write(_ value: Discrepancy, codes: ErrorCodeBook, to writer: inout JSONWriter) {
        writer.object { w in
            w.field("alarm", value.kind.isAlarm)
            w.field("at_stake_minor", value.amountAtStake?.minorUnits)
            w.key("bill")
            write(value.bill, codes: codes, to: &w)
            w.field("combine_out_trade_no", value.combineOutTradeNo)
            w.field("currency", value.reportCurrency?.code)
            w.field("day", value.day.description)
            w.field("difference_minor", value.difference?.minorUnits)
            w.field("explanation", value.explanation)
            w.field("id", value.id)
            w.field("kind", value.kind.rawValue)
            w.key("local")
            write(value.local, codes: codes, to: &w)
            w.field("merchant_id", value.merchant.merchantID)
            w.field("out_refund_no", value.outRefundNo)
            w.field("out_trade_no", value.outTradeNo)
            w.field("provider", value.merchant.provider.rawValue)
            w.key("query")
            write(value.query, codes: codes, to: &w)
            w.field("related", value.related)
            w.field("suggested_status", value.suggestedStatus)
        }
    }

    private static func write(_ observation: Observation?, codes: ErrorCodeBook, to writer: inout JSONWriter) {
        guard let value = observation else { return writer.null() }
        writer.object { w in
            w.field("amount_minor", value.amount?.minorUnits)
            w.field("currency", value.amount?.currency.code)
            if let code = value.lastErrorCode, let provider = value.merchant?.provider {
                w.field("last_error", codes.quote(code, provider: provider))
                w.field("last_error_category", codes.category(of: code, provider: provider)?.rawValue)
            }
            w.field("last_error_code", value.lastErrorCode)
            w.field("merchant_id", value.merchant?.merchantID)
            w.field("provider", value.merchant?.provider.rawValue)
            w.field("rows", value.locations.map(\.description))
            w.field("status", value.status)
            w.field("time", value.time?.rfc3339)
            w.field("transaction_id", value.transactionID)
        }
    }
}

extension Discrepancy {
    /// The currency a report shows for the discrepancy.
    public var reportCurrency: Currency? {
        difference?.currency ?? amountAtStake?.currency ?? local?.amount?.currency ?? bill?.amount?.currency
    }
}
