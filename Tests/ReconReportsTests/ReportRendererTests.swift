import Foundation
import GatewayProvider
import ProviderPlugins
import ReconCore
import ReconReports
import ReconTestSupport
import Synchronization
import Testing
import WeChatPayProvider

/// A report with a few discrepancies, built from the in-memory matcher.
func sampleReport(runID: String = "run-1", startedAt: Int64 = 1_795_140_000) -> DayReport {
    var run = InMemoryReconciliation(orders: [
        Sample.order("A", "10.00"), Sample.order("=HYPERLINK(\"x\")", "5.00"), Sample.order("T", at: "2026-11-20 23:58:00"),
    ])
    run.bill([Sample.payment("A", "10.30", line: 2), Sample.payment("X", "-1.00", line: 3)])
    let result = run.run()[0]
    return DayReport(
        day: Sample.day, zones: [.wechatPay: "Asia/Shanghai"], graceSeconds: 600,
        store: .init(path: "store.sqlite", ordersRead: 3, refundsRead: 0, rowsSHA256: String(repeating: "a", count: 64)),
        bills: [
            .init(
                path: "bills/wechatpay_1900000109_2026-11-20_ALL.csv", sha256: String(repeating: "b", count: 64), bytes: 100,
                compressed: false, format: "ALL (current columns)", merchant: Sample.wechat, day: Sample.day,
                paymentRows: 2, refundRows: 0,
                totals: [.init(currency: .cny, payments: 2, paidMinor: 930, refunds: 0, refundedMinor: 0, fees: FixedDecimal("0.06")!)],
                summaryChecks: 7)
        ],
        statistics: result.statistics, discrepancies: result.discrepancies, unreconciled: [],
        run: .init(
            runID: runID, startedAt: Timestamp(epochSeconds: startedAt, utcOffsetSeconds: 28_800),
            finishedAt: Timestamp(epochSeconds: startedAt + 3, utcOffsetSeconds: 28_800), version: "test"),
        codes: Providers.directory.book)
}

@Suite("Report renderers")
struct ReportRendererTests {
    @Test("JSON text survives any characters: quotes, backslashes, control characters, slashes and Chinese")
    func jsonEscapes() throws {
        var report = sampleReport()
        let text = "a \"quoted\" \\ path/to\n\ttab\r\u{1}\u{8}\u{C}\u{1F} 商户 \u{2028} end"
        report.discrepancies[0].explanation = text
        report.openItems = OpenItemsSection(new: [], stillOpen: [], resolved: [])
        let data = JSONReportRenderer.render(report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((json["discrepancies"] as? [[String: Any]])?.first)
        #expect(first["explanation"] as? String == text)
        #expect((json["open_items"] as? [String: Any])?["new"] as? [Any] != nil)
        let page = String(decoding: data, as: UTF8.self)
        #expect(page.contains(#"path/to\n\ttab\r\u0001\b\f\u001f 商户"#), "slashes and Chinese are written as they are")
        #expect(page.hasSuffix("}\n") && page.contains("\"new\" : []"))
    }

    @Test("the same report renders to the same JSON bytes")
    func jsonIsDeterministic() throws {
        #expect(JSONReportRenderer.render(sampleReport()) == JSONReportRenderer.render(sampleReport()))
    }

    @Test("JSON integers are written exactly, down to 0, negative amounts and the largest amount there is")
    func jsonIntegers() throws {
        var report = sampleReport()
        let minors: [Int64] = [0, -1, 7, -Money.maximumMinorUnits, Money.maximumMinorUnits, 1_000_000_000_000]
        report.discrepancies = minors.map { minor in
            var discrepancy = report.discrepancies[0]
            discrepancy.difference = Money(minorUnits: minor, currency: .cny)
            discrepancy.amountAtStake = Money(minorUnits: abs(minor), currency: .cny)
            return discrepancy
        }
        let text = String(decoding: JSONReportRenderer.render(report), as: UTF8.self)
        for minor in minors { #expect(text.contains("\"difference_minor\" : \(minor),"), "\(minor)") }
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let written = (json["discrepancies"] as! [[String: Any]]).map { ($0["difference_minor"] as! NSNumber).int64Value }
        #expect(written == minors)
    }

    @Test("the run's own id and timestamps are under \"run\" and nowhere else")
    func runFactsAreSeparate() throws {
        let first = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(sampleReport())) as! [String: Any]
        let second = try JSONSerialization.jsonObject(
            with: JSONReportRenderer.render(sampleReport(runID: "run-2", startedAt: 1_800_000_000))) as! [String: Any]
        #expect((first["run"] as! [String: String])["run_id"] == "run-1")
        #expect((second["run"] as! [String: String])["run_id"] == "run-2")
        var strippedFirst = first
        var strippedSecond = second
        strippedFirst["run"] = nil
        strippedSecond["run"] = nil
        #expect(NSDictionary(dictionary: strippedFirst) == NSDictionary(dictionary: strippedSecond))
        let text = String(decoding: JSONReportRenderer.render(sampleReport()), as: UTF8.self)
        #expect(text.components(separatedBy: "run-1").count == 2)
    }

    @Test("JSON carries inputs with their SHA-256, counts, totals and each discrepancy with both sides")
    func jsonContent() throws {
        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(sampleReport())) as! [String: Any]
        #expect(json["format"] as? String == "order-recon.day-report/1")
        let inputs = json["inputs"] as! [String: Any]
        let bill = (inputs["bills"] as! [[String: Any]])[0]
        #expect(bill["sha256"] as? String == String(repeating: "b", count: 64))
        #expect((inputs["store"] as! [String: Any])["rows_sha256"] as? String == String(repeating: "a", count: 64))
        let counts = json["counts"] as! [String: Any]
        #expect(counts["total"] as? Int == 4)
        #expect(counts["alarms"] as? Int == 3)
        let discrepancies = json["discrepancies"] as! [[String: Any]]
        let mismatch = try #require(discrepancies.first { $0["kind"] as? String == "amount_mismatch" })
        #expect(mismatch["difference_minor"] as? Int == 30)
        #expect(mismatch["currency"] as? String == "CNY")
        #expect((mismatch["local"] as! [String: Any])["amount_minor"] as? Int == 1000)
        #expect((mismatch["bill"] as! [String: Any])["amount_minor"] as? Int == 1030)
        #expect((mismatch["bill"] as! [String: Any])["rows"] as? [String] == ["bill.csv:2"])
        #expect((mismatch["explanation"] as? String)?.isEmpty == false)
        let missing = try #require(discrepancies.first { $0["kind"] as? String == "missing_locally" })
        #expect(missing["local"] is NSNull)
        #expect(missing["out_refund_no"] is NSNull)
    }

