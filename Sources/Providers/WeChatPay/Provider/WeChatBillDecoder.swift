import ReconBills
import ReconCore

/// Decodes the rows of a WeChat Pay trade bill after its header, or of one part of it.
///
/// Detail rows become ``BillEntry`` values; the summary block is captured and, once every part of
/// the bill has been read, checked against the sums of the rows by ``merge(_:layout:expectation:lastLine:)``.
/// Every field of a data row starts with a backtick; a token that does not was split off a
/// free-text field at a comma by the CSV parser, and is joined back to the field before it.
final class WeChatBillDecoder: BillRowDecoder {
    private enum State {
        case details
        case summaryValues(names: [String], line: Int)
        case done
    }

    private let layout: WeChatBillLayout
    private let expectation: BillExpectation
    private let onEntry: (consuming BillEntry) -> Void
    // One reader owns a decoder and calls it from one thread: no runtime exclusivity checks.
    @exclusivity(unchecked) private var converter: WallClockConverter
    @exclusivity(unchecked) private var state = State.details
    @exclusivity(unchecked) private(set) var facts: BillFacts
    /// The merchants the rows belong to (特约商户号, else 商户号), each with its counts; `current` is the last row's.
    @exclusivity(unchecked) private var members: [Member] = []
    @exclusivity(unchecked) private var current = 0
    /// The id of `members[current]` and whether it is covered, kept apart so that each row is
    /// checked against them without reading a member out of the array.
    @exclusivity(unchecked) private var currentID: [UInt8] = []
    @exclusivity(unchecked) private var currentIsCovered = true
    /// Whether a row has been checked: the first gives ``BillFacts/firstRowMerchant``.
    @exclusivity(unchecked) private var sawRow = false
    /// Whether ``merchant`` is set, asked of each row without reading the optional.
    @exclusivity(unchecked) private var knowsMerchant = false

    /// The merchant the bill is named for, or else the 商户号 of its first row.
    @exclusivity(unchecked) private var merchant: MerchantRef?
    @exclusivity(unchecked) private var merchantBytes: [UInt8] = []
    @exclusivity(unchecked) private var sums: ColumnSums
    private let fields: BacktickFields
    private let merchantRule = WeChatPayPlugin.profile.merchantIDRule
    @exclusivity(unchecked) private var currencies = CurrencyCodes()
    @exclusivity(unchecked) private var dates = DateCache()
    /// The current row's amounts, by column: a buffer of its own, which a row's writes reach
    /// without the uniqueness check each write to an array's element makes.
    private let amounts: UnsafeMutableBufferPointer<FixedDecimal>
    @exclusivity(unchecked) private var summary: WeChatBillSegment.Summary?

    static let tokenizerOptions = CSVTokenizer.Options(quoting: false, strict: false)

    init(
        layout: WeChatBillLayout, file: String, expectation: BillExpectation, zone: ZoneRules,
        onEntry: @escaping (consuming BillEntry) -> Void
    ) {
        self.layout = layout
        self.expectation = expectation
        self.onEntry = onEntry
        converter = WallClockConverter(zone: zone)
        facts = BillFacts(file: file, format: layout.format)
        sums = ColumnSums(columns: layout.columnCount)
        amounts = .allocate(capacity: layout.columnCount)
        amounts.initialize(repeating: .zero)
        fields = BacktickFields(capacity: layout.columnCount + 4)
        if let expected = expectation.merchant, expected.provider == .wechatPay {
            merchant = expected
            knowsMerchant = true
            merchantBytes = Array(expected.merchantID.utf8)
            facts.merchant = expected
        } else if let expected = expectation.merchant {
            facts.report(
                .identity, line: nil,
                "this is a WeChat Pay bill, but it was named as a bill of \(expected)")
        } else if let first = expectation.firstRowMerchant, first.provider == .wechatPay {
            // A part of a bill named for no merchant: its rows are checked against the merchant of
            // the bill's first row, as a single pass checks them.
            merchant = first
            knowsMerchant = true
            merchantBytes = Array(first.merchantID.utf8)
            facts.merchant = first
        }
    }

    deinit {
        amounts.deallocate()
    }

