import ArgumentParser
import Foundation
import ReconBills
import ReconCore
import ReconJob

/// `order-recon bill`: commands about bill files.
struct Bill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bill", abstract: "Work with bill files.", subcommands: [Check.self, Download.self])

    /// `order-recon bill check FILE`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Detect a bill's format and verify it: rows, totals, dates and every malformed row.",
            discussion: "Exits 0 when the bill is valid, 3 when it is not.")

        @Argument(help: "The bill file (.csv or .csv.gz).")
        var file: String

        @Flag(help: "Print the findings as JSON.")
        var json = false

        @Option(help: "The merchant the bill must belong to, as provider/id (taken from the file name when it follows the convention).")
        var merchant: String?

        @Option(help: "The day the bill must cover (taken from the file name when it follows the convention).")
        var date: CivilDate?

        @Option(name: .customLong("time-zone"), help: "The provider's time zone (default Asia/Shanghai).")
        var timeZone: String?

        func run() async throws {
            var expectation = BillExpectation(day: date)
            if let named = BillFileName(fileName: (file as NSString).lastPathComponent) {
                expectation = BillExpectation(merchant: named.merchant, day: date ?? named.day)
            }
            if let merchant {
                expectation.merchant = try ReconConfig.merchant(from: merchant)
            }
            var zones = ProviderZones()
            if let timeZone {
                guard let zone = ZoneRules(identifier: timeZone) else {
                    throw ReconError.usage("Unknown time zone '\(timeZone)'. Use an IANA name such as Asia/Shanghai.")
                }
                zones = ProviderZones(defaultZone: zone)
            }
            let facts: BillFacts
            do {
                facts = try await JobAssembly.billReader(zones: zones).readConcurrently(file, expecting: expectation, workers: Machine.cores) { _ in }
            } catch {
                let failure = ReconError.wrapping(error)
                // A bill that cannot be read at all is still an answer a script can parse.
                if json { FileHandle.standardOutput.write(try BillCheckRenderer.json(failure: failure.message, file: file)) }
                throw failure
            }
            if json {
                FileHandle.standardOutput.write(try BillCheckRenderer.json(facts))
            } else {
                Output.write(BillCheckRenderer.text(facts))
            }
            if !facts.isValid { throw ExitCode(ExitStatus.badInput.rawValue) }
        }
    }

    /// `order-recon bill download`.
    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "download",
            abstract: "Download and verify the configured merchants' bills of a day or a range of days.",
            discussion: """
                WeChat Pay bills are applied for, downloaded as gzip, unpacked and checked against the SHA-1 \
                of the signed application answer; gateway bills are checked against their signed SHA-256. \
                A bill that does not verify is not saved. Exits 0 when every bill was saved or the provider \
                has none for the day (an empty day: a .nobill marker is written), 3 when one failed, 5 when one is not ready yet.
                """)

        @OptionGroup var dates: DayOptions

        @Option(help: "The folder to save the bills to (default: the first of bills.paths).")
        var out: String?

        @Option(name: .customLong("merchant"), help: "Only this merchant, as provider/id (repeatable; default: reconcile.merchants, else every merchant with keys). A WeChat Pay service provider's id fetches its one bill for all its sub-merchants.")
        var merchants: [String] = []

        @Option(name: .long, help: "YAML config file.")
        var config: String?

        func validate() throws {
            guard dates.isGiven else { throw ValidationError("Give --date, or --from and --to.") }
        }

        func run() async throws {
            let settings = try await ConfigLoader.load(file: config, overrides: ConfigOverrides(), environment: Machine.environment, requireInputs: false)
            let days = dates.days(orElse: [])
            guard let folder = out ?? settings.billPaths.first else {
                throw ReconError.usage("No folder to save the bills to. Pass --out FOLDER or set bills.paths.")
            }
            let chosen = try merchants.map(ReconConfig.merchant(from:))
            let outcomes: [BillFetch.Outcome]
            do {
                outcomes = try await BillFetch(config: settings, clock: Machine.clock).run(
                    days: days, merchants: chosen.isEmpty ? settings.billMerchants : chosen, folder: folder)
            } catch {
                throw ReconError.wrapping(error)
            }
            for outcome in outcomes { Output.line(outcome.line) }
            if outcomes.contains(where: { $0.result == nil }) { throw ExitCode(ExitStatus.badInput.rawValue) }
            if outcomes.contains(where: \.isNotReady) {
                throw ExitCode(ExitStatus.billsNotReady.rawValue)
            }
        }
    }
}
