import Foundation
import ProviderPlugins
import ReconCore
import Yams

/// The config file's own check, before any value is read: YAML, a mapping, only known settings,
/// only known providers, merchant ids of their provider's shape.
extension ConfigLoader {
    /// Refuses a missing file, and keys the file has that order-recon does not know.
    /// - Returns: The merchants listed under each provider's `merchants`, and the line of each
    ///   setting (`store.path`), for messages about its value.
    static func checkFile(_ file: String) throws -> ([ProviderID: [String]], [String: Int]) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ReconError.usage("\(file): cannot read the config file. Check the path given with --config.")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ReconError.usage("\(file): not valid YAML: \(error). Fix the file and run again.")
        }
        guard let node else { return ([:], [:]) }
        guard node.isMapping else { throw ReconError.usage("\(file): the configuration must be a YAML mapping of settings.") }
        var merchants: [ProviderID: [String]] = [:]
        for (provider, settings) in node["providers"]?.mapping ?? [:] {
            guard let name = provider.string, ReconConfig.knownProviders.contains(ProviderID(rawValue: name)) else {
                throw ReconError.usage(
                    "\(file):\((provider.mark?.line).map(String.init) ?? "?"): unknown provider "
                        + "'\(Printable.escaped(provider.string ?? "?"))' under providers; order-recon knows "
                        + ReconConfig.knownProviders.map(\.rawValue).joined(separator: " and ") + ".")
            }
            guard let listed = settings["merchants"]?.mapping else { continue }
            for key in listed.keys {
                if let problem = Providers.directory.merchantIDProblem(key.string ?? "", provider: ProviderID(rawValue: name)) {
                    throw ReconError.usage(
                        "\(file):\((key.mark?.line).map(String.init) ?? "?"): providers.\(name).merchants: \(problem). "
                            + "List each merchant under its id at the provider.")
                }
            }
            merchants[ProviderID(rawValue: name)] = listed.compactMap { $0.key.string }
        }
        var lines: [String: Int] = [:]
        for (key, line) in leafKeys(node, prefix: []) {
            guard isKnown(key) else {
                throw ReconError.usage(
                    "\(file):\(line): unknown setting '\(key.joined(separator: "."))'. Known settings: "
                        + knownKeys.joined(separator: ", ") + ".")
            }
            lines[key.joined(separator: ".")] = line
        }
        return (merchants, lines)
    }

    private static func leafKeys(_ node: Node, prefix: [String]) -> [([String], Int)] {
        guard let mapping = node.mapping else { return [] }
        return mapping.flatMap { key, value -> [([String], Int)] in
            let path = prefix + [key.string ?? "?"]
            if value.isMapping { return leafKeys(value, prefix: path) }
            return [(path, (key.mark?.line ?? 0))]
        }
    }

    private static func isKnown(_ key: [String]) -> Bool {
        knownKeys.contains { known in
            let parts = known.split(separator: ".").map(String.init)
            return parts.count == key.count && zip(parts, key).allSatisfy { $0 == "*" || $0 == $1 }
        }
    }
}

extension Node {
    fileprivate var isMapping: Bool { mapping != nil }
}
