import Foundation
import ReconBills
import ReconCore

/// Decodes an Alipay trade detail file (`…_业务明细.csv`, provider-formats §8.1) after its first
/// line: the `#` lines that name the account and the period, the detail list between its start
/// and end markers (dashes matched loosely), and the footers, which are checked exactly against
/// the rows. Every cell loses one trailing TAB; refund rows are negative and become refunds of
/// their amount, numbered by `退款批次号/请求号`.
final class AlipayBillDecoder: BillRowDecoder {
    private enum State {
        /// Before the detail list's start marker.
        case preamble
        /// The start marker was read; the column header comes next.
        case header(markerLine: Int)
        case details(AlipayBillLayout)
        /// After the end marker: the footers.
        case footers(AlipayBillLayout, endLine: Int)
    }

    static let tokenizerOptions = CSVTokenizer.Options(quoting: false, strict: false)

    private let expectation: BillExpectation
    private let onEntry: (consuming BillEntry) -> Void
    private let merchantRule = AlipayPlugin.profile.merchantIDRule
    @exclusivity(unchecked) private var converter: WallClockConverter
    @exclusivity(unchecked) private var state = State.preamble
    @exclusivity(unchecked) private(set) var facts: BillFacts
    @exclusivity(unchecked) private var rowTally = RowTally()
    @exclusivity(unchecked) private var merchant: MerchantRef?
    @exclusivity(unchecked) private var payments = AlipayFooter.Sums()
    @exclusivity(unchecked) private var refunds = AlipayFooter.Sums()
    @exclusivity(unchecked) private var footers: [String: (AlipayFooter.Line, Int)] = [:]

    init(file: String, expectation: BillExpectation, zone: ZoneRules, onEntry: @escaping (consuming BillEntry) -> Void) {
        self.expectation = expectation
        self.onEntry = onEntry
        converter = WallClockConverter(zone: zone)
        facts = BillFacts(file: file, format: AlipayBillFormat.format)
        if let expected = expectation.merchant {
            if expected.provider == .alipay {
                merchant = expected
                facts.merchant = expected
            } else {
                facts.report(.identity, line: nil, "this is an Alipay bill, but it was named as a bill of \(expected)")
            }
        }
        facts.day = expectation.day
    }

    func handle(_ row: CSVRow) {
        let line = row.count > 0 && row.field(0, startsWith: UInt8(ascii: "#")) ? Self.text(of: row) : nil
        switch state {
        case .preamble:
            guard let line else {
                facts.report(.row, line: row.line, "a row before the detail list's start marker (#----业务明细列表----)")
                return
            }
            if Self.isMarker(line, "业务明细列表") {
                state = .header(markerLine: row.line)
            } else if let value = Self.value(line, after: "#账号：") {
                readAccount(value, line: row.line)
            } else if line.hasPrefix("#起始日期：") {
                readPeriod(line, line: row.line)
            }
        case .header:
            let names = (0..<row.count).map { Self.cell(row, $0) }
            do {
                state = .details(try AlipayBillLayout(header: names, file: facts.file, line: row.line))
            } catch {
                facts.report(.row, line: row.line, "\(error)")
                state = .footers(AlipayBillLayout.empty, endLine: row.line)
            }
        case .details(let layout):
            if let line {
                if Self.isMarker(line, "业务明细列表结束") {
                    state = .footers(layout, endLine: row.line)
                } else {
                    facts.report(.row, line: row.line, "a '#' line inside the detail list: '\(line.prefix(60))'")
                }
            } else {
                decodeDetail(row, layout)
            }
        case .footers:
            guard let line else {
                facts.report(.summary, line: row.line, "a row after the detail list's end marker")
                return
            }
            for (name, prefix) in [("交易", "#交易合计："), ("退款", "#退款合计：")] {
                guard line.hasPrefix(prefix) else { continue }
                if let parsed = AlipayFooter.parse(line.dropFirst(prefix.count)) {
                    footers[name] = (parsed, row.line)
                } else {
                    facts.report(.summary, line: row.line, "the footer '\(line.prefix(80))' is not 'N笔，…共X元，…'")
                }
            }
        }
    }