    @Test(
        "reports quote the store's last error code with its catalog text and category",
        arguments: [
            (Sample.wechat, "SYSTEM_ERROR", "SYSTEM_ERROR — 系统异常,请稍后重试", "query_to_confirm"),
            (Sample.gateway, "E02", "E02 — Network timeout or error", "query_to_confirm"),
            (Sample.gateway, "C14", "C14 — Transaction amount exceeds allowed range", "final_failure"),
            (Sample.gateway, "ZZ9", "ZZ9 — not in gateway's error-code catalogs", nil),
        ] as [(MerchantRef, String, String, String?)])
    func lastErrorQuoted(merchant: MerchantRef, code: String, quoted: String, category: String?) throws {
        var report = sampleReport()
        let order = Sample.order("P1", "8.00", .pending, merchant: merchant, lastErrorCode: code)
        report.discrepancies = [
            Discrepancy(
                kind: .statusMismatch, day: Sample.day, merchant: merchant, outTradeNo: "P1", local: Observation(order),
                explanation: "x")
        ]
        let json = try JSONSerialization.jsonObject(with: JSONReportRenderer.render(report)) as! [String: Any]
        let local = (json["discrepancies"] as! [[String: Any]])[0]["local"] as! [String: Any]
        #expect(local["last_error_code"] as? String == code)
        #expect(local["last_error"] as? String == quoted)
        #expect(local["last_error_category"] as? String == category)
        let csv = String(decoding: CSVReportRenderer.render(report), as: UTF8.self)
        let header = csv.components(separatedBy: "\r\n")[0].components(separatedBy: ",")
        #expect(header.suffix(2) == ["local_last_error", "explanation"])
        #expect(csv.components(separatedBy: "\r\n")[1].hasSuffix("," + CSVReportRenderer.cell(quoted) + ",x"))
    }

