import ArgumentParser
import BenchData
import Foundation
import ReconBills
import ReconClock
import ReconCore
import ReconStore
import WeChatPayProvider

/// `recon-bench`: times a whole `order-recon run` on a generated day against a DuckDB SQL script
/// doing the same joins on the same files.
///
/// It generates ``BenchDay``: N orders of one WeChat Pay merchant in a SQLite store, their bill
/// (payments, one or two partial refunds on 5 % of orders, goods names with commas, store times
/// half `+08:00` and half `Z`) and 0.9 % planted discrepancies of nine kinds. Each repeat runs the
/// release `order-recon run --no-queries` (reports and archive included) as a child process and,
/// with `--duckdb`, the SQL script in turn, and prints wall time, CPU time and peak RSS of each,
/// checks that each found exactly the planted discrepancies, and ends with both medians, their
/// ratio, the median of the ratios taken within each turn with a confidence interval for it
/// (``TurnRatios``), and both peak RSS. `--compare` times another build in turn too. The turn
/// starts with another program at each repeat, so that over as many repeats as programs each has
/// run in every place of the turn.
@main
struct ReconBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon-bench",
        abstract: "Time order-recon run on a generated day of N orders, beside DuckDB doing the same joins.")

    @Option(help: "Orders in the generated day (the bill has about 6 % more rows: refunds and a duplicate).")
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
            discussion: "Runs alternate between the two, so both see the same machine, and the one that runs first changes with each repeat; the ratio of their medians is printed, and the median of the ratios within each turn."))
    var compare: String?

    @Option(
        help: ArgumentHelp(
            "A Python interpreter with the duckdb and duckdb-extension-sqlite-scanner packages, to run the same joins in SQL in turn.",
            discussion: "The script attaches the SQLite store, reads the bill, joins payments and refunds and writes the discrepancies as CSV."))
    var duckdb: String?

    @Flag(help: "Reuse the generated data of an earlier run with the same --rows.")
    var reuse = false

    @Option(
        help: ArgumentHelp(
            "Merchants in the generated day, each with --rows orders and a bill of its own.",
            discussion: "With more than one, the day is reconciled by one run and by two --shard I/2 runs at once (then order-recon report), instead of beside DuckDB."))
    var merchants = 1

    @Option(
        help: ArgumentHelp(
            "A database URL on a PostgreSQL server (psql and sqlite3 on PATH), for --merchants: the store is copied there, and "
                + "the results kept there, in databases the benchmark makes beside it.",
            valueName: "url"))
    var postgres: String?

    func run() throws {
        let executable = binary ?? (URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("order-recon").path)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("No order-recon binary at \(executable); build it with 'swift build -c release'.")
        }
        let data = workspace + "/day-\(rows)" + (merchants > 1 ? "x\(merchants)" : "") + "-layout\(BenchDay.layout)"
        let store = data + "/store.sqlite"
        let bills = data + "/bills"
        guard (1...999).contains(merchants), (1...10_000_000).contains(rows) else {
            throw ValidationError("--merchants must be 1 to 999, and --rows 1 to ten million.")
        }
        if merchants > 1 {
            let day = BenchDay(orders: rows, merchants: merchants)
            if !(reuse && FileManager.default.fileExists(atPath: store)) {
                try? FileManager.default.removeItem(atPath: data)
                let clock = SystemClock()
                let started = clock.uptime()
                try day.write(store: store, bills: bills)
                print("generated \(merchants) merchants × \(rows) orders in \(String(format: "%.1f", clock.seconds(since: started))) s")
            }
            print("planted \(day.expected.values.reduce(0, +)) discrepancies")
            return try ShardBench(
                day: day, executable: executable, workspace: workspace, store: store, bills: bills, postgres: postgres, repeats: repeats
            ).run()
        }
        let bill = bills + "/" + BenchDay.billName(merchant: 0)
        if !(reuse && FileManager.default.fileExists(atPath: store) && FileManager.default.fileExists(atPath: bill)) {
            try? FileManager.default.removeItem(atPath: data)
            try FileManager.default.createDirectory(atPath: bills, withIntermediateDirectories: true)
            let clock = SystemClock()
            let started = clock.uptime()
            try BenchDay(orders: rows).write(store: store, bills: bills)
            print("generated \(rows) orders in \(String(format: "%.1f", clock.seconds(since: started))) s")
        }
        let billBytes = (try FileManager.default.attributesOfItem(atPath: bill)[.size] as? Int) ?? 0
        let expected = BenchDay(orders: rows).expected
        print("bill: \(bill) (\(String(format: "%.1f", Double(billBytes) / 1_048_576)) MiB); planted \(expected.values.reduce(0, +)) discrepancies")
        // The system drops file pages not read for a while, so after a pause the first run would
        // read part of its inputs from the disk, which a later run does not.
        let clock = SystemClock()
        let warmStarted = clock.uptime()
        let warmed = try Self.readThrough([store, store + "-wal", bill])
        print(
            String(
                format: "read the store and the bill once before the first turn: %.1f MiB in %.2f s", Double(warmed) / 1_048_576,
                clock.seconds(since: warmStarted)))
        print(String(repeating: "-", count: 80))
        print("binary     run  wall_s  cpu_s  results_s  orders_per_s  peak_rss_mib  disk_read_mib  exit  discrepancies")
        var binaries = [("this", executable)]
        if let compare {
            guard FileManager.default.isExecutableFile(atPath: compare) else {
                throw ValidationError("No order-recon binary at \(compare).")
            }
            binaries.append(("compared", compare))
        }
        let reference = duckdb.map { DuckDBReference(python: $0, workspace: workspace) }
        try reference?.prepare()
        var results: [String: [Measurement]] = [:]
        // What each order-recon run spent after its day was resolved: results, open items, reports.
        var afterResolved: [String: [Double]] = [:]
        func line(_ label: String, _ attempt: Int, _ result: Measurement, _ found: [String: Int], after: Double? = nil) {
            print(
                String(
                    format: "%@  %3d  %6.2f  %5.2f  %@  %12.0f  %12.1f  %13.1f  %4d  %@", Self.padded(label), attempt, result.wall,
                    result.cpu, after.map { String(format: "%9.2f", $0) } ?? "        -", Double(rows) / result.wall,
                    Double(result.peakRSSKiB) / 1024, Double(result.diskReadBytes) / 1_048_576, result.status,
                    found == expected ? "as planted (\(found.values.reduce(0, +)))" : "UNEXPECTED \(found.sorted { $0.key < $1.key })"))
        }
        // The programs run in turn, and the turn starts one later at each repeat: a program's place
        // in the turn moves its time (the one run just after another may find the machine warmer
        // or cooler), so over as many repeats as programs each has had every place once.
        let contestants: [(label: String, path: String?)] = (reference == nil ? [] : [("duckdb", nil)]) + binaries.map { ($0.0, $0.1) }
        for attempt in 1...repeats {
            let shift = (attempt - 1) % contestants.count
            for (label, binary) in contestants[shift...] + contestants[..<shift] {
                guard let path = binary else {
                    guard let reference else { continue }
                    let (result, found) = try reference.run(store: store, bill: bill, day: BenchDay.day)
                    results["duckdb", default: []].append(result)
                    line("duckdb", attempt, result, found)
                    continue
                }
                let reports = workspace + "/reports"
                try? FileManager.default.removeItem(atPath: reports)
                let log = workspace + "/run-log.json"
                let result = try Measurement.of(
                    path,
                    [
                        "run", "--no-queries", "--date", BenchDay.day.description, "--store", store, "--bills", bills, "--reports",
                        reports, "--verbose", "--log-format", "json",
                    ], errors: log)
                results[label, default: []].append(result)
                let after = Self.secondsAfterResolved(log: log)
                if let after { afterResolved[label, default: []].append(after) }
                let folder = String(format: "%04d/%02d/%02d", BenchDay.day.year, BenchDay.day.month, BenchDay.day.day)
                line(label, attempt, result, try Self.foundKinds(in: reports + "/\(folder)/order-recon-\(BenchDay.day).json"), after: after)
            }
        }
        print(String(repeating: "-", count: 80))
        for label in binaries.map(\.0) + (reference == nil ? [] : ["duckdb"]) {
            let runs = results[label] ?? []
            print(
                String(
                    format: "%@  wall best %.2f median %.2f  cpu best %.2f median %.2f  peak RSS median %.0f MiB", Self.padded(label),
                    runs.map(\.wall).min() ?? 0, median(runs.map(\.wall)), runs.map(\.cpu).min() ?? 0,
                    median(runs.map(\.cpu)), median(runs.map { Double($0.peakRSSKiB) / 1024 })))
        }
        for label in binaries.map(\.0) {
            guard let after = afterResolved[label], let runs = results[label], !after.isEmpty else { continue }
            print(
                String(
                    format: "%@  results, open items and reports (after the day was resolved): median %.2f s, %.0f %% of the median wall time",
                    Self.padded(label), median(after), 100 * median(after) / median(runs.map(\.wall))))
        }
        for other in ["compared", "duckdb"] {
            guard let this = results["this"], let them = results[other] else { continue }
            print(
                String(
                    format: "this / %@: wall %.2f, cpu %.2f, peak RSS %.2f (medians)", other,
                    median(this.map(\.wall)) / median(them.map(\.wall)), median(this.map(\.cpu)) / median(them.map(\.cpu)),
                    median(this.map { Double($0.peakRSSKiB) }) / median(them.map { Double($0.peakRSSKiB) })))
            // The runs of one turn follow each other, so a ratio taken within each turn follows the
            // machine's slower drifts less than the ratio of the medians does; the interval says
            // how far the median of the turns' ratios could be from the one the machine would
            // give over many more.
            let walls = zip(this, them).map { $0.wall / $1.wall }
            guard let wall = TurnRatios(walls), let cpu = TurnRatios(zip(this, them).map { $0.cpu / $1.cpu }) else {
                print("this / \(other) within each turn: not summed up, a run took no measurable wall or CPU time")
                continue
            }
            print(
                String(
                    format: "this / %@ within each turn: wall %.2f (%.2f to %.2f), cpu %.2f (medians of %d turns)", other,
                    wall.median, walls.min() ?? 0, walls.max() ?? 0, cpu.median, wall.count))
            for (name, ratios) in [("wall", wall), ("cpu", cpu)] {
                print(
                    String(
                        format: "  %@: the median lies between %.2f and %.2f at %.0f %% confidence; this was faster in %d turns, slower in %d",
                        name, ratios.low, ratios.high, 100 * ratios.confidence, ratios.below, ratios.above))
            }
        }
    }

    /// Reads each file that exists to its end, so that its pages are in the page cache; returns the bytes read.
    static func readThrough(_ paths: [String]) throws -> Int {
        var total = 0
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? file.close() }
            while let chunk = try file.read(upToCount: 8 << 20), !chunk.isEmpty { total += chunk.count }
        }
        return total
    }

    static func padded(_ label: String) -> String { label.padding(toLength: 9, withPad: " ", startingAt: 0) }

    /// The seconds between the run's `days resolved` and `run finished` log lines, from its JSON log.
    static func secondsAfterResolved(log: String) -> Double? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        var elapsed: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let message = object["msg"] as? String, let seconds = (object["elapsed"] as? String).flatMap(Double.init)
            else { continue }
            elapsed[message] = seconds
        }
        guard let resolved = elapsed["days resolved"], let finished = elapsed["run finished"] else { return nil }
        return finished - resolved
    }

    static func foundKinds(in report: String) throws -> [String: Int] {
        guard let data = FileManager.default.contents(atPath: report),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let counts = json["counts"] as? [String: Any], let byKind = counts["by_kind"] as? [String: Int]
        else { return [:] }
        return byKind
    }
}