    func finish(lastLine: Int) -> BillFacts {
        facts.publish(rowTally)
        switch state {
        case .preamble, .header:
            facts.report(.truncated, line: lastLine, "the Alipay detail file ends before its detail list: it is cut or not a trade detail file")
        case .details:
            facts.report(
                .truncated, line: lastLine,
                "the Alipay detail list has no end marker (#----业务明细列表结束----): the bill is truncated")
        case .footers(let layout, let endLine):
            for (name, sums) in [("交易", payments), ("退款", refunds)] {
                guard let (footer, number) = footers[name] else {
                    facts.report(.truncated, line: endLine, "the Alipay bill has no #\(name)合计 footer: it is truncated")
                    continue
                }
                AlipayFooter.check(footer, name: name, against: sums, hasDiscount: layout.discount != nil, at: number, into: &facts)
            }
        }
        if let day = expectation.day { facts.day = day }
        return facts
    }

    // MARK: - Lines before the list

    /// `#账号：[20880211096256330156]`: the PID and Alipay's four-digit suffix.
    private func readAccount(_ value: Substring, line: Int) {
        let digits = value.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let pid = String(digits.prefix(16))
        guard merchantRule.accepts(pid), digits.count == 16 || digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            facts.report(.identity, line: line, "#账号 '\(Printable.escaped(String(value)))' is not an Alipay PID (2088 and 12 more digits)")
            return
        }
        let account = MerchantRef(provider: .alipay, merchantID: pid)
        if let merchant, merchant != account {
            facts.report(.identity, line: line, "the bill is of account \(pid), but it was named as a bill of \(merchant.merchantID)")
            return
        }
        merchant = account
        facts.merchant = account
    }

    /// `#起始日期：[2019年09月16日 00:00:00]   终止日期：[2019年09月17日 00:00:00]`: the day, when the
    /// period is one whole day.
    private func readPeriod(_ text: String, line: Int) {
        let dates = text.split(separator: "[").dropFirst().compactMap { part -> LocalDateTime? in
            guard let end = part.firstIndex(of: "]") else { return nil }
            let chinese = part[..<end].replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "-")
                .replacingOccurrences(of: "日", with: "")
            return LocalDateTime(chinese)
        }
        guard dates.count == 2 else {
            facts.report(.identity, line: line, "the period line '\(text.prefix(80))' has no [start] and [end] times")
            return
        }
        if dates[0].secondsIntoDay == 0, dates[1].secondsIntoDay == 0, dates[0].date.adding(days: 1) == dates[1].date {
            facts.day = dates[0].date
            if let expected = expectation.day, expected != dates[0].date {
                facts.report(.identity, line: line, "the bill covers \(dates[0].date), but it was named for \(expected)")
            }
        }
    }

    // MARK: - Detail rows

    private func decodeDetail(_ row: CSVRow, _ layout: AlipayBillLayout) {
        facts.detailRows += 1
        let line = row.line
        guard row.count == layout.names.count else {
            facts.report(
                .row, line: line, "wrong column count: the header has \(layout.names.count) columns, this row has \(row.count)")
            return
        }
        let type = Self.cell(row, layout.type)
        let kind: BillEntry.Kind
        switch type {
        case "交易": kind = .payment
        case "退款": kind = .refund
        default:
            facts.report(.row, line: line, "业务类型 '\(Printable.escaped(type))' is not 交易 or 退款; order-recon reconciles those two only")
            return
        }
        let finished = Self.cell(row, layout.finished)
        guard let wall = LocalDateTime(finished) else {
            facts.report(.row, line: line, "完成时间 '\(Printable.escaped(finished))' is not a yyyy-MM-dd HH:mm:ss time")
            return
        }
        func decimal(_ column: Int) -> FixedDecimal? { FixedDecimal(Self.cell(row, column)) }
        guard let amount = decimal(layout.amount), let received = decimal(layout.received) else {
            facts.report(
                .row, line: line,
                "\(AlipayBillLayout.amountName) '\(Self.cell(row, layout.amount))' or \(AlipayBillLayout.receivedName) "
                    + "'\(Self.cell(row, layout.received))' is not a number")
            return
        }
        let discount = layout.discount.flatMap(decimal) ?? .zero
        guard let signed = kind == .payment ? amount : FixedDecimal.zero.subtracting(amount), signed.units >= 0,
            let money = Money(signed, currency: .cny), money.isValidAmount
        else {
            facts.report(
                .row, line: line,
                "\(AlipayBillLayout.amountName) '\(amount)' is not a \(kind == .payment ? "positive" : "negative") amount in yuan for a \(type) row")
            return
        }
        func accepts(_ column: Int?) -> Bool {
            guard let column else { return true }
            return facts.accepts(number: Self.cellBytes(row, column).count, column: layout.names[column], line: line)
        }
        guard accepts(layout.outTradeNo), accepts(layout.transactionID), accepts(layout.outRequestNo) else { return }
        let outTradeNo = Self.cell(row, layout.outTradeNo)
        guard !outTradeNo.isEmpty else {
            facts.report(.row, line: line, "a row without 商户订单号")
            return
        }
        var outRefundNo: String?
        if kind == .refund {
            guard let column = layout.outRequestNo, case let number = Self.cell(row, column), !number.isEmpty else {
                facts.report(.row, line: line, "a 退款 row without 退款批次号/请求号")
                return
            }
            outRefundNo = number
        }
        guard let merchant else {
            facts.report(.identity, line: line, "the bill names no account (#账号) before its rows")
            return
        }
        if let day = facts.day, !wall.isOn(day) {
            facts.report(.identity, line: line, "完成时间 \(wall) is not on \(day), the day of this bill")
        }
        if kind == .payment {
            payments.add(received: received, discount: discount)
        } else {
            refunds.add(received: received, discount: discount)
        }
        if let fee = layout.fee.flatMap(decimal) { rowTally.addFee(fee, currency: .cny) }
        facts.noteRowTime(wall)
        let entry = BillEntry(
            kind: kind, status: .success, providerStatus: type == "交易" ? "TRADE" : "REFUND", merchant: merchant,
            outTradeNo: outTradeNo, outRefundNo: outRefundNo, transactionID: Self.cell(row, layout.transactionID),
            amount: money, time: converter.timestamp(for: wall), location: SourceLocation(file: facts.file, line: line))
        rowTally.count(entry)
        onEntry(consume entry)
    }

    // MARK: - Text

    /// A cell without the one trailing TAB Alipay adds to keep spreadsheets from reading it as a number.
    static func cell(_ row: CSVRow, _ index: Int) -> String { String(decoding: cellBytes(row, index), as: UTF8.self) }

    /// The bytes of ``cell(_:_:)``.
    static func cellBytes(_ row: CSVRow, _ index: Int) -> Slice<UnsafeBufferPointer<UInt8>> {
        let bytes = row.field(index)[...]
        return bytes.last == 0x09 ? bytes.dropLast() : bytes
    }

    /// The whole line of a row, its commas back in place.
    static func text(of row: CSVRow) -> String {
        String(decoding: row.span(0, through: row.count - 1), as: UTF8.self)
    }

    /// `true` for `#`, dashes, `title`, dashes: the detail list's markers, whatever the dash counts.
    static func isMarker(_ line: String, _ title: String) -> Bool {
        guard line.hasPrefix("#-"), let range = line.range(of: title) else { return false }
        let before = line[line.index(after: line.startIndex)..<range.lowerBound]
        let after = line[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return !before.isEmpty && before.allSatisfy { $0 == "-" } && !after.isEmpty && after.allSatisfy { $0 == "-" }
    }

    /// The text after `prefix`, when `line` starts with it.
    static func value(_ line: String, after prefix: String) -> Substring? {
        line.hasPrefix(prefix) ? line.dropFirst(prefix.count) : nil
    }
}

extension AlipayBillLayout {
    /// A layout of the required columns only, standing in for a header that could not be read.
    static let empty = try! AlipayBillLayout(
        header: ["支付宝交易号", "商户订单号", "业务类型", "完成时间", amountName, receivedName], file: "", line: 0)
}
