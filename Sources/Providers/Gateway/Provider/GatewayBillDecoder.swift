import ReconBills
import ReconCore

/// Decodes the rows of a gateway daily bill (docs/gateway-bill.md) after its header, and checks
/// each currency's total row against the rows.
final class GatewayBillDecoder: BillRowDecoder {
    private struct Columns {
        let merchant: Int
        let time: Int
        let type: Int
        let status: Int
        let outTradeNo: Int
        let transactionID: Int?
        let outRefundNo: Int?
        let currency: Int
        let amount: Int
        let fee: Int?
        let count: Int
    }

    private struct Tally {
        var records = 0
        var payments = 0
        var paymentAmount = FixedDecimal.zero
        var refunds = 0
        var refundAmount = FixedDecimal.zero
        var fees = FixedDecimal.zero
        /// A sum that would not fit; the totals can then not be checked.
        var overflowed = false

        mutating func add(_ value: FixedDecimal, to sum: WritableKeyPath<Tally, FixedDecimal>) {
            guard let total = self[keyPath: sum].adding(value) else {
                overflowed = true
                return
            }
            self[keyPath: sum] = total
        }
    }

    private enum State {
        case details
        case totals(names: [String], line: Int, seen: Int)
    }

    static let tokenizerOptions = CSVTokenizer.Options(quoting: true, strict: true)
    static let summaryNames = [
        "summary", "merchant_no", "bill_date", "currency", "record_count", "payment_count", "payment_amount",
        "refund_count", "refund_amount", "fee_amount",
    ]

    private let columns: Columns
    private let expectation: BillExpectation
    private let onEntry: (BillEntry) -> Void
    // One reader owns a decoder and calls it from one thread: no runtime exclusivity checks.
    @exclusivity(unchecked) private var converter: WallClockConverter
    @exclusivity(unchecked) private var state = State.details
    @exclusivity(unchecked) private var tallies: [String: Tally] = [:]
    @exclusivity(unchecked) private var checkedCurrencies: Set<String> = []
    @exclusivity(unchecked) private var merchant: MerchantRef?
    @exclusivity(unchecked) private var currencies = CurrencyCodes()
    @exclusivity(unchecked) private var dates = DateCache()
    @exclusivity(unchecked) private(set) var facts: BillFacts
    @exclusivity(unchecked) private var rowTally = RowTally()

    /// `true` when a header looks like a gateway daily bill's.
    static func matches(_ header: [String]) -> Bool {
        header.contains("merchant_no") && header.contains("transaction_status") && header.contains("out_trade_no")
    }

    init(
        header: [String], file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (BillEntry) -> Void
    ) throws {
        var missing: [String] = []
        func require(_ name: String) -> Int {
            if let index = header.firstIndex(of: name) { return index }
            missing.append(name)
            return -1
        }
        columns = Columns(
            merchant: require("merchant_no"), time: require("transaction_time"), type: require("transaction_type"),
            status: require("transaction_status"), outTradeNo: require("out_trade_no"),
            transactionID: header.firstIndex(of: "transaction_id"), outRefundNo: header.firstIndex(of: "out_refund_no"),
            currency: require("currency"), amount: require("amount"), fee: header.firstIndex(of: "fee"),
            count: header.count)
        guard missing.isEmpty else {
            throw BillError.unknownFormat(
                file: file, firstLine: header.joined(separator: ","),
                hint: "It looks like a gateway daily bill but lacks \(missing.joined(separator: ", ")).")
        }
        self.expectation = expectation
        self.onEntry = onEntry
        converter = WallClockConverter(zone: zone)
        facts = BillFacts(
            file: file,
            format: BillFormat(provider: .gateway, type: "daily", generation: "v1", kinds: [.payment, .refund]))
        if let expected = expectation.merchant {
            if expected.provider == .gateway {
                merchant = expected
                facts.merchant = expected
            } else {
                facts.report(.identity, line: nil, "this is a gateway bill, but it was named as a bill of \(expected)")
            }
        }
    }

    func handle(_ row: CSVRow) {
        switch state {
        case .details:
            if row.count > 0, row.field(0).equals("summary") {
                let names = (0..<row.count).map(row.string)
                if names != Self.summaryNames {
                    facts.report(
                        .summary, line: row.line,
                        "the summary header must be '\(Self.summaryNames.joined(separator: ","))'")
                }
                state = .totals(names: names, line: row.line, seen: 0)
            } else {
                decodeDetail(row)
            }
        case .totals(let names, let line, let seen):
            if row.count > 0, row.field(0).equals("total"), names == Self.summaryNames {
                checkTotal(row)
            } else if names == Self.summaryNames {
                facts.report(.summary, line: row.line, "only total rows may follow the summary header")
            }
            state = .totals(names: names, line: line, seen: seen + 1)
        }
    }

