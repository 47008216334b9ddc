import AlipayProvider
import Foundation
import GatewayProvider
import ReconBills
import ReconCore
import ReconTestSupport
import Testing
import WeChatPayProvider

@Suite("Bad bills are refused with the file, the line and what to do")
struct BadBillTests {
    let directory = TemporaryDirectory()

    /// The bundled ALL bill's text.
    var goodBill: String {
        try! String(contentsOfFile: Repository.fixture("bills/wechatpay/ALL-current.csv"), encoding: .utf8)
    }

    func lines(_ text: String) -> [String] { text.components(separatedBy: "\r\n") }

    @Test("a truncated bill lacks its summary and says so")
    func truncated() throws {
        let cut = String(goodBill.prefix(goodBill.count / 2))
        let (facts, _) = try read(directory.write("cut.csv", cut))
        #expect(!facts.isValid)
        let problem = try #require(facts.problems.last)
        #expect(problem.area == .truncated)
        #expect(problem.message.contains("truncated"))
        #expect(problem.line != nil)
    }

    @Test("a truncated gzip file is refused before any result is trusted")
    func truncatedGzip() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.fixture("bills/wechatpay/ALL-current.csv.gz")))
        let path = directory.write("cut.csv.gz", data.prefix(data.count - 12))
        #expect {
            _ = try read(path)
        } throws: { error in
            guard case BillError.truncated(let file, _, _) = error else { return false }
            return file == path && "\(error)".contains("Download it again")
        }
    }

    @Test("a row with the wrong column count is reported with its line")
    func wrongColumnCount() throws {
        var rows = lines(goodBill)
        rows[2] = rows[2].replacingOccurrences(of: ",`store=12", with: "")
        let (facts, entries) = try read(directory.write("columns.csv", rows.joined(separator: "\r\n")))
        #expect(!facts.isValid)
        let problem = try #require(facts.problems.first)
        #expect(problem.area == .row)
        #expect(problem.line == 3)
        #expect(problem.message.contains("wrong column count: the header has 27 columns, this row has 26"))
        #expect(entries.count == 5)
    }

    @Test("a non-numeric amount is reported with its line and column")
    func nonNumericAmount() throws {
        var rows = lines(goodBill)
        rows[1] = rows[1].replacingOccurrences(of: "`88.00,`0.00,`", with: "`8O.00,`0.00,`")
        let (facts, _) = try read(directory.write("amount.csv", rows.joined(separator: "\r\n")))
        let problem = try #require(facts.problems.first)
        #expect(problem.line == 2)
        #expect(problem.message == "应结订单金额 '8O.00' is not a number")
        #expect(problem.describe(in: "amount.csv") == "amount.csv:2: 应结订单金额 '8O.00' is not a number")
    }

    @Test("a bill of another merchant is refused")
    func otherMerchant() throws {
        let (facts, _) = try read(
            Repository.fixture("bills/wechatpay/ALL-current.csv"),
            expecting: BillExpectation(merchant: MerchantRef(provider: .wechatPay, merchantID: "1900000999")))
        #expect(!facts.isValid)
        #expect(facts.problems.allSatisfy { $0.area == .identity })
        #expect(facts.problems.first?.message.contains("merchant 1900000109, not 1900000999") == true)
        #expect(facts.problems.first?.line == 2)
    }

    @Test("a bill of another day is refused")
    func otherDay() throws {
        let (facts, _) = try read(
            Repository.fixture("bills/wechatpay/ALL-current.csv"),
            expecting: BillExpectation(day: CivilDate("2026-11-19")))
        #expect(!facts.isValid)
        #expect(facts.problems.first?.message == "交易时间 2026-11-18 14:32:07 is not on 2026-11-19, the day this bill was named for")
    }

    @Test("a bill of another provider is refused")
    func otherProvider() throws {
        let (facts, _) = try read(
            Repository.fixture("bills/wechatpay/ALL-current.csv"),
            expecting: BillExpectation(merchant: Sample.gateway))
        #expect(facts.problems.first?.message == "this is a WeChat Pay bill, but it was named as a bill of gateway/800100200")
    }

    @Test("rows that do not add up to the summary are refused, naming the total and the difference")
    func summaryMismatch() throws {
        let altered = goodBill.replacingOccurrences(of: "`6,`355.31,", with: "`6,`355.30,")
        let (facts, _) = try read(directory.write("altered.csv", altered))
        #expect(!facts.isValid)
        let problem = try #require(facts.problems.first)
        #expect(problem.area == .summary)
        #expect(problem.line == 9)
        #expect(problem.message == "the summary's 应结订单总金额 says 355.30 but the rows add up to 355.31 (rows − summary = +0.01)")
    }

    @Test("a summary count that disagrees with the rows is refused")
    func summaryCount() throws {
        let altered = goodBill.replacingOccurrences(of: "`6,`355.31,", with: "`7,`355.31,")
        let (facts, _) = try read(directory.write("count.csv", altered))
        #expect(facts.problems.map(\.message) == ["the summary's 总交易单数 says 7 but the rows add up to 6 (rows − summary = -1)"])
    }

    @Test("content after the summary is refused")
    func trailingContent() throws {
        let (facts, _) = try read(directory.write("extra.csv", goodBill + "`2026-11-18 10:00:00,`x\r\n"))
        #expect(facts.problems.map(\.message) == ["unexpected content after the summary block"])
    }

    @Test("an unknown format is refused with what was seen")
    func unknownFormat() throws {
        let path = directory.write("orders.csv", "id,amount,when\n1,2.00,2026-11-20\n")
        #expect {
            _ = try read(path)
        } throws: { error in
            "\(error)" == "\(path): unknown bill format; its first line is 'id,amount,when'. order-recon reads Alipay "
                + "trade detail files (…_业务明细.csv, or the .csv.zip Alipay delivers), WeChat Pay "
                + "trade bills (ALL, SUCCESS or REFUND, current or legacy columns) and gateway daily bills "
                + "(docs/gateway-bill.md)."
        }
    }

    @Test("GBK text is read as such: its header is named in Chinese, with no advice to convert it")
    func gbk() throws {
        let gbk: [UInt8] = [0xBD, 0xBB, 0xD2, 0xD7, 0xCA, 0xB1, 0xBC, 0xE4, 0x2C, 0x41, 0x0A]
        let path = directory.write("gbk.csv", Data(gbk))
        #expect { _ = try read(path) } throws: { "\($0)".contains("its first line is '交易时间,A'") && !"\($0)".contains("iconv") }
    }

    @Test("text that is neither UTF-8 nor GB18030 is refused as such")
    func neitherEncoding() throws {
        let path = directory.write("latin.csv", Data([0x41, 0x2C, 0xFF, 0x80, 0x0A]))
        #expect { _ = try read(path) } throws: { "\($0)".contains("neither UTF-8 nor GB18030") }
    }

    @Test("the start of an Alipay bill and nothing more is an Alipay bill cut short")
    func alipay() throws {
        let path = directory.write("alipay.csv", "#支付宝业务明细查询\n#账号：[20880211096256330156]\n")
        let facts = try read(path).facts
        #expect(facts.format.provider == .alipay && facts.problems.contains { $0.area == .truncated })
    }

    @Test("an unreadable file is refused with the reason")
    func unreadable() throws {
        let missing = directory.file("nope.csv")
        #expect { _ = try read(missing) } throws: { error in
            "\(error)" == "\(missing): cannot read the file (No such file or directory). Check the path and its permissions."
        }
        #expect { _ = try read(directory.path) } throws: { "\($0)".contains("Is a directory") }
    }

    @Test("an empty file is refused")
    func emptyFile() throws {
        let path = directory.write("empty.csv", "")
        #expect { _ = try read(path) } throws: { error in
            guard case BillError.empty = error else { return false }
            return true
        }
    }

    @Test("an empty day is valid: header, summary, zero rows and zero totals")
    func emptyDay() throws {
        let (facts, entries) = try read(
            Repository.fixture("bills/wechatpay/ALL-current-empty-day.csv"),
            expecting: BillExpectation(merchant: Sample.wechat, day: CivilDate("2026-11-18")))
        #expect(facts.isValid)
        #expect(entries.isEmpty)
        #expect(facts.detailRows == 0)
        #expect(facts.summaryChecks.allSatisfy { $0.matches && $0.stated.isZero })
    }

    @Test("every malformed row is listed, with line numbers that count CRLF and blank lines right")
    func everyProblem() throws {
        var rows = lines(goodBill)
        rows[1] = rows[1].replacingOccurrences(of: "`88.00,`0.00,`", with: "`x,`0.00,`")
        rows[4] = rows[4].replacingOccurrences(of: "`SUCCESS,`", with: "`PAID,`")
        rows.insert("", at: 3)
        let (facts, _) = try read(directory.write("many.csv", rows.joined(separator: "\r\n")))
        #expect(facts.problems.map(\.line) == [2, 6])
        #expect(facts.problems[1].message == "交易状态 'PAID' is not SUCCESS, REFUND or REVOKED")
        #expect(facts.malformedRows == 2)
        #expect(facts.summaryChecks.map(\.name) == ["总交易单数"])
        #expect(facts.uncheckedSummaryColumns.count == 6)
    }
}