    func handle(_ row: CSVRow) {
        switch state {
        case .details:
            if row.count > 0, row.field(0).first != 0x60, row.field(0).equals("总交易单数") {
                let names = (0..<row.count).map(row.string)
                summary = WeChatBillSegment.Summary(names: names, headerLine: row.line)
                state = .summaryValues(names: names, line: row.line)
            } else {
                decodeDetail(row)
            }
        case .summaryValues(let names, _):
            if fields.group(row), fields.count == names.count {
                summary?.values = (0..<names.count).map { text(value(row, $0)) }
            }
            summary?.valuesLine = row.line
            state = .done
        case .done:
            facts.report(.summary, line: row.line, "unexpected content after the summary block")
        }
    }

    /// What this decoder saw, for merging with the other parts of the bill.
    var segment: WeChatBillSegment {
        WeChatBillSegment(
            facts: facts, sums: sums, tallies: Dictionary(members.map { ($0.merchant, $0.tally) }, uniquingKeysWith: { $1 }),
            summary: summary)
    }

    func finish(lastLine: Int) -> BillFacts {
        Self.merge([segment], layout: layout, expectation: expectation, lastLine: lastLine)
    }

    // MARK: - Detail rows

    /// The value of field `column` of the current row, without its backtick.
    private func value(_ row: CSVRow, _ column: Int) -> UnsafeBufferPointer<UInt8> { fields.value(row, column) }

    private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    private func decodeDetail(_ row: CSVRow) {
        facts.detailRows += 1
        let line = row.line
        guard fields.group(row) else {
            facts.report(
                .row, line: line,
                "a detail row must start with a backtick (`), this one starts '\(text(row.field(0)).prefix(40))'")
            return
        }
        guard fields.count == layout.columnCount else {
            facts.report(
                .row, line: line,
                "wrong column count: the header has \(layout.columnCount) columns, this row has \(fields.count)")
            return
        }
        guard let wall = LocalDateTime.parse(value(row, layout.time), dates: &dates) else {
            facts.report(.row, line: line, "交易时间 '\(text(value(row, layout.time)))' is not a yyyy-MM-dd HH:mm:ss time")
            return
        }
        var problem: String?
        for column in layout.amountColumns {
            guard let amount = FixedDecimal.parse(value(row, column)) else {
                problem = problem ?? "\(layout.names[column]) '\(text(value(row, column)))' is not a number"
                continue
            }
            amounts[column] = amount
        }
        let statusBytes = value(row, layout.status)
        let kind: BillEntry.Kind
        var status: BillEntry.Status
        var providerStatus: String
        if statusBytes.equals("SUCCESS") {
            (kind, status, providerStatus) = (.payment, .success, "SUCCESS")
        } else if statusBytes.equals("REFUND") {
            (kind, status, providerStatus) = (.refund, .success, "REFUND")
        } else if statusBytes.equals("REVOKED") {
            (kind, status, providerStatus) = (.payment, .revoked, "REVOKED")
        } else {
            facts.report(
                .row, line: line, "交易状态 '\(text(statusBytes))' is not SUCCESS, REFUND or REVOKED")
            return
        }
        var outRefundNo: InlineText?
        if kind == .refund {
            guard let refundStatusColumn = layout.refundStatus, let outRefundColumn = layout.outRefundNo else {
                facts.report(.row, line: line, "a refund row in a SUCCESS bill, which lists payments only")
                return
            }
            let refundStatus = text(value(row, refundStatusColumn))
            switch refundStatus {
            case "SUCCESS": status = .success
            case "PROCESSING": status = .processing
            case "FAIL", "FAILED": status = .failed
            case "CHANGE": status = .abnormal
            default:
                facts.report(
                    .row, line: line, "退款状态 '\(refundStatus)' is not SUCCESS, PROCESSING, FAIL or CHANGE")
                return
            }
            providerStatus = "REFUND/" + refundStatus
            let number = value(row, outRefundColumn)
            guard !number.isEmpty, !number.equals("0") else {
                facts.report(.row, line: line, "a refund row without 商户退款单号")
                return
            }
            guard facts.accepts(number: number.count, column: layout.names[outRefundColumn], line: line) else { return }
            outRefundNo = InlineText(utf8: number)
        }
        if let problem {
            facts.report(.row, line: line, problem)
            return
        }
        guard let currency = currencies.currency(utf8: value(row, layout.currency)) else {
            facts.report(
                .row, line: line, "货币种类 '\(text(value(row, layout.currency)))' is not \(CurrencyCodes.expectation)")
            return
        }
        let amountColumn = kind == .payment ? layout.paymentAmount : layout.refundAmount!
        guard let amount = Money(amounts[amountColumn], currency: currency) else {
            facts.report(
                .row, line: line,
                "\(layout.names[amountColumn]) '\(amounts[amountColumn])' has more decimals than \(currency) allows")
            return
        }
        guard amount.isValidAmount else {
            facts.report(
                .row, line: line, "\(layout.names[amountColumn]) '\(amounts[amountColumn])' is not an amount from 0 to "
                    + Money(minorUnits: Money.maximumMinorUnits, currency: currency).description)
            return
        }
        let outTradeNo = value(row, layout.outTradeNo)
        guard !outTradeNo.isEmpty else {
            facts.report(.row, line: line, "a row without 商户订单号")
            return
        }
        let transactionID = value(row, layout.transactionID)
        guard facts.accepts(number: outTradeNo.count, column: layout.names[layout.outTradeNo], line: line),
            facts.accepts(number: transactionID.count, column: layout.names[layout.transactionID], line: line)
        else { return }
        guard let member = owner(row, line: line) else { return }
        if let day = expectation.day, !wall.isOn(day) {
            facts.report(.identity, line: line, "交易时间 \(wall) is not on \(day), the day this bill was named for")
        }
        sums.add(UnsafeBufferPointer(amounts), columns: layout.amountColumns)
        if let fee = layout.fee { members[member].tally.addFee(amounts[fee], currency: currency) }
        facts.noteRowTime(wall)
        let entry = BillEntry(
            kind: kind, status: status, providerStatus: providerStatus,
            merchant: members[member].merchant, outTradeText: InlineText(utf8: outTradeNo), outRefundText: outRefundNo,
            transactionText: InlineText(utf8: transactionID), amount: amount,
            time: converter.timestamp(for: wall), location: SourceLocation(file: facts.file, line: line))
        members[member].tally.count(entry)
        onEntry(consume entry)
    }

