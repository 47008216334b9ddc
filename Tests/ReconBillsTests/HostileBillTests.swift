import Foundation
import ReconBills
import ReconCore
import ReconTestSupport
import Testing
import WeChatPayProvider

@Suite("Bytes no bill holds are refused where they stand")
struct HostileBillTests {
    let directory = TemporaryDirectory()

    var goodBill: String {
        try! String(contentsOfFile: Repository.fixture("bills/wechatpay/ALL-current.csv"), encoding: .utf8)
    }

    var gatewayBill: String {
        try! String(contentsOfFile: Repository.fixture("bills/gateway/daily-2026-11-20.csv"), encoding: .utf8)
    }

    func lines(_ text: String) -> [String] { text.components(separatedBy: "\r\n") }

    func failure(_ text: String, name: String = "bill.csv") -> String {
        let path = directory.write(name, text)
        do {
            _ = try read(path)
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: path, with: name)
        }
    }

    @Test("NUL bytes never hide rows: the first one is refused with its line and byte")
    func nul() {
        var rows = lines(goodBill)
        rows[2] = "\0" + rows[2]
        rows[4] = rows[4] + "\0"
        #expect(failure(rows.joined(separator: "\r\n")) == "bill.csv:3: byte 1 of the line is a NUL byte, which no bill holds: the file is damaged or is not a bill.")
    }

    @Test("a carriage return inside a WeChat Pay line is refused at its line, not counted as a line")
    func strayCarriageReturn() {
        var rows = lines(goodBill)
        rows[3] = rows[3].replacingOccurrences(of: "`JSAPI", with: "`JS\rAPI")
        let message = failure(rows.joined(separator: "\r\n"))
        #expect(message.hasPrefix("bill.csv:4: byte "), "\(message)")
        #expect(message.contains("is a carriage return (CR) inside the line"))
    }

    @Test("line numbers after a stray carriage return in a gateway bill do not drift")
    func noDrift() throws {
        var rows = lines(gatewayBill)
        rows[2] = rows[2].replacingOccurrences(of: ",Tea", with: ",Te\ra")
        rows[3] = rows[3].replacingOccurrences(of: "CNY,20.00", with: "CNY,twenty")
        let (facts, _) = try read(directory.write("gateway.csv", rows.joined(separator: "\r\n")))
        #expect(facts.problems.filter { $0.area == .row }.map(\.line) == [3, 4], "\(facts.problems)")
    }

    @Test("a bill whose lines end in CR alone says so")
    func carriageReturnOnly() {
        let message = failure(goodBill.replacingOccurrences(of: "\r\n", with: "\r"))
        #expect(message.hasPrefix("bill.csv:1: the file's lines end in a carriage return (CR) alone, not LF or CRLF"), "\(message)")
    }

    @Test("a field far longer than any bill's is refused without being buffered, plain or gzipped")
    func oversizedField() throws {
        var rows = lines(goodBill)
        rows[1] += String(repeating: "茶", count: 2_000_000)
        let text = rows.joined(separator: "\r\n")
        #expect(failure(text).hasPrefix("bill.csv:2: the row starting here has a field longer than 64 KiB"), "\(failure(text).prefix(200))")
        let gzipped = directory.write("bill.csv.gz", Data(Gzip.compress(Array(text.utf8))))
        #expect { _ = try read(gzipped) } throws: { "\($0)".contains(":2: the row starting here has a field longer than 64 KiB") }
    }

    @Test("a row of thousands of fields is refused")
    func tooManyFields() {
        var rows = lines(goodBill)
        rows[1] = rows[1] + String(repeating: ",`", count: 5_000)
        #expect(failure(rows.joined(separator: "\r\n")).hasPrefix("bill.csv:2: the row starting here has more than 4096 fields"))
    }

    @Test("a row of more than a megabyte in fields of ordinary length and number is refused")
    func oversizedRow() {
        var rows = lines(goodBill)
        rows[1] = rows[1] + String(repeating: ",`" + String(repeating: "x", count: 400), count: 3_000)
        let message = failure(rows.joined(separator: "\r\n"))
        #expect(message.hasPrefix("bill.csv:2: the row starting here has more than 1 MiB"), "\(message.prefix(200))")
    }

    /// A number in each provider's bill, and the column it is in.
    static let numbers: [(fixture: String, number: String, column: String)] = [
        ("bills/wechatpay/ALL-current.csv", "WX20261118143201", "商户订单号"),
        ("bills/wechatpay/ALL-current.csv", "4200002491202611186723451821", "微信订单号"),
        ("bills/wechatpay/ALL-current.csv", "WX20261117101533-R1", "商户退款单号"),
        ("bills/gateway/daily-2026-11-20.csv", "GW-1001", "out_trade_no"),
        ("bills/gateway/daily-2026-11-20.csv", "T2026112000001", "transaction_id"),
        ("bills/gateway/daily-2026-11-20.csv", "GW-0999-R1", "out_refund_no"),
        ("bills/alipay/trade_detail_2019.csv", "service_1568603173853", "商户订单号"),
        ("bills/alipay/trade_detail_2019.csv", "2019091622001458860513822558", "支付宝交易号"),
        ("bills/alipay/trade_detail_2019.csv", "re_test_1568602607356", "退款批次号/请求号"),
    ]

    @Test("a number longer than any order's makes each row it is in a damaged row; one of 256 bytes is read", arguments: numbers)
    func overlongNumber(_ fixture: String, _ number: String, _ column: String) throws {
        let text = try String(contentsOfFile: Repository.fixture(fixture), encoding: .utf8)
        let rows = text.components(separatedBy: number).count - 1
        func padded(to bytes: Int) -> String { number + String(repeating: "0", count: bytes - number.utf8.count) }

        let longest = padded(to: NumberRule.maximumBytes)
        let (accepted, entries) = try read(directory.write("longest.csv", text.replacingOccurrences(of: number, with: longest)))
        #expect(accepted.isValid, "\(accepted.problems)")
        #expect(entries.filter { [$0.outTradeNo, $0.outRefundNo, $0.transactionID].contains(longest) }.count == rows)

        let (refused, _) = try read(
            directory.write("overlong.csv", text.replacingOccurrences(of: number, with: padded(to: NumberRule.maximumBytes + 1))))
        #expect(refused.malformedRows == rows)
        #expect(
            refused.problems.filter { $0.area == .row }.map(\.message)
                == Array(repeating: "\(column) is 257 bytes long, not a number of at most 256 bytes: the row is damaged", count: rows))
    }

    @Test("repeated total rows are one problem each and no extra checks")
    func repeatedTotals() throws {
        let total = try #require(lines(gatewayBill).first { $0.hasPrefix("total,") })
        let text = gatewayBill + String(repeating: total + "\r\n", count: 16_000)
        let (facts, _) = try read(directory.write("totals.csv", text))
        #expect(facts.summaryChecks.count == 12, "6 per currency, CNY and HKD, once each")
        #expect(facts.problemCount == 16_000)
        #expect(facts.problems.count == BillFacts.maxProblems)
        #expect(facts.problems.first?.message == "a second total row for currency 'CNY'")
    }
}

