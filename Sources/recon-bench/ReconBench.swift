import ArgumentParser
import Foundation
import ReconBills
import ReconClock
import ReconCore
import ReconStore
import WeChatPayProvider

/// `recon-bench`: times `order-recon run` on a generated WeChat Pay ALL bill and a matching store.
///
/// It generates N bill rows (about 4 % of them refunds) and the orders and refunds they belong
/// to, plants a few discrepancies of known kinds, runs the release `order-recon` binary on them
/// as a child process, and prints wall time, CPU time, rows per second and the child's peak RSS,
/// with the best and median of the runs. It also checks that the run found exactly the planted
/// discrepancies. `--compare` times another build in turn with this one, for a ratio that holds
/// however busy the machine is.
@main
struct ReconBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon-bench",
        abstract: "Time order-recon run on a generated bill of N rows and a matching store.")

    @Option(help: "Rows in the generated bill.")
    var rows = 1_000_000

    @Option(help: "Timed runs over the same data.")
    var repeats = 3

    @Option(help: "Working folder for the generated store, bill and reports.")
    var workspace = "bench-output"

    @Option(help: "The order-recon binary (default: the one built next to recon-bench).")
    var binary: String?

    @Option(
        help: ArgumentHelp(
            "Another order-recon binary (an earlier build, say) to time in turn with this one.",
            discussion: "Runs alternate between the two, so both see the same machine; the ratio of their medians is printed."))
    var compare: String?

    @Option(
        help: ArgumentHelp(
            "A Python interpreter with the duckdb package, to time a DuckDB join of the same data in turn.",
            discussion: "A yardstick for the machine's speed: the ratio of order-recon's median to DuckDB's is printed."))
    var duckdb: String?

    @Flag(help: "Reuse the generated data of an earlier run with the same --rows.")
    var reuse = false

    static let day = CivilDate("2026-11-20")!
    static let merchant = "1900000109"
    /// Planted discrepancies: kind and count.
    static let planted: [(kind: String, count: Int)] = [
        ("missing_in_bill", 3), ("missing_locally", 2), ("amount_mismatch", 3), ("duplicate_in_bill", 1),
        ("refund_amount_mismatch", 1),
    ]

    func run() throws {
        let executable = binary ?? (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("order-recon").path)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("No order-recon binary at \(executable); build it with 'swift build -c release'.")
        }
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        let store = workspace + "/store-\(rows).sqlite"
        let bills = workspace + "/bills-\(rows)"
        let bill = bills + "/wechatpay_\(Self.merchant)_\(Self.day)_ALL.csv"
        if !(reuse && FileManager.default.fileExists(atPath: store) && FileManager.default.fileExists(atPath: bill)) {
            try? FileManager.default.removeItem(atPath: store)
            try? FileManager.default.removeItem(atPath: bills)
            try? FileManager.default.removeItem(atPath: workspace + "/orders-\(rows).csv")
            try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
            let clock = SystemClock()
            let started = clock.uptime()
            try generate(store: store, bill: bill)
            print("generated \(rows) rows in \(String(format: "%.1f", clock.seconds(since: started))) s")
        }
        let billBytes = (try FileManager.default.attributesOfItem(atPath: bill)[.size] as? Int) ?? 0
        print("bill: \(bill) (\(String(format: "%.1f", Double(billBytes) / 1_048_576)) MiB)")
        print(String(repeating: "-", count: 80))
        print("binary     run  wall_s  cpu_s  rows_per_s  peak_rss_mib  exit  discrepancies")
        var binaries = [("this", executable)]
        if let compare {
            guard FileManager.default.isExecutableFile(atPath: compare) else {
                throw ValidationError("No order-recon binary at \(compare).")
            }
            binaries.append(("compared", compare))
        }
        let reference = try duckdb.map {
            try DuckDBReference(python: $0, workspace: workspace, store: store, rows: rows, reuse: reuse)
        }
        var results: [String: [Measurement]] = [:]
        for attempt in 1...repeats {
            if let reference {
                let (result, counts) = try reference.run(bill: bill, output: workspace + "/duckdb-output.txt")
                results["duckdb", default: []].append(result)
                let asPlanted = counts.map { ($0.missingInBill, $0.missingLocally, $0.amountMismatches) == (3, 2, 3) } ?? false
                print(
                    String(
                        format: "%@  %3d  %6.2f  %5.2f  %10.0f  %12.1f  %4d  %@", Self.padded("duckdb"), attempt, result.wall, result.cpu,
                        Double(rows) / result.wall, Double(result.peakRSSKiB) / 1024, result.status,
                        asPlanted ? "as planted (8 of the join's kinds)" : "UNEXPECTED: see \(workspace)/duckdb-output.txt"))
            }
            for (label, path) in binaries {
                let reports = workspace + "/reports"
                try? FileManager.default.removeItem(atPath: reports)
                let result = try Measurement.of(
                    path, ["run", "--date", Self.day.description, "--store", store, "--bills", bills, "--reports", reports])
                results[label, default: []].append(result)
                let folder = String(format: "%04d/%02d/%02d", Self.day.year, Self.day.month, Self.day.day)
                let found = try Self.foundKinds(in: reports + "/\(folder)/order-recon-\(Self.day).json")
                let expected = Dictionary(uniqueKeysWithValues: Self.planted.map { ($0.kind, $0.count) })
                print(
                    String(
                        format: "%@  %3d  %6.2f  %5.2f  %10.0f  %12.1f  %4d  %@", Self.padded(label), attempt, result.wall, result.cpu,
                        Double(rows) / result.wall, Double(result.peakRSSKiB) / 1024, result.status,
                        found == expected ? "as planted (\(found.values.reduce(0, +)))" : "UNEXPECTED \(found)"))
            }
        }
        print(String(repeating: "-", count: 80))
        for label in binaries.map(\.0) + (reference == nil ? [] : ["duckdb"]) {
            let runs = results[label] ?? []
            print(
                String(
                    format: "%@  wall best %.2f median %.2f  cpu best %.2f median %.2f", Self.padded(label),
                    runs.map(\.wall).min() ?? 0, Self.median(runs.map(\.wall)), runs.map(\.cpu).min() ?? 0,
                    Self.median(runs.map(\.cpu))))
        }
        if let this = results["this"], let other = results["compared"] {
            print(
                String(
                    format: "this / compared: wall %.2f, cpu %.2f (medians)", Self.median(this.map(\.wall)) / Self.median(other.map(\.wall)),
                    Self.median(this.map(\.cpu)) / Self.median(other.map(\.cpu))))
        }
        if let this = results["this"], let yardstick = results["duckdb"] {
            print(
                String(
                    format: "this / duckdb: wall %.2f (medians; 2.5 s where DuckDB takes 0.85 s is a ratio of %.2f)",
                    Self.median(this.map(\.wall)) / Self.median(yardstick.map(\.wall)), 2.5 / 0.85))
        }
    }

    static func padded(_ label: String) -> String { label.padding(toLength: 9, withPad: " ", startingAt: 0) }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func foundKinds(in report: String) throws -> [String: Int] {
        guard let data = FileManager.default.contents(atPath: report),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let counts = json["counts"] as? [String: Any], let byKind = counts["by_kind"] as? [String: Int]
        else { return [:] }
        return byKind
    }

    // MARK: - Generating

    /// A 28-digit transaction id, as WeChat Pay prints them.
    static func transactionID(_ index: Int) -> String { "420000249120261120" + padded(index, 10) }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Writes the store and the bill. Row `i` is order `BENCH-<i>`; every 25th row is instead the
    /// refund of the order before it. A few rows are changed to plant each kind of discrepancy.
    func generate(store path: String, bill: String) throws {
        try OrderStore.create(path: path)
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        let insertOrder = try database.prepare(
            """
            INSERT INTO orders (out_trade_no, provider, merchant_id, amount_minor, currency, status, provider_txn_id,
                created_at, paid_at, updated_at) VALUES (?1, 'wechatpay', ?2, ?3, 'CNY', ?4, ?5, ?6, ?7, ?7)
            """)
        let insertRefund = try database.prepare(
            """
            INSERT INTO refunds (out_refund_no, out_trade_no, amount_minor, status, created_at, succeeded_at)
            VALUES (?1, ?2, ?3, 'SUCCESS', ?4, ?4)
            """)
        guard FileManager.default.createFile(atPath: bill, contents: nil), let output = FileHandle(forWritingAtPath: bill)
        else { throw ValidationError("cannot write \(bill)") }
        defer { try? output.close() }
        var writer = WeChatBillWriter(type: .all, merchantID: Self.merchant)
        var buffer = writer.header
        let zone = ZoneRules.shanghai
        let start = LocalDateTime(date: Self.day, hour: 0, minute: 30)
        let step = max(1, (23 * 3600) / max(1, rows))
        let duplicate = rows / 2 + 1
        try database.transaction(immediate: true) {
            for index in 0..<rows {
                let wall = LocalDateTime(wallSeconds: start.wallSeconds + Int64((index * step) % (23 * 3600)))
                let stamp = zone.timestamp(for: wall).rfc3339
                let isRefund = index % 25 == 24
                if isRefund {
                    let order = "BENCH-\(index - 1)"
                    let amount = Int64(100 + (index - 1) % 50_000) / 2
                    let billAmount = index == 24 ? amount + 10 : amount
                    try insertRefund.run([.text(order + "-R1"), .text(order), .integer(amount), .text(stamp)])
                    buffer += writer.line(for: WeChatBillRow(
                        kind: .refund, time: wall, outTradeNo: order, transactionID: Self.transactionID(index - 1),
                        amount: FixedDecimal(units: billAmount, scale: 2), fee: FixedDecimal(units: -billAmount * 6, scale: 5),
                        outRefundNo: order + "-R1", refundID: "5030050809" + Self.padded(index, 19),
                        goods: "高山乌龙茶, 规格 \(index % 7)"))
                } else {
                    let number = "BENCH-\(index)"
                    let amount = Int64(100 + index % 50_000)
                    let missingLocally = index == 1 || index == 3
                    let missingInBill = index == 5 || index == 7 || index == 9
                    let billAmount = (index == 11 || index == 13 || index == 15) ? amount + 1 : amount
                    if !missingLocally {
                        try insertOrder.run([
                            .text(number), .text(Self.merchant), .integer(amount),
                            .text((index + 1) % 25 == 24 ? "PARTIALLY_REFUNDED" : "PAID"), .text(Self.transactionID(index)),
                            .text(stamp), .text(stamp),
                        ])
                    }
                    if !missingInBill {
                        let row = WeChatBillRow(
                            kind: .payment, time: wall, outTradeNo: number, transactionID: Self.transactionID(index),
                            amount: FixedDecimal(units: billAmount, scale: 2),
                            fee: FixedDecimal(units: billAmount * 6, scale: 5), goods: "高山乌龙茶, 规格 \(index % 7)",
                            attach: "store=\(index % 97)")
                        buffer += writer.line(for: row)
                        if index == duplicate { buffer += writer.line(for: row) }
                    }
                }
                if buffer.utf8.count > 1 << 20 {
                    output.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
        }
        buffer += writer.summary()
        output.write(Data(buffer.utf8))
    }
}