    /// One merchant the rows belong to.
    private struct Member {
        var id: [UInt8]
        var merchant: MerchantRef
        /// Whether the run reads the bill for this merchant (``BillExpectation/covered``).
        var isCovered: Bool
        var tally = RowTally()
    }

    /// The index in ``members`` of the merchant the row belongs to: its 特约商户号 in a service
    /// provider's bill, else its 商户号 (`0` or empty means none). The row must be of the bill's
    /// merchant, as 商户号 or as 特约商户号, and, when the run says which merchants it reads the bill
    /// for, of one of those. Both ids are checked on every row, whatever the rows before said, so
    /// each row is judged the same however the bill is cut into parts.
    /// - Returns: `nil` when a merchant id is not of WeChat Pay's shape (the row is then malformed).
    private func owner(_ row: CSVRow, line: Int) -> Int? {
        let direct = value(row, layout.merchant)
        let sub = layout.subMerchant.map { value(row, $0) }.flatMap { $0.isEmpty || $0.equals("0") ? nil : $0 }
        guard merchantRule.accepts(utf8: direct) else {
            facts.report(.row, line: line, "\(layout.names[layout.merchant]) " + merchantRule.problem(text(direct))!)
            return nil
        }
        if let sub, !merchantRule.accepts(utf8: sub) {
            facts.report(.row, line: line, "\(layout.names[layout.subMerchant!]) " + merchantRule.problem(text(sub))!)
            return nil
        }
        if !sawRow {
            sawRow = true
            facts.firstRowMerchant = MerchantRef(provider: .wechatPay, merchantID: text(direct))
        }
        if !knowsMerchant {
            knowsMerchant = true
            merchant = facts.firstRowMerchant
            merchantBytes = Array(direct)
            facts.merchant = merchant
        }
        let id = sub ?? direct
        if !(direct.equals(merchantBytes) || (sub?.equals(merchantBytes) ?? false)) {
            let whose = expectation.merchant == nil ? "the merchant of the bill's first row" : "the merchant this bill was named for"
            facts.report(.identity, line: line, "the row belongs to merchant \(text(id)), not \(merchant!.merchantID), \(whose)")
        }
        if currentID.isEmpty || !id.equals(currentID) {
            if let found = members.firstIndex(where: { id.equals($0.id) }) {
                current = found
            } else {
                let member = MerchantRef(provider: .wechatPay, merchantID: text(id))
                members.append(Member(id: Array(id), merchant: member, isCovered: expectation.covered?.contains(member) ?? true))
                current = members.count - 1
            }
            currentID = members[current].id
            currentIsCovered = members[current].isCovered
        }
        if !currentIsCovered {
            let id = members[current].merchant.merchantID
            facts.report(
                .identity, line: line,
                "the row belongs to sub-merchant \(id) of service provider \(text(direct)), which the run does not reconcile "
                    + "with this bill: configure it as providers.wechatpay.merchants.\"\(id)\" with sp_mchid \(text(direct)), "
                    + "or name the bill for the merchant it belongs to")
        }
        return current
    }

