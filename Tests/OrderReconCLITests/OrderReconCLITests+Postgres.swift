import Foundation
import ReconTestSupport
import Testing

/// The command line with the orders in PostgreSQL.
@Suite("order-recon with the orders in PostgreSQL", .postgresServer)
struct PostgresCLITests {
    let directory = TemporaryDirectory()

    @Test("run prints what the SQLite store gives, keeps its results in --results, and open lists them from there")
    func runAndOpen() throws {
        let url = try TestPostgres.shared.storeDatabase(
            rows: try String(contentsOfFile: Repository.fixture("demo/store.sql"), encoding: .utf8))
        let results = directory.file("results.sqlite")
        let days = ["--from", "2026-11-18", "--to", "2026-11-20", "--bills", "fixtures/demo/bills", "--no-queries"]
        let fromPostgres = try CLI.run(["run", "--store", url, "--results", results, "--reports", directory.file("pg")] + days)
        let store = try DemoStore.make(at: directory.file("store.sqlite"))
        let fromSQLite = try CLI.run(["run", "--store", store, "--reports", directory.file("sqlite")] + days)
        #expect(fromPostgres.status == 1, "\(fromPostgres.stderr)")
        #expect(fromPostgres.status == fromSQLite.status)
        #expect(fromPostgres.stdout.replacingOccurrences(of: directory.file("pg"), with: "R")
            == fromSQLite.stdout.replacingOccurrences(of: directory.file("sqlite"), with: "R"))
        #expect(fromPostgres.stdout.contains("9 discrepancies need attention"))
        #expect(FileManager.default.fileExists(atPath: results + ".lock"))

        let open = try CLI.run(["open", "--store", url, "--results", results])
        let openSQLite = try CLI.run(["open", "--store", store])
        #expect(open.status == openSQLite.status && open.stdout == openSQLite.stdout)
        #expect(!open.stdout.isEmpty)
    }

    @Test("a PostgreSQL store without --results, a server that cannot be reached, and store init on one: each says what to do")
    func refusals() throws {
        let url = try TestPostgres.shared.storeDatabase()
        let run = try CLI.run([
            "run", "--date", "2026-11-20", "--store", url, "--bills", "fixtures/demo/bills", "--reports", directory.file("r"),
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("set results.url (or --results)"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("r")))
        let unreachable = try CLI.run([
            "run", "--date", "2026-11-20", "--store", "postgresql://recon@/recon?host=\(directory.path)/none",
            "--results", directory.file("results.sqlite"), "--bills", "fixtures/demo/bills", "--reports", directory.file("r"),
        ])
        #expect(unreachable.status == 4)
        #expect(unreachable.stderr.contains("Check that the server is running"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("r")))
        let initialize = try CLI.run(["store", "init", "--store", url])
        #expect(initialize.status != 0)
        #expect(initialize.stderr.contains("order-recon only reads a PostgreSQL store"))
    }
}

/// libpq is loaded when a PostgreSQL database is first opened, not when the program starts.
@Suite("libpq, loaded only for PostgreSQL")
struct LibPQLoadingTests {
    let directory = TemporaryDirectory()

    @Test("order-recon starts without libpq; a PostgreSQL store whose libpq cannot be loaded says what to install")
    func loadedWhenNeeded() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [CLI.binary.path]
        let listing = Pipe()
        ldd.standardOutput = listing
        try ldd.run()
        let needed = String(decoding: listing.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(needed.contains("libsqlite3"))
        #expect(!needed.contains("libpq"), "\(needed)")

        // A libpq.so.5 that is no library, found before the system's through LD_LIBRARY_PATH.
        directory.write("lib/libpq.so.5", "not a library")
        let inherited = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? ""
        let environment = ["LD_LIBRARY_PATH": directory.file("lib") + inherited]
        let run = try CLI.run(
            [
                "run", "--date", "2026-11-20", "--store", "postgresql://recon@/recon?host=\(directory.path)/none",
                "--results", directory.file("results.sqlite"), "--bills", "fixtures/demo/bills", "--reports", directory.file("r"),
            ], environment: environment)
        #expect(run.status == 4)
        #expect(run.stderr.contains("libpq could not be loaded"), "\(run.stderr)")
        #expect(run.stderr.contains("apt-get install libpq5"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("r")))

        let store = try DemoStore.make(at: directory.file("store.sqlite"))
        let sqlite = try CLI.run(
            ["run", "--date", "2026-11-20", "--store", store, "--bills", "fixtures/demo/bills", "--reports", directory.file("s"), "--no-queries"],
            environment: environment)
        #expect(sqlite.status == 1, "\(sqlite.stderr)")
    }
}