    func finish(lastLine: Int) -> BillFacts {
        facts.publish(rowTally)
        switch state {
        case .details:
            facts.report(
                .truncated, line: lastLine,
                "the bill ends without its summary (a 'summary' header and 'total' rows): it is truncated")
        case .totals(_, let line, let seen):
            if seen == 0 {
                facts.report(.truncated, line: line, "the summary header has no total rows after it: the bill is truncated")
            }
            for currency in tallies.keys.sorted() where !checkedCurrencies.contains(currency) {
                facts.report(
                    .truncated, line: nil,
                    "the rows in \(currency) have no total row: the bill is truncated or its summary incomplete")
            }
        }
        if let day = expectation.day { facts.day = facts.day ?? day }
        return facts
    }

    private func decodeDetail(_ row: CSVRow) {
        facts.detailRows += 1
        let line = row.line
        guard row.count == columns.count else {
            facts.report(
                .row, line: line, "wrong column count: the header has \(columns.count) columns, this row has \(row.count)")
            return
        }
        guard let wall = LocalDateTime.parse(row.field(columns.time), dates: &dates) else {
            facts.report(.row, line: line, "transaction_time '\(row.string(columns.time))' is not a yyyy-MM-dd HH:mm:ss time")
            return
        }
        let kind: BillEntry.Kind
        switch row.string(columns.type) {
        case "PAYMENT": kind = .payment
        case "REFUND": kind = .refund
        case let other:
            facts.report(.row, line: line, "transaction_type '\(other)' is not PAYMENT or REFUND")
            return
        }
        let statusText = row.string(columns.status)
        let status: BillEntry.Status
        switch (kind, statusText) {
        case (_, "SUCCESS"): status = .success
        case (_, "FAILED"): status = .failed
        case (.refund, "PROCESSING"): status = .processing
        case (.payment, "CLOSED"): status = .closed
        case (.payment, "REVOKED"): status = .revoked
        default:
            facts.report(.row, line: line, "transaction_status '\(statusText)' is not valid for a \(kind.rawValue.uppercased()) row")
            return
        }
        let currencyText = row.string(columns.currency)
        guard let currency = currencies.currency(currencyText) else {
            facts.report(.row, line: line, "currency '\(currencyText)' is not \(CurrencyCodes.expectation)")
            return
        }
        guard let decimal = FixedDecimal.parse(row.field(columns.amount)), decimal.units >= 0 else {
            facts.report(.row, line: line, "amount '\(row.string(columns.amount))' is not a non-negative number")
            return
        }
        guard let amount = Money(decimal, currency: currency) else {
            facts.report(.row, line: line, "amount '\(decimal)' has more decimals than \(currency) allows")
            return
        }
        guard amount.isValidAmount else {
            facts.report(.row, line: line, "amount '\(decimal)' is not an amount from 0 to "
                    + Money(minorUnits: Money.maximumMinorUnits, currency: currency).description)
            return
        }
        var fee = FixedDecimal.zero
        if let feeColumn = columns.fee, !row.field(feeColumn).isEmpty {
            guard let parsed = FixedDecimal.parse(row.field(feeColumn)) else {
                facts.report(.row, line: line, "fee '\(row.string(feeColumn))' is not a number")
                return
            }
            fee = parsed
        }
        guard facts.accepts(number: row.field(columns.outTradeNo).count, column: "out_trade_no", line: line),
            facts.accepts(number: columns.transactionID.map { row.field($0).count } ?? 0, column: "transaction_id", line: line),
            facts.accepts(number: columns.outRefundNo.map { row.field($0).count } ?? 0, column: "out_refund_no", line: line)
        else { return }
        let outTradeNo = row.string(columns.outTradeNo)
        guard !outTradeNo.isEmpty else {
            facts.report(.row, line: line, "a row without out_trade_no")
            return
        }
        var outRefundNo: String?
        if kind == .refund {
            let number = columns.outRefundNo.map(row.string) ?? ""
            guard !number.isEmpty else {
                facts.report(.row, line: line, "a REFUND row without out_refund_no")
                return
            }
            outRefundNo = number
        }
        let merchantNo = row.string(columns.merchant)
        if let problem = GatewayPlugin.profile.merchantIDRule.problem(merchantNo) {
            facts.report(.row, line: line, "merchant_no \(problem)")
            return
        }
        if merchant == nil {
            merchant = MerchantRef(provider: .gateway, merchantID: merchantNo)
            facts.merchant = merchant
        }
        if merchantNo != merchant?.merchantID {
            facts.report(
                .identity, line: line,
                "the row belongs to merchant \(merchantNo), not \(merchant?.merchantID ?? "?"), the merchant of this bill")
        }
        if let day = expectation.day, !wall.isOn(day) {
            facts.report(.identity, line: line, "transaction_time \(wall) is not on \(day), the day this bill was named for")
        }
        var tally = tallies[currency.code, default: Tally()]
        tally.records += 1
        tally.add(fee, to: \.fees)
        if status.movesMoney(for: kind) {
            if kind == .payment {
                tally.payments += 1
                tally.add(decimal, to: \.paymentAmount)
            } else {
                tally.refunds += 1
                tally.add(decimal, to: \.refundAmount)
            }
        }
        tallies[currency.code] = tally
        rowTally.addFee(fee, currency: currency)
        facts.noteRowTime(wall)
        let entry = BillEntry(
            kind: kind, status: status, providerStatus: statusText, merchant: merchant!, outTradeNo: outTradeNo,
            outRefundNo: outRefundNo, transactionID: columns.transactionID.map(row.string), amount: amount,
            time: converter.timestamp(for: wall), location: SourceLocation(file: facts.file, line: line))
        rowTally.count(entry)
        onEntry(entry)
    }

