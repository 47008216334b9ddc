import Synchronization

/// The simulator's keys, each read from a ``SimulatorKeys`` folder the first time it is needed
/// and kept: a provider's routes ask for a merchant's key on every request.
package final class SimulatorKeyRing: Sendable {
    /// The folder.
    package let folder: SimulatorKeys
    private let cache = Mutex<[String: (any Sendable)?]>([:])

    package init(_ folder: SimulatorKeys) {
        self.folder = folder
    }

    /// The key in `file`, read with `read` once; `nil` when it cannot be read.
    package func key<Key: Sendable>(_ file: String, read: (String) throws -> Key) -> Key? {
        cache.withLock { cache in
            if let known = cache[file] { return known as? Key }
            let key = try? read(file)
            cache[file] = .some(key.map { $0 as any Sendable })
            return key
        }
    }
}
