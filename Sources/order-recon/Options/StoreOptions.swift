import ArgumentParser
import ReconJob

/// Where the store is, for the commands that only need the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "YAML config file (its store.path and time zone are used).")
    var config: String?

    @Option(name: .long, help: "The order store: an SQLite file, or a postgres:// URL (then --results names the results).")
    var store: String?

    @Option(name: .long, help: "The SQLite file the results are kept in (default: the order store's file).")
    var results: String?

    private var overrides: ConfigOverrides {
        var overrides = ConfigOverrides(storePath: store)
        overrides.resultsPath = results
        return overrides
    }

    /// The configuration, with only the store required.
    func load() async throws -> ReconConfig {
        let config = try await ConfigLoader.load(
            file: config, overrides: overrides, environment: Machine.environment, requireInputs: false)
        guard !config.storePath.isEmpty else {
            throw ReconError.usage(
                "No order store given. Pass --store PATH, set store.path in the config file, or set ORDER_RECON_STORE_PATH.")
        }
        return config
    }
}