    private func checkTotal(_ row: CSVRow) {
        let line = row.line
        guard row.count == Self.summaryNames.count else {
            facts.report(.summary, line: line, "a total row must have \(Self.summaryNames.count) fields")
            return
        }
        let merchantNo = row.string(1)
        if let problem = GatewayPlugin.profile.merchantIDRule.problem(merchantNo) {
            facts.report(.summary, line: line, "merchant_no \(problem)")
        } else if merchant == nil {
            merchant = MerchantRef(provider: .gateway, merchantID: merchantNo)
            facts.merchant = merchant
        } else if merchantNo != merchant?.merchantID {
            facts.report(
                .identity, line: line, "the summary is for merchant \(merchantNo), not \(merchant?.merchantID ?? "?")")
        }
        let dateText = row.string(2)
        if let date = CivilDate(dateText) {
            if let day = expectation.day, date != day {
                facts.report(.identity, line: line, "the summary is for \(date), not \(day), the day this bill was named for")
            }
            facts.day = facts.day ?? date
        } else {
            facts.report(.summary, line: line, "bill_date '\(dateText)' is not a yyyy-MM-dd date")
        }
        let currency = row.string(3)
        guard checkedCurrencies.insert(currency).inserted else {
            facts.report(.summary, line: line, "a second total row for currency '\(currency)'")
            return
        }
        let tally = tallies[currency] ?? Tally()
        if currency.isEmpty, !tallies.isEmpty {
            facts.report(.summary, line: line, "a total row without a currency, in a bill that has rows")
        }
        let label = currency.isEmpty ? "" : " (\(currency))"
        let expected: [(String, FixedDecimal)] = [
            ("record_count", FixedDecimal(units: Int64(tally.records), scale: 0)),
            ("payment_count", FixedDecimal(units: Int64(tally.payments), scale: 0)),
            ("payment_amount", tally.paymentAmount),
            ("refund_count", FixedDecimal(units: Int64(tally.refunds), scale: 0)),
            ("refund_amount", tally.refundAmount),
            ("fee_amount", tally.fees),
        ]
        if tally.overflowed {
            facts.report(.summary, line: line, "the rows in \(currency) add up to more than 64 bits can hold")
            return
        }
        for (offset, (name, computed)) in expected.enumerated() {
            let raw = row.string(4 + offset)
            if facts.malformedRows > 0 {
                // Malformed rows are missing from the per-currency tallies, so nothing can be checked.
                facts.leaveUnchecked(name + label)
                continue
            }
            guard let stated = FixedDecimal(raw) else {
                facts.report(.summary, line: line, "\(name)\(label) '\(raw)' is not a number")
                continue
            }
            let check = ColumnSums.check(name: name + label, stated: stated, computed: computed)
            facts.record(check, line: line)
        }
    }
}
