import ArgumentParser
import Foundation
import ReconBills
import ReconCore
import ReconJob

/// `order-recon bill`: commands about bill files.
struct Bill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with bill files.", subcommands: [Check.self])

    /// `order-recon bill check FILE`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
                guard let parsed = ReconConfig.merchant(from: merchant) else {
                    throw ReconError.usage("'\(merchant)' is not a merchant. Write provider/id, such as wechatpay/1900000109.")
                }
                expectation.merchant = parsed
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
                facts = try await BillReader(zones: zones).readConcurrently(file, expecting: expectation) { _ in }
            } catch {
                throw ReconError.wrapping(error)
            }
            if json {
                FileHandle.standardOutput.write(try BillCheckRenderer.json(facts))
            } else {
                print(BillCheckRenderer.text(facts), terminator: "")
            }
            if !facts.isValid { throw ExitCode(ExitStatus.badInput.rawValue) }
        }
    }
}
