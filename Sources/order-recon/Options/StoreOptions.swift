import ArgumentParser
import ReconJob

/// Where the store and the results are, for the commands that need no bills.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "YAML config file (see the README's Configuration section).")
    var config: String?

    @Option(name: .long, help: "The order store: an SQLite file, or a postgres:// URL (then --results names the results).")
    var store: String?

    @Option(name: .long, help: "Where the results are kept: an SQLite file or a postgres:// URL (default: the order store's file).")
    var results: String?

    /// The configuration, with only the store required (or nothing, without `requiringStore`);
    /// `reportsFolder` is the command's own `--reports`, when it has one.
    func load(requiringStore: Bool = true, reportsFolder: String? = nil) async throws -> ReconConfig {
        var overrides = ConfigOverrides(storePath: store, reportsFolder: reportsFolder)
        overrides.resultsPath = results
        let config = try await ConfigLoader.load(
            file: config, overrides: overrides, environment: Machine.environment, requireInputs: false)
        guard !requiringStore || !config.storePath.isEmpty else {
            throw ReconError.usage(
                "No order store given. Pass --store PATH, set store.path in the config file, or set ORDER_RECON_STORE_PATH.")
        }
        return config
    }
}