    // MARK: - Merging parts and checking the summary

    /// Combines the parts of a bill, read in file order, into the facts of the whole bill, and
    /// checks the summary block against the rows of every part.
    static func merge(
        _ segments: [WeChatBillSegment], layout: WeChatBillLayout, expectation: BillExpectation, lastLine: Int
    ) -> BillFacts {
        var facts = segments[0].facts
        var sums = segments[0].sums
        var tallies = segments[0].tallies
        // Every part checked its rows against the same merchant (``BillExpectation/firstRowMerchant``),
        // so the parts' rows of another merchant are reported as a single pass reports them.
        for segment in segments.dropFirst() {
            facts.absorb(segment.facts)
            sums.add(segment.sums)
            tallies.merge(segment.tallies) { first, second in
                var sum = first
                sum.add(second)
                return sum
            }
        }
        // Only the last part can hold the summary: a bill with one earlier is read again in one pass.
        if let summary = segments.last?.summary {
            check(summary, layout: layout, sums: sums, into: &facts)
        } else {
            facts.report(
                .truncated, line: lastLine,
                "the bill ends without its summary block (a line starting 总交易单数 and one of totals): "
                    + "it is truncated or not a complete bill")
        }
        // A bill named for no merchant is its rows' one merchant's (a sub-merchant's own bill), or else
        // the merchant of its 商户号 (a service provider's bill of several sub-merchants).
        if expectation.merchant == nil, tallies.count == 1 { facts.merchant = tallies.keys.first }
        facts.publish(tallies)
        if facts.day == nil, let first = facts.firstRowTime?.date, first == facts.lastRowTime?.date {
            facts.day = first
        }
        if let day = expectation.day { facts.day = day }
        return facts
    }

    /// Checks the line of totals. When rows are malformed their amounts are missing from the
    /// sums, so only the row count is checked then.
    private static func check(
        _ summary: WeChatBillSegment.Summary, layout: WeChatBillLayout, sums: ColumnSums, into facts: inout BillFacts
    ) {
        guard let line = summary.valuesLine else {
            facts.report(
                .truncated, line: summary.headerLine,
                "the summary header has no line of totals after it: the bill is truncated")
            return
        }
        guard let values = summary.values else {
            facts.report(
                .summary, line: line,
                "the line of totals must have \(summary.names.count) backtick-prefixed values, one per summary column")
            return
        }
        for (name, raw) in zip(summary.names, values) {
            guard let stated = FixedDecimal(raw) else {
                facts.report(.summary, line: line, "the summary's \(name) '\(raw)' is not a number")
                continue
            }
            guard let meaning = WeChatBillLayout.summaryMeaning[name] else {
                facts.leaveUnchecked(name)
                continue
            }
            let computed: FixedDecimal
            if meaning != nil, facts.malformedRows > 0 {
                facts.leaveUnchecked(name)
                continue
            }
            if let column = meaning {
                if let detail = layout.names.firstIndex(of: column) {
                    if sums.overflowed[detail] {
                        facts.report(.summary, line: line, "the rows' \(column) add up to more than 64 bits can hold")
                        continue
                    }
                    computed = sums.sums[detail]
                } else {
                    computed = .zero
                }
            } else {
                computed = FixedDecimal(units: Int64(facts.detailRows), scale: 0)
            }
            let check = ColumnSums.check(name: name, stated: stated, computed: computed)
            facts.record(check, line: line)
        }
    }
}

/// What a decoder saw in one part of a WeChat Pay bill.
struct WeChatBillSegment: Sendable {
    /// A captured summary block.
    struct Summary: Sendable {
        var names: [String]
        var headerLine: Int
        var values: [String]?
        var valuesLine: Int?
    }

    var facts: BillFacts
    var sums: ColumnSums
    /// The counts of each merchant the rows belong to.
    var tallies: [MerchantRef: RowTally]
    var summary: Summary?
}
