import Crypto
import CryptoExtras
import Foundation

/// Reads key files, refusing private keys that others can read.
public enum KeyFile {
    /// A key file that cannot be used.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        /// The message: names the file and says what to do; never shows key material.
        public let description: String

        public init(description: String) { self.description = description }
    }

    /// Reads a private key file (PEM, PKCS#8 or PKCS#1), after checking that neither its group nor
    /// others may read it.
    public static func privateKey(at path: String) throws -> _RSA.Signing.PrivateKey {
        let text = try secretText(at: path, what: "private key")
        do {
            return try _RSA.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw Problem(description: "\(path): not an RSA private key in PEM form (PKCS#8 or PKCS#1). Check the file's path.")
        }
    }

    /// Reads a public key file (PEM).
    public static func publicKey(at path: String) throws -> _RSA.Signing.PublicKey {
        let text = try readText(at: path, what: "public key")
        do {
            return try _RSA.Signing.PublicKey(pemRepresentation: text)
        } catch {
            throw Problem(description: "\(path): not an RSA public key in PEM form. Check the file's path.")
        }
    }

    /// Reads a shared secret file (its first line, without surrounding blanks), after the same
    /// permission check as a private key.
    public static func secret(at path: String) throws -> SymmetricKey {
        let text = try secretText(at: path, what: "secret")
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { throw Problem(description: "\(path): the secret file is empty. Put the merchant's key on its first line.") }
        return SymmetricKey(data: Data(line.utf8))
    }

    /// The permission bits that make a secret file unsafe: any access by group or others.
    static let unsafeBits: mode_t = 0o077

    /// Why the secret file at `path` is exposed (group or others may read it), without reading
    /// it; `nil` when it is not, or cannot be looked at.
    public static func exposure(at path: String, what: String = "key") -> String? {
        exposedMode(at: path).map { "\(path): the \(what) file is readable by group or others (mode \($0)). Run: chmod 600 \(path)" }
    }

    /// The file's mode in octal when group or others may access it.
    private static func exposedMode(at path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & unsafeBits != 0 else { return nil }
        return String(info.st_mode & 0o777, radix: 8)
    }

    private static func secretText(at path: String, what: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "\(path): cannot read the \(what) file (\(String(cString: strerror(errno)))). Check the path in the configuration.")
        }
        if let mode = exposedMode(at: path) {
            throw Problem(
                description: "\(path): the \(what) file is readable by group or others (mode \(mode)); refusing to use it. "
                    + "Run: chmod 600 \(path)")
        }
        return try readText(at: path, what: what)
    }

    private static func readText(at path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "\(path): cannot read the \(what) file. Check the path in the configuration.")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
