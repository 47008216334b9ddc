import Foundation
import GatewayProvider
import ReconBills
import ReconCore
import ReconTestSupport
import Testing

@Suite("Gateway daily bills")
struct GatewayBillTests {
    let directory = TemporaryDirectory()
    let header = GatewayBillWriter.columns.joined(separator: ",")
    let summaryHeader =
        "summary,merchant_no,bill_date,currency,record_count,payment_count,payment_amount,refund_count,refund_amount,fee_amount"

    @Test("the bundled bill reads: quoted commas, doubled quotes, a multi-line field, two currencies")
    func fixture() throws {
        let (facts, entries) = try read(Repository.fixture("bills/gateway/daily-2026-11-20.csv"))
        #expect(facts.isValid, "\(facts.problems)")
        #expect(facts.format.description == "gateway daily (v1 columns)")
        #expect(facts.merchant == Sample.gateway)
        #expect(facts.day == CivilDate("2026-11-20"))
        #expect(entries.map(\.outTradeNo) == ["GW-1001", "GW-1002", "GW-0999", "GW-1003"])
        #expect(entries.map(\.status) == [.success, .failed, .success, .success])
        #expect(entries.map(\.location.line) == [2, 3, 4, 5])
        #expect(entries[2].outRefundNo == "GW-0999-R1")
        #expect(entries[3].amount == Money(minorUnits: 8880, currency: .hkd))
        #expect(facts.totals[.cny]?.paid == 12_000)
        #expect(facts.totals[.cny]?.refunded == 2000)
        #expect(facts.totals[.cny]?.fees == FixedDecimal("0.60"))
        #expect(facts.totals[.hkd]?.paid == 8880)
        #expect(facts.summaryChecks.count == 12)
    }

    @Test("an empty day is valid")
    func emptyDay() throws {
        let (facts, entries) = try read(
            Repository.fixture("bills/gateway/daily-empty-day.csv"),
            expecting: BillExpectation(merchant: Sample.gateway, day: CivilDate("2026-11-21")))
        #expect(facts.isValid, "\(facts.problems)")
        #expect(entries.isEmpty)
        #expect(facts.day == CivilDate("2026-11-21"))
    }

    @Test("the writer's bills read back exactly")
    func roundTrip() throws {
        let rows = (0..<40).map { index in
            GatewayBillRow(
                kind: index % 4 == 0 ? .refund : .payment, status: index % 7 == 0 ? "FAILED" : "SUCCESS",
                time: LocalDateTime("2026-11-20 08:00:00")!.adding(seconds: index * 600), outTradeNo: "G\(index)",
                transactionID: "T\(index)", outRefundNo: index % 4 == 0 ? "G\(index)-R" : nil,
                currency: index % 3 == 0 ? "HKD" : "CNY", amount: FixedDecimal(units: Int64(100 + index), scale: 2),
                fee: FixedDecimal(units: Int64(index), scale: 2), description: "item \(index), \"gift\"")
        }
        let text = GatewayBillWriter.bill(merchantID: "800100200", day: CivilDate("2026-11-20")!, rows: rows)
        let (facts, entries) = try read(
            directory.write("bill.csv", text), expecting: BillExpectation(merchant: Sample.gateway, day: CivilDate("2026-11-20")))
        #expect(facts.isValid, "\(facts.problems)")
        #expect(entries.count == 40)
        #expect(entries.map(\.amount.minorUnits) == rows.map { $0.amount.units })
    }

    @Test("a total that does not match the rows is refused")
    func totalMismatch() throws {
        let text = try String(contentsOfFile: Repository.fixture("bills/gateway/daily-2026-11-20.csv"), encoding: .utf8)
            .replacingOccurrences(of: "CNY,3,1,120.00,1,20.00,0.60", with: "CNY,3,1,121.00,1,20.00,0.60")
        let (facts, _) = try read(directory.write("bill.csv", text))
        #expect(facts.problems.map(\.message) == [
            "the summary's payment_amount (CNY) says 121.00 but the rows add up to 120.00 (rows − summary = -1.00)"
        ])
        #expect(facts.problems.first?.line == 8)
    }

    @Test("a currency without its total row is refused as truncated")
    func missingTotal() throws {
        let text = try String(contentsOfFile: Repository.fixture("bills/gateway/daily-2026-11-20.csv"), encoding: .utf8)
            .replacingOccurrences(of: "total,800100200,2026-11-20,HKD,1,1,88.80,0,0.00,0.53\r\n", with: "")
        let (facts, _) = try read(directory.write("bill.csv", text))
        #expect(facts.problems.map(\.area) == [.truncated])
        #expect(facts.problems.first?.message.contains("HKD have no total row") == true)
    }

    @Test("a bill cut before its summary is refused as truncated")
    func truncated() throws {
        let text = header + "\n800100200,2026-11-20 09:15:02,PAYMENT,SUCCESS,GW-1,T1,,CNY,1.00,0.00,x\n"
        let (facts, _) = try read(directory.write("bill.csv", text))
        #expect(facts.problems.map(\.area) == [.truncated])
    }

    @Test("a summary of another merchant or day is refused")
    func identity() throws {
        let text = [header, summaryHeader, "total,800100999,2026-11-19,,0,0,0.00,0,0.00,0.00", ""].joined(separator: "\n")
        let (facts, _) = try read(
            directory.write("bill.csv", text), expecting: BillExpectation(merchant: Sample.gateway, day: CivilDate("2026-11-20")))
        #expect(facts.problems.map(\.message) == [
            "the summary is for merchant 800100999, not 800100200",
            "the summary is for 2026-11-19, not 2026-11-20, the day this bill was named for",
        ])
    }

    @Test("rows with a wrong column count, a bad amount or a bad status are listed with their lines")
    func badRows() throws {
        let text = [
            header,
            "800100200,2026-11-20 09:00:00,PAYMENT,SUCCESS,GW-1,T1,,CNY,1.00,0.00",
            "800100200,2026-11-20 09:00:00,PAYMENT,SUCCESS,GW-2,T2,,CNY,abc,0.00,x",
            "800100200,2026-11-20 09:00:00,PAYMENT,PROCESSING,GW-3,T3,,CNY,1.00,0.00,x",
            summaryHeader, "total,800100200,2026-11-20,CNY,3,0,0.00,0,0.00,0.00", "",
        ].joined(separator: "\n")
        let (facts, _) = try read(directory.write("bill.csv", text))
        #expect(facts.problems.map(\.line) == [2, 3, 4])
        #expect(facts.problems.map(\.message) == [
            "wrong column count: the header has 11 columns, this row has 10",
            "amount 'abc' is not a non-negative number",
            "transaction_status 'PROCESSING' is not valid for a PAYMENT row",
        ])
    }

    @Test("broken quoting stops the read at its line")
    func brokenQuoting() throws {
        let text = header + "\n800100200,2026-11-20 09:00:00,PAYMENT,SUCCESS,GW-1,T1,,CNY,1.00,0.00,\"a\"b\"\n"
        let path = directory.write("bill.csv", text)
        #expect { _ = try read(path) } throws: { error in
            guard case BillError.malformed(let file, let line, _) = error else { return false }
            return file == path && line == 2
        }
    }
}
