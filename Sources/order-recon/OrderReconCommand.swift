import ArgumentParser
import ReconJob

/// `order-recon`: reconciles the merchant's order store against payment providers' bills.
struct OrderReconCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-recon",
        abstract: "Reconcile a SQLite order store against WeChat Pay and gateway trade bills.",
        discussion: """
            Exit codes: 0 no discrepancies that need attention, 1 discrepancies found, 2 usage or \
            configuration error, 3 bad input (store, bill), 4 other failure, 5 bills not ready in time, \
            6 another order-recon holds the store or the merchants, 7 a provider could not be reached, \
            8 (report) a shard has not saved the day. The cron wrapper (cron/order-recon-nightly) exits 6 \
            when another run holds its lock.
            """,
        version: OrderRecon.version,
        subcommands: [Run.self, Report.self, Open.self, Ack.self, Status.self, Bill.self, Codes.self, Store.self]
    )
}