    @Test("CSV starts with a byte-order mark and has one line per discrepancy")
    func csvShape() {
        let data = CSVReportRenderer.render(sampleReport())
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == CSVReportRenderer.columns.joined(separator: ","))
        #expect(lines.count == 5)
        #expect(CSVReportRenderer.render(sampleReport()) == CSVReportRenderer.render(sampleReport(runID: "other")))
    }

    @Test(
        "CSV cells that could run as formulas are escaped",
        arguments: [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-120", "'-120"), ("@cmd", "'@cmd"), ("\tx", "\\u{9}x"),
            ("\rx", "\\u{D}x"), ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=1,2", "\"'=1,2\""), ("", ""), ("1-2", "1-2"), ("=订单,1", "\"'=订单,1\""),
            ("订单\u{202E}\"x", "\"订单\\u{202E}\"\"x\""), ("\"\"a\"", "\"\"\"\"\"a\"\"\""), ("\"", "\"\"\"\""),
            ("=a\"b", "\"'=a\"\"b\""),
        ])
    func formulaEscaping(value: String, cell: String) {
        #expect(CSVReportRenderer.cell(value) == cell)
    }

    @Test(
        "a CSV cell is quoted or escaped wherever in it the byte that needs it stands",
        arguments: [",", "\"", "\t", "\u{7F}", "é", "="])
    func cellBytesAnywhere(special: String) {
        // Each place of a cell of 17 characters, first, last and between; an `é` takes two bytes.
        let base = Array("abcdefghijklmnopq")
        for position in base.indices {
            var characters = base
            characters[position] = Character(special)
            let value = String(characters)
            let expected = switch special {
            case ",": "\"\(value)\""
            case "\"": "\"\(value.replacingOccurrences(of: "\"", with: "\"\""))\""
            case "\t": value.replacingOccurrences(of: "\t", with: "\\u{9}")
            case "\u{7F}": value.replacingOccurrences(of: "\u{7F}", with: "\\u{7F}")
            case "=": position == 0 ? "'" + value : value
            default: value
            }
            #expect(CSVReportRenderer.cell(value) == expected, "\(special) at \(position)")
        }
    }

    @Test("a discrepancy about an order whose number looks like a formula is written escaped")
    func formulaInData() {
        let text = String(decoding: CSVReportRenderer.render(sampleReport()), as: UTF8.self)
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(!text.contains(",=HYPERLINK"))
    }

    @Test("the summary names the day, the bills, the counts, the money at stake and the report files")
    func summary() {
        let text = SummaryRenderer.render(sampleReport(), reportPaths: ["r/x.json", "r/x.csv"])
        #expect(text.hasPrefix(
            "order-recon 2026-11-20 (Asia/Shanghai): 3 discrepancies need attention; 1 expected to clear with the next bill\n"))
        #expect(text.contains("wechatpay/1900000109 ALL (current columns): 2 payments, 0 refunds; totals verified (7 checks)"))
        #expect(text.contains("1 amount_mismatch"))
        #expect(text.contains("(expected to clear)"))
        #expect(text.contains("  reports   r/x.json\n            r/x.csv\n"))
    }
}

@Suite("Staged report files")
struct StagedFilesTests {
    let directory = TemporaryDirectory()

    @Test("staged files appear only on commit, under their final names")
    func commit() throws {
        let staged = StagedFiles(inside: directory.path)
        let target = directory.file("reports/2026-11-20/a.json")
        try staged.stage(Data("{}".utf8), at: target)
        #expect(!FileManager.default.fileExists(atPath: target))
        try staged.commit()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "{}")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("reports/2026-11-20")) == ["a.json"])
    }

    @Test("files staged from many threads at once, into folders made as they go, all land on commit")
    func concurrentStaging() throws {
        let staged = StagedFiles(inside: directory.path)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            do {
                try staged.stage(Data("\(index)".utf8), at: directory.file("reports/\(index % 4)/\(index).json"))
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(staged.destinations.count == 64)
        try staged.commit()
        for index in 0..<64 {
            #expect(try String(contentsOfFile: directory.file("reports/\(index % 4)/\(index).json"), encoding: .utf8) == "\(index)")
        }
        let names = try (0..<4).flatMap { try FileManager.default.contentsOfDirectory(atPath: directory.file("reports/\($0)")) }
        #expect(names.count == 64, "no temporary file is left beside them")
    }

    @Test("discarded (or abandoned) staged files leave nothing behind")
    func discard() throws {
        do {
            let staged = StagedFiles(inside: directory.path)
            try staged.stage(Data("{}".utf8), at: directory.file("b.json"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("an unwritable folder is reported with its path")
    func unwritable() throws {
        let blocker = directory.write("file", "x")
        #expect { try StagedFiles(inside: directory.path).stage(Data(), at: blocker + "/sub/c.json") } throws: { error in
            "\(error)".contains(blocker)
        }
    }
}
