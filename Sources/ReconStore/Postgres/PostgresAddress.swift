import Foundation

/// Where a PostgreSQL database is: a `postgres://` or `postgresql://` URL as libpq reads it, checked
/// before it is used.
///
/// A URL may name user, host (or a socket folder, `?host=/run/postgresql`), port, database and
/// libpq's options, but never a password: a URL ends up in crontabs, process lists, logs and
/// reports. The password comes from a password file (`PGPASSFILE` or `~/.pgpass`, which libpq
/// ignores unless only its owner can read it) or `PGPASSWORD`, as for every libpq program.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// The URL as given.
    public let url: String

    /// `true` when `text` is meant as a PostgreSQL URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Checks `text`; `setting` names where it came from, for the messages.
    /// - Throws: ``Problem`` naming what is wrong and what to do.
    public init(_ text: String, setting: String) throws {
        guard Self.isURL(text) else {
            throw Problem(setting: setting, value: text, reason: "it must start with postgres:// or postgresql://")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else {
            throw Problem(setting: setting, value: text, reason: "it holds a space or a control character; percent-encode them")
        }
        guard let components = URLComponents(string: text) else {
            throw Problem(setting: setting, value: text, reason: "it is not a valid URL")
        }
        let secret = (components.queryItems ?? []).contains { ["password", "sslpassword"].contains($0.name.lowercased()) }
        guard components.password == nil, !secret else {
            throw Problem(
                setting: setting, value: Self.redacted(components),
                reason: "it holds a password; put the password in a password file (PGPASSFILE or ~/.pgpass, mode 0600) "
                    + "or PGPASSWORD instead")
        }
        url = text
    }

    public var description: String { url }

    private static func redacted(_ components: URLComponents) -> String {
        var copy = components
        if copy.password != nil { copy.password = "…" }
        copy.queryItems = copy.queryItems?.map {
            ["password", "sslpassword"].contains($0.name.lowercased()) ? URLQueryItem(name: $0.name, value: "…") : $0
        }
        return copy.string ?? "postgres://…"
    }

    /// A URL that cannot be used.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// The setting or option it came from (`--store`, `store.url`, …).
        public let setting: String
        /// The value, with any password hidden.
        public let value: String
        /// What is wrong with it.
        public let reason: String

        public var description: String { "\(setting) '\(value)' cannot be used: \(reason)." }
    }
}
