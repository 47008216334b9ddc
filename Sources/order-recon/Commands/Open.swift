import ArgumentParser
import Foundation
import ReconCore
import ReconJob
import ReconReports
import ReconStore

/// `order-recon open`: lists the open items with their age.
struct Open: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "List the discrepancies still open, oldest first, with their age in days.",
        discussion: """
            An item stays open until a later run no longer finds it (it is then resolved) or someone \
            acknowledges it with 'order-recon ack ID --note ...'. Ages count whole days from the item's \
            day to today in the providers' time zone.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Also list acknowledged items.")
    var acknowledged = false

    @Option(help: "Only items of this merchant, as provider/id.")
    var merchant: String?

    @Flag(help: "Print one JSON object per line.")
    var json = false

    func run() async throws {
        do {
            let config = try await storeOptions.load()
            var items = try JobAssembly.openResults(config).openItems(in: acknowledged ? [.open, .acknowledged] : [.open])
            if let merchant { items = items.filter { $0.merchant.description == merchant } }
            let today = config.today(Machine.clock)
            if json {
                FileHandle.standardOutput.write(Data(OpenItemsRenderer.json(items, today: today).utf8))
            } else {
                Output.write(OpenItemsRenderer.text(items, today: today))
            }
        } catch {
            throw ReconError.wrapping(error)
        }
    }
}
