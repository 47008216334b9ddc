import ArgumentParser
import BenchData
import Foundation
import ReconCore

/// The many-merchant benchmark (`--merchants M`): one day of M merchants reconciled by one
/// `order-recon run` and by two `--shard I/2` processes at once on the same machine, with the
/// orders in SQLite and in PostgreSQL. Each variant's runs alternate with the others'; every run
/// starts from an empty results store, and each must find exactly the planted discrepancies (a
/// sharded day is checked in the report `order-recon report` composes, which is timed too).
struct ShardBench {
    let day: BenchDay
    let executable: String
    let workspace: String
    let store: String
    let bills: String
    /// A database on the PostgreSQL server to use (`--postgres`), which the benchmark makes its
    /// own databases beside.
    let postgres: String?
    let repeats: Int

    /// `url` with its database name replaced by `name`.
    static func database(_ name: String, like url: String) throws -> String {
        guard var parts = URLComponents(string: url) else { throw ValidationError("--postgres '\(url)' is not a URL.") }
        parts.path = "/" + name
        guard let result = parts.string else { throw ValidationError("--postgres '\(url)' is not a URL.") }
        return result
    }

    /// Runs `psql` on `url` with `arguments`, its standard input from `input` when given.
    static func psql(_ url: String, _ arguments: [String], input: FileHandle? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url] + arguments
        if let input { process.standardInput = input }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("psql \(arguments.joined(separator: " ")) failed") }
    }

    /// An empty database `name` beside `postgres`.
    func fresh(_ name: String, server: String) throws -> String {
        try Self.psql(server, ["-c", "DROP DATABASE IF EXISTS \(name)", "-c", "CREATE DATABASE \(name)"])
        return try Self.database(name, like: server)
    }

    /// The generated store copied into a PostgreSQL database with the contract's schema and indexes.
    func loadStore(server: String) throws -> String {
        let url = try fresh("recon_bench_store", server: server)
        try Self.psql(url, ["-f", "fixtures/postgres/store-schema.sql"])
        let tables = [
            ("orders", "out_trade_no, combine_out_trade_no, provider, merchant_id, amount_minor, currency, status, last_error_code, "
                + "provider_txn_id, created_at, paid_at, updated_at"),
            ("refunds", "out_refund_no, out_trade_no, amount_minor, status, last_error_code, created_at, succeeded_at"),
        ]
        for (table, columns) in tables {
            let pipe = Pipe()
            let export = Process()
            export.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            export.arguments = ["sqlite3", "-csv", store, "SELECT \(columns) FROM \(table)"]
            export.standardOutput = pipe
            try export.run()
            try Self.psql(url, ["-c", "\\copy \(table) (\(columns)) FROM STDIN WITH (FORMAT csv)"], input: pipe.fileHandleForReading)
            export.waitUntilExit()
        }
        try Self.psql(url, ["-c", "VACUUM ANALYZE"])
        return url
    }

    func run() throws {
        let expected = day.expected
        let date = BenchDay.day.description
        let common = ["--no-queries", "--date", date, "--bills", bills]
        var variants: [(label: String, run: () throws -> (Measurement, [String: Int]))] = []
        func single(_ label: String, store: String, results: @escaping () throws -> String) {
            variants.append((label, {
                let reports = workspace + "/reports-\(label)"
                try? FileManager.default.removeItem(atPath: reports)
                let measured = try Measurement.of(
                    executable, ["run", "--store", store, "--results", try results(), "--reports", reports] + common)
                return (measured, try ReconBench.foundKinds(in: reports + "/\(Self.folder)/order-recon-\(date).json"))
            }))
        }
        func sharded(_ label: String, store: String, results: @escaping () throws -> String) {
            variants.append((label, {
                let reports = workspace + "/reports-\(label)"
                try? FileManager.default.removeItem(atPath: reports)
                let url = try results()
                let shards = try Measurement.ofAll((0..<2).map { index in
                    (executable, ["run", "--shard", "\(index)/2", "--store", store, "--results", url, "--reports", reports] + common)
                })
                let report = try Measurement.of(executable, ["report", "--date", date, "--results", url, "--reports", reports])
                print(String(format: "           report step %.2f s wall, %.2f s cpu, exit %d", report.wall, report.cpu, report.status))
                var total = shards
                total.wall += report.wall
                total.cpu += report.cpu
                total.status = max(shards.status, report.status)
                return (total, try ReconBench.foundKinds(in: reports + "/\(Self.folder)/order-recon-\(date).json"))
            }))
        }
        single("sqlite", store: store) {
            let file = workspace + "/results.sqlite"
            try? FileManager.default.removeItem(atPath: file)
            return file
        }
        if let postgres {
            print("copying the store into PostgreSQL…")
            let pgStore = try loadStore(server: postgres)
            let results = { try fresh("recon_bench_results", server: postgres) }
            single("pg", store: pgStore, results: results)
            sharded("sqlite+2sh", store: store, results: results)
            sharded("pg+2sh", store: pgStore, results: results)
        }
        print("variant     run  wall_s  cpu_s  orders_per_s  peak_rss_mib  exit  discrepancies")
        var measured: [String: [Measurement]] = [:]
        for attempt in 1...repeats {
            for variant in variants {
                let (result, found) = try variant.run()
                measured[variant.label, default: []].append(result)
                print(
                    String(
                        format: "%@  %3d  %6.2f  %5.2f  %12.0f  %12.1f  %4d  %@", variant.label.padding(toLength: 10, withPad: " ", startingAt: 0),
                        attempt, result.wall, result.cpu, Double(day.orders * day.merchants) / result.wall,
                        Double(result.peakRSSKiB) / 1024, result.status,
                        found == expected ? "as planted (\(found.values.reduce(0, +)))" : "UNEXPECTED \(found.sorted { $0.key < $1.key })"))
            }
        }
        print(String(repeating: "-", count: 80))
        let base = median(measured["sqlite"]?.map(\.wall) ?? [])
        for variant in variants {
            let runs = measured[variant.label] ?? []
            let wall = median(runs.map(\.wall))
            print(
                String(
                    format: "%@  wall median %.2f (%.2f× sqlite)  cpu median %.2f  peak RSS median %.0f MiB",
                    variant.label.padding(toLength: 10, withPad: " ", startingAt: 0), wall, wall / base,
                    median(runs.map(\.cpu)), median(runs.map { Double($0.peakRSSKiB) / 1024 })))
        }
    }

    static var folder: String { String(format: "%04d/%02d/%02d", BenchDay.day.year, BenchDay.day.month, BenchDay.day.day) }
}