@Suite("Bill totals that do not fit")
struct BillOverflowTests {
    let directory = TemporaryDirectory()

    @Test("rows whose amounts add up past 64 bits make the bill invalid instead of wrapping")
    func rowsOverflow() throws {
        var writer = WeChatBillWriter(type: .all, merchantID: "1900000109")
        var text = writer.header
        for index in 0..<10_000 {
            text += writer.line(for: WeChatBillRow(
                kind: .payment, time: LocalDateTime("2026-11-20 10:00:00")!.adding(seconds: index), outTradeNo: "O\(index)",
                transactionID: "T\(index)", amount: FixedDecimal(units: Money.maximumMinorUnits, scale: 2),
                fee: .zero, outRefundNo: nil, goods: "g"))
        }
        text += writer.summary()
        let (facts, _) = try read(directory.write("big.csv", text))
        #expect(!facts.isValid)
        #expect(facts.problems.contains { $0.message == "the rows' amounts or fees in CNY add up to more than 64 bits can hold" })
        #expect(facts.totals[.cny].map { $0.paid >= 0 } == true, "a total never wraps")
    }

    @Test("an amount beyond the largest a payment can have is a bad row")
    func oneTooLarge() throws {
        let bill = try String(contentsOfFile: Repository.fixture("bills/wechatpay/ALL-current.csv"), encoding: .utf8)
        let text = bill.replacingOccurrences(of: "`88.00,`0.00,`", with: "`99999999999999.00,`0.00,`")
        let (facts, _) = try read(directory.write("huge.csv", text))
        #expect(facts.problems.first?.message == "订单金额 '99999999999999.00' is not an amount from 0 to CNY 10000000000000.00")
    }
}

@Suite("Files that are not bills at all")
struct NotABillTests {
    let directory = TemporaryDirectory()

    @Test("a ZIP archive, plain or gzipped, is named as one, with no advice to convert its encoding")
    func zip() {
        let archive: [UInt8] = Array("PK\u{03}\u{04}".utf8) + [0x14, 0x00, 0xFF, 0xFE] + Array(repeating: 0, count: 40)
        for (name, bytes) in [("bill.zip", archive), ("bill.csv.gz", Gzip.compress(archive))] {
            let path = directory.write(name, Data(bytes))
            #expect { _ = try read(path) } throws: { error in
                "\(error)".hasPrefix("\(path): the file is a ZIP archive") && !"\(error)".contains("iconv")
            }
        }
    }
}
