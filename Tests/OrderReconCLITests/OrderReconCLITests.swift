import Foundation
import ReconTestSupport
import Testing

@Suite("The order-recon command")
struct OrderReconCLITests {
    let directory = TemporaryDirectory("order-recon-cli")

    /// A copy of the demo store and bills, with a config file pointing at them.
    func demo() throws -> String {
        try DemoStore.make(at: directory.file("store.sqlite"))
        try FileManager.default.copyItem(atPath: Repository.fixture("demo/bills"), toPath: directory.file("bills"))
        directory.write(
            "order-recon.yaml",
            """
            store:
              path: store.sqlite
            bills:
              paths: [bills]
            reports:
              folder: reports
            reconcile:
              merchants: [wechatpay/1900000109, wechatpay/1900000110, gateway/800100200]
            """)
        return directory.file("order-recon.yaml")
    }

    @Test("bill check: a valid bill exits 0 and prints counts, totals, dates and the summary checks")
    func billCheckValid() throws {
        let output = try CLI.run(["bill", "check", "fixtures/bills/wechatpay/ALL-legacy.csv"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("valid wechatpay ALL (legacy columns) bill"))
        #expect(output.stdout.contains("4 payment SUCCESS, 1 refund REFUND/PROCESSING, 1 refund REFUND/SUCCESS"))
        #expect(output.stdout.contains("CNY: 4 paid = 35731 minor (357.31), 2 refunded = 4550 minor (45.50), fees 1.87080"))
        #expect(output.stdout.contains("dates      2026-11-18 09:05:44 to 2026-11-18 23:58:31"))
        #expect(output.stdout.contains("5 of 5 totals match the rows"))
    }

    @Test(
        "codes explains a code with its text, category and source, and exits by whether a catalog knows it",
        arguments: [
            (["codes", "E02"], Int32(0), ["E02 — Payment gateway API [gateway]", "text      Network timeout or error",
                "category  query_to_confirm", "provider-docs/004_7c3245fcdfb83169.txt"]),
            (["codes", "-99", "--provider", "wallet-gateway"], 0, ["text      System error", "中文      系统错误",
                "text      out_trade_no/refund_no must be unique"]),
            (["codes", "-1"], 0, ["[wechat-card]", "retry_later", "[wallet-gateway]", "query_to_confirm"]),
            (["codes", "s04"], 0, ["S04 — Payment gateway API", "rate_limited"]),
            (["codes", "XYZ"], 3, ["XYZ: not in any catalog searched"]),
            (["codes", "E02", "--provider", "wechatpay"], 3, ["not in any catalog searched (wechatpay-v3, wechat-miniprogram, wechat-card)"]),
        ] as [([String], Int32, [String])])
    func codes(arguments: [String], status: Int32, expected: [String]) throws {
        let output = try CLI.run(arguments)
        #expect(output.status == status)
        for text in expected { #expect(output.stdout.contains(text), "\(text) not in \(output.stdout)") }
    }

    @Test("bill check: Alipay's real bill, GBK in a .csv.zip, passes with its footers verified; changed, it fails")
    func billCheckAlipay() throws {
        let output = try CLI.run(["bill", "check", "fixtures/bills/alipay/alipay_2088021109625633_2019-09-16.csv.zip"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("valid alipay trade (detail columns) bill"))
        #expect(output.stdout.contains("rows       10 detail rows: 6 payment TRADE, 4 refund REFUND"))
        #expect(output.stdout.contains("summary    6 of 6 totals match the rows"))
        #expect(output.stdout.contains("(ZIP: 20880211096256330156_20190916_业务明细.csv, GB18030 text)"))
        let tampered = try CLI.run(["bill", "check", "fixtures/bills/alipay/tampered/alipay_2088021109625633_2019-09-16.csv.zip"])
        #expect(tampered.status == 3)
        #expect(tampered.stdout.contains("the summary's 交易商家实收 says 0.06 but the rows add up to 0.07"))
        let codes = try CLI.run(["codes", "ACQ.SYSTEM_ERROR", "--provider", "alipay"])
        #expect(codes.status == 0 && codes.stdout.contains("query_to_confirm"))
    }

    @Test("codes refuses an unknown provider and a missing code with usage errors")
    func codesUsage() throws {
        let provider = try CLI.run(["codes", "E02", "--provider", "nope"])
        #expect(provider.status == 2)
        #expect(provider.stderr.contains("No error-code catalog covers provider 'nope'. Known providers: alipay, gateway, wallet-gateway, wechatpay."))
        #expect(try CLI.run(["codes"]).status == 2)
        #expect(try CLI.run(["codes", "E01", "E02"]).status == 2)
    }

    @Test("codes --json prints every row with its category")
    func codesJSON() throws {
        let output = try CLI.run(["codes", "system_error", "--json"])
        #expect(output.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(json["known"] as? Bool == true)
        let row = (json["matches"] as! [[String: Any]])[0]
        #expect(row["code"] as? String == "SYSTEM_ERROR")
        #expect(row["category"] as? String == "query_to_confirm")
        #expect(row["http_status"] as? Int == 500)
        #expect(row["quoted"] as? String == "SYSTEM_ERROR — 系统异常,请稍后重试")
    }

    @Test(
        "run refuses contradictory provider options with a usage error",
        arguments: [
            (["run", "--date", "2026-11-20", "--apply", "--dry-run"], "Give --apply or --dry-run, not both."),
            (["run", "--date", "2026-11-20", "--dry-run", "--no-queries"], "--dry-run needs queries"),
            (["bill", "download", "--date", "2026-11-20", "--from", "2026-11-19", "--to", "2026-11-20"], "Give either --date, or --from and --to, not both."),
            (["bill", "download"], "Give --date, or --from and --to."),
        ])
    func providerOptions(arguments: [String], message: String) throws {
        let output = try CLI.run(arguments)
        #expect(output.status == 2)
        #expect(output.stderr.contains(message))
    }

    @Test("provider-sim serves loopback only")
    func simulatorLoopbackOnly() throws {
        let output = try CLI.run(["serve", "--scenario", "x.json", "--keys", "k", "--host", "0.0.0.0"], program: "provider-sim")
        #expect(output.status != 0)
        #expect(output.stderr.contains("The simulator serves loopback only"))
    }

    @Test("bill check --json prints the findings as JSON")
    func billCheckJSON() throws {
        let output = try CLI.run(["bill", "check", "--json", "fixtures/bills/gateway/daily-2026-11-20.csv"])
        #expect(output.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(json["valid"] as? Bool == true)
        #expect((json["rows"] as! [String: Any])["detail"] as? Int == 4)
        #expect((json["totals"] as! [[String: Any]]).map { $0["currency"] as! String } == ["CNY", "HKD"])
    }

    @Test("bill check: rows that do not add up exit non-zero and list every problem with its line")
    func billCheckInvalid() throws {
        let text = try String(contentsOfFile: Repository.fixture("bills/wechatpay/ALL-current.csv"), encoding: .utf8)
            .replacingOccurrences(of: "`6,`355.31,", with: "`6,`355.30,")
            .replacingOccurrences(of: "`88.00,`0.00,`", with: "`8.8.0,`0.00,`")
        let path = directory.write("bill.csv", text)
        let output = try CLI.run(["bill", "check", path])
        #expect(output.status == 3)
        #expect(output.stdout.contains("NOT VALID"))
        #expect(output.stdout.contains("\(path):2: 应结订单金额 '8.8.0' is not a number"))
        let json = try CLI.run(["bill", "check", "--json", path])
        #expect(json.status == 3)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["valid"] as? Bool == false)
    }

    @Test("bill check: an unknown format exits 3 with the reason on stderr")
    func billCheckUnknown() throws {
        let path = directory.write("x.csv", "a,b\n1,2\n")
        let output = try CLI.run(["bill", "check", path])
        #expect(output.status == 3)
        #expect(output.stderr.hasPrefix("order-recon: \(path): unknown bill format"))
    }

    @Test("run: 1 with discrepancies, summary on stdout, reports written")
    func runWithDiscrepancies() throws {
        let config = try demo()
        let output = try CLI.run(["run", "--config", config, "--date", "2026-11-19"], in: directory.path)
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("order-recon 2026-11-19 (Asia/Shanghai): 9 discrepancies need attention\n"))
        #expect(output.stdout.contains("reports   \(directory.path)/reports/2026/11/19/order-recon-2026-11-19.json"))
        #expect(FileManager.default.fileExists(atPath: directory.file("reports/2026/11/19/order-recon-2026-11-19.csv")))
    }

    @Test("run: 0 when the days are clean")
    func runClean() throws {
        let config = try demo()
        let output = try CLI.run(["run", "--config", config, "--from", "2026-11-18", "--to", "2026-11-18"], in: directory.path)
        #expect(output.status == 0, "\(output.stderr)")
    }

    @Test("run: without a date, yesterday in the providers' time zone is reconciled")
    func runYesterday() throws {
        let config = try demo()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = calendar.date(byAdding: .day, value: -1, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: yesterday)
        let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        let output = try CLI.run(["run", "--config", config], in: directory.path)
        #expect(output.status == 3)
        #expect(output.stderr.contains("No bill for wechatpay/1900000109 on \(day)"), "\(output.stderr)")
    }

    @Test("run: options and the environment override the config file")
    func runOverrides() throws {
        let config = try demo()
        let output = try CLI.run(
            ["run", "--config", config, "--date", "2026-11-18", "--reports", "elsewhere"], in: directory.path,
            environment: ["ORDER_RECON_STORE_PATH": directory.file("store.sqlite")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.file("elsewhere/2026/11/18/order-recon-2026-11-18.json")))
    }

    struct Usage: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let usageErrors: [Usage] = [
        Usage(arguments: ["run", "--date", "2026-02-30"], message: "The value '2026-02-30' is invalid for '--date <date>'"),
        Usage(arguments: ["run", "--date", "2026-11-19", "--from", "2026-11-18"], message: "Give either --date, or --from and --to"),
        Usage(arguments: ["run", "--from", "2026-11-19", "--to", "2026-11-18"], message: "--to (2026-11-18) is before --from (2026-11-19)"),
        Usage(arguments: ["run", "--date", "2026-11-19"], message: "No order store given."),
        Usage(arguments: ["run", "--nonsense"], message: "Unknown option '--nonsense'"),
        Usage(arguments: ["bill", "check", "x.csv", "--merchant", "paypal/1"], message: "'paypal/1' is not a merchant."),
    ]

    @Test("usage and configuration errors exit 2", arguments: usageErrors)
    func usage(_ usage: Usage) throws {
        let output = try CLI.run(usage.arguments, in: directory.path)
        #expect(output.status == 2)
        #expect(output.stderr.contains(usage.message), "\(output.stderr)")
    }

    @Test("run: bad input exits 3, names the file and line, and writes no report")
    func runBadInput() throws {
        let config = try demo()
        let bill = directory.file("bills/gateway_800100200_2026-11-19.csv")
        let text = try String(contentsOfFile: bill, encoding: .utf8).replacingOccurrences(of: "CNY,15.00", with: "CNY,fifteen")
        try text.write(toFile: bill, atomically: true, encoding: .utf8)
        let output = try CLI.run(["run", "--config", config, "--date", "2026-11-19"], in: directory.path)
        #expect(output.status == 3)
        #expect(output.stderr.contains("bills/gateway_800100200_2026-11-19.csv:3: amount 'fifteen' is not a non-negative number"))
        #expect(output.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.file("reports")))
    }

    @Test("open lists the items a run left open; ack records who and why; status checks the last success")
    func openAckStatus() throws {
        let config = try demo()
        let never = try CLI.run(["status", "--config", config])
        #expect(never.status == 1)
        #expect(never.stdout.hasPrefix("STALE: ") && never.stdout.contains("records no successful run"))

        #expect(try CLI.run(["run", "--config", config, "--date", "2026-11-19"], in: directory.path).status == 1)
        let open = try CLI.run(["open", "--config", config])
        #expect(open.status == 0)
        let lines = open.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("id  ") == true || lines.first?.hasPrefix("id ") == true)
        #expect(lines.count == 11, "a header, 9 items and a total")
        #expect(open.stdout.contains("missing_locally         X19-UNKNOWN  CNY 77.00"))
        #expect(lines.last?.hasPrefix("9 items, the oldest ") == true)

        let json = try CLI.run(["open", "--config", config, "--json"])
        let items = json.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let unknown = try #require(items.first { $0["out_trade_no"] as? String == "X19-UNKNOWN" })
        let id = try #require(unknown["id"] as? String)

        let ack = try CLI.run(["ack", id, "--note", "test payment, refunded", "--by", "li.wei", "--config", config])
        #expect(ack.status == 0)
        #expect(ack.stdout.contains("\(id) acknowledged by li.wei"))
        #expect(try CLI.run(["open", "--config", config]).stdout.contains("8 items"))
        let listed = try CLI.run(["open", "--config", config, "--acknowledged"])
        #expect(listed.stdout.contains("acknowledged") && listed.stdout.contains("9 items"))
        let twice = try CLI.run(["ack", id, "--note", "again", "--config", config])
        #expect(twice.status == 3)
        #expect(twice.stderr.contains("was already acknowledged by li.wei"))
        let unknownID = try CLI.run(["ack", "0000000000000000", "--note", "x", "--config", config])
        #expect(unknownID.status == 3 && unknownID.stderr.contains("'order-recon open' lists the open items"))
        #expect(try CLI.run(["ack", id, "--note", " ", "--config", config]).status == 2)

        let fresh = try CLI.run(["status", "--config", config, "--max-age", "26h"])
        #expect(fresh.status == 0)
        #expect(fresh.stdout.hasPrefix("OK: last successful run finished "))
        let stale = try CLI.run(["status", "--config", config, "--max-age", "0s"])
        #expect(stale.status == 2, "a zero limit is a usage error")
        let store = directory.file("store.sqlite")
        try DemoStore.execute("UPDATE recon_runs SET finished_at = '2026-01-01T10:00:00+08:00'", in: store)
        let old = try CLI.run(["status", "--store", store, "--max-age", "26h"])
        #expect(old.status == 1)
        #expect(old.stdout.contains("STALE: last successful run finished 2026-01-01T10:00:00+08:00"))
    }

    @Test("run logs one JSON object or logfmt line per event when stderr is not a terminal, with no control bytes")
    func runLogFormats() throws {
        let config = try demo()
        let json = try CLI.run(["run", "--config", config, "--date", "2026-11-18", "-v", "--log-format", "json"], in: directory.path)
        #expect(json.status == 0)
        let events: [[String: String]?] = json.stderr.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: String]
        }
        #expect(!events.isEmpty && events.allSatisfy { $0 != nil })
        let messages = events.compactMap { $0 }.compactMap { $0["msg"] }
        #expect(messages.contains("run finished"))
        let logfmt = try CLI.run(
            ["run", "--config", config, "--date", "2026-11-18", "-v"], in: directory.path,
            environment: ["ORDER_RECON_LOG_FORMAT": "logfmt"])
        #expect(logfmt.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("ts=") && $0.contains(" level=info ") })
        #expect(!logfmt.stderr.contains("\u{1B}"))
        #expect(try CLI.run(["run", "--config", config, "--log-format", "xml"], in: directory.path).status == 2)
    }

    @Test("on a terminal, run shows a progress line for the bills and logs readable lines")
    func runOnTerminal() throws {
        let config = try demo()
        let command = "\(CLI.binary.path) run --config \(config) --date 2026-11-18 -v"
        let output = try CLI.run(["-qec", command, "/dev/null"], in: directory.path, program: "/usr/bin/script")
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("\r\u{1B}[Kreading wechatpay_1900000109_2026-11-18_ALL.csv: "))
        #expect(output.stdout.contains(" info    run started  "))
    }

    /// The environment of the cron wrapper in the test folder.
    func wrapperEnvironment(_ config: String) -> [String: String] {
        [
            "ORDER_RECON_BIN": CLI.binary.path, "ORDER_RECON_CONFIG": config,
            "ORDER_RECON_LOCK": directory.file("run/order-recon.lock"), "ORDER_RECON_LOG": directory.file("log/order-recon.log"),
        ]
    }

    @Test("the cron wrapper logs the run to its file and exits with the run's code")
    func wrapperRuns() throws {
        let config = try demo()
        let output = try CLI.run(
            ["--date", "2026-11-19"], in: directory.path, environment: wrapperEnvironment(config),
            program: Repository.root + "/cron/order-recon-nightly")
        #expect(output.status == 1, "\(output.stderr)")
        #expect(output.stdout.isEmpty && output.stderr.isEmpty, "everything goes to the log")
        let log = try String(contentsOfFile: directory.file("log/order-recon.log"), encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.first?.contains("order-recon-nightly: start (pid ") == true)
        #expect(log.contains("order-recon 2026-11-19 (Asia/Shanghai): 9 discrepancies need attention"))
        #expect(log.contains(" level=info logger=order-recon msg=\"run finished\""))
        #expect(lines.last?.contains("order-recon-nightly: end: exit 1 after ") == true)
    }

    @Test("the cron wrapper never starts a second run while one holds the lock: it exits 6 and says so")
    func wrapperLock() throws {
        let config = try demo()
        let environment = wrapperEnvironment(config)
        try FileManager.default.createDirectory(atPath: directory.file("run"), withIntermediateDirectories: true)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // flock waits for its command even when signalled, so the command is kept short.
        holder.arguments = [environment["ORDER_RECON_LOCK"]!, "sleep", "5"]
        try holder.run()
        defer {
            holder.terminate()
            holder.waitUntilExit()
        }
        // Wait until the holder has the lock.
        for _ in 0..<100 {
            let probe = try CLI.run(["-n", environment["ORDER_RECON_LOCK"]!, "true"], program: "/usr/bin/flock")
            if probe.status != 0 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let started = Date()
        let output = try CLI.run(
            ["--date", "2026-11-19"], in: directory.path, environment: environment,
            program: Repository.root + "/cron/order-recon-nightly")
        #expect(output.status == 6)
        #expect(Date().timeIntervalSince(started) < 10, "it gives up at once with ORDER_RECON_LOCK_WAIT unset")
        let log = try String(contentsOfFile: directory.file("log/order-recon.log"), encoding: .utf8)
        #expect(log.contains("order-recon-nightly: another run holds \(environment["ORDER_RECON_LOCK"]!); not starting (exit 6)"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("reports")), "the second run did nothing")
    }

    @Test("the crontab runs the wrapper at 10:30 Beijing time, and the systemd timer names the same time")
    func scheduleFiles() throws {
        let crontab = try String(contentsOfFile: Repository.root + "/cron/order-recon.crontab", encoding: .utf8)
        let lines = crontab.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.contains("CRON_TZ=Asia/Shanghai"))
        #expect(lines.contains { $0.hasPrefix("30 10 * * *  order-recon  /usr/local/lib/order-recon/order-recon-nightly --download") })
        let timer = try String(contentsOfFile: Repository.root + "/cron/order-recon.timer", encoding: .utf8)
        let calendar = try #require(timer.split(separator: "\n").first { $0.hasPrefix("OnCalendar=") }).dropFirst("OnCalendar=".count)
        #expect(calendar == "*-*-* 10:30:00 Asia/Shanghai")
        let check = try CLI.run(["calendar", String(calendar)], program: "/usr/bin/systemd-analyze")
        #expect(check.status == 0 && check.stdout.contains("Normalized form: *-*-* 10:30:00 Asia/Shanghai"), "\(check.stderr)")
        let service = try String(contentsOfFile: Repository.root + "/cron/order-recon.service", encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/local/lib/order-recon/order-recon-nightly --download"))
        #expect(service.contains("SuccessExitStatus=1"))
    }

    /// Checks what a killed run may leave: a sound store whose kept results agree with themselves,
    /// and only whole reports. Returns the days with reports.
    func checkConsistent(_ store: String) throws -> [String] {
        let integrity = try CLI.run([store, "PRAGMA integrity_check;"], program: "/usr/bin/sqlite3")
        #expect(integrity.stdout == "ok\n", "\(integrity.stderr)")
        let tables = try CLI.run([store, "SELECT name FROM sqlite_schema WHERE name = 'recon_runs';"], program: "/usr/bin/sqlite3")
        if tables.stdout.contains("recon_runs") {
            let disagreeing = try CLI.run(
                [
                    store,
                    """
                    SELECT count(*) FROM recon_runs r WHERE discrepancy_count != (SELECT count(*) FROM recon_discrepancies d
                    WHERE d.provider = r.provider AND d.merchant_id = r.merchant_id AND d.day = r.day);
                    """,
                ], program: "/usr/bin/sqlite3")
            #expect(disagreeing.stdout == "0\n")
        }
        var days: [String] = []
        let files = (FileManager.default.enumerator(atPath: directory.file("reports"))?.allObjects as? [String] ?? []).sorted()
        for file in files where file.hasSuffix(".json") && !(file as NSString).lastPathComponent.hasPrefix(".") {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("reports/" + file)))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(file) is whole")
            #expect(files.contains(String(file.dropLast(5)) + ".html") && files.contains(String(file.dropLast(5)) + ".csv"))
            if !file.contains("/wechatpay/") && !file.contains("/gateway/") { days.append(String(file.prefix(10))) }
        }
        return days
    }

    @Test("a run killed with SIGKILL leaves the store consistent and no partial report, and the next run completes the day")
    func killedMidRun() throws {
        let config = try demo()
        let store = directory.file("store.sqlite")

        // Killed while it waits for the store's write lock, held by another process: after the
        // reading and matching, before anything is written.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        locker.arguments = [store]
        let lockerInput = Pipe()
        locker.standardInput = lockerInput
        locker.standardOutput = FileHandle.nullDevice
        try locker.run()
        lockerInput.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n".utf8))
        Thread.sleep(forTimeInterval: 0.3)
        let waiting = Process()
        waiting.executableURL = CLI.binary
        waiting.arguments = ["run", "--config", config, "--date", "2026-11-19"]
        waiting.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        waiting.standardOutput = FileHandle.nullDevice
        waiting.standardError = FileHandle.nullDevice
        try waiting.run()
        Thread.sleep(forTimeInterval: 1.5)
        #expect(waiting.isRunning, "the run waits for the lock")
        kill(waiting.processIdentifier, SIGKILL)
        waiting.waitUntilExit()
        #expect(waiting.terminationReason == .uncaughtSignal)
        try lockerInput.fileHandleForWriting.close()
        locker.waitUntilExit()
        #expect(try checkConsistent(store).isEmpty, "no report")

        // Killed at many points of a three-day run.
        for step in 0..<15 {
            let run = Process()
            run.executableURL = CLI.binary
            run.arguments = ["run", "--config", config, "--from", "2026-11-18", "--to", "2026-11-20"]
            run.currentDirectoryURL = URL(fileURLWithPath: directory.path)
            run.standardOutput = FileHandle.nullDevice
            run.standardError = FileHandle.nullDevice
            try run.run()
            Thread.sleep(forTimeInterval: 0.02 * Double(step))
            kill(run.processIdentifier, SIGKILL)
            run.waitUntilExit()
            // Reports appear only after the store's transaction commits, each file whole.
            let days = try checkConsistent(store)
            #expect(Set(days).isSubset(of: ["2026/11/18", "2026/11/19", "2026/11/20"]))
            if !days.isEmpty {
                let runs = try CLI.run([store, "SELECT count(*) FROM recon_runs;"], program: "/usr/bin/sqlite3")
                #expect(runs.stdout == "9\n", "a report implies the run's results were committed")
            }
        }

        // The next run completes the days and clears what the killed ones left.
        let output = try CLI.run(["run", "--config", config, "--from", "2026-11-18", "--to", "2026-11-20"], in: directory.path)
        #expect(output.status == 1, "\(output.stderr)")
        #expect(try checkConsistent(store) == ["2026/11/18", "2026/11/19", "2026/11/20"])
        let leftovers = (FileManager.default.enumerator(atPath: directory.file("reports"))?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let runs = try CLI.run([store, "SELECT count(*) FROM recon_runs;"], program: "/usr/bin/sqlite3")
        #expect(runs.stdout == "9\n")
    }

    @Test("store init creates a store a run can use")
    func storeInit() throws {
        let output = try CLI.run(["store", "init", "--store", directory.file("new.sqlite")])
        #expect(output.status == 0)
        #expect(output.stdout.contains("ready (schema version 7)"))
        let again = try CLI.run(["store", "migrate", "--store", directory.file("new.sqlite")])
        #expect(again.stdout.contains("schema version 7 → 7"))
    }

    @Test("--help exits 0, documents the exit codes and lists the commands by name")
    func help() throws {
        let output = try CLI.run(["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("Exit codes: 0 no discrepancies"))
        for (arguments, names) in [
            (["--help"], ["run", "report", "open", "ack", "status", "bill", "codes", "store"]),
            (["bill", "--help"], ["check", "download"]), (["store", "--help"], ["init", "migrate"]),
        ] {
            let help = try CLI.run(arguments)
            let listed = help.stdout.split(separator: "\n").compactMap { line in
                line.hasPrefix("  ") ? line.split(separator: " ").first.map(String.init) : nil
            }
            #expect(names.allSatisfy(listed.contains), "\(arguments): \(listed)")
        }
    }
}
