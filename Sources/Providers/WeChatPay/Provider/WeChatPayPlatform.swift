import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import Synchronization
import X509

/// How one merchant's answers are verified: with the WeChat Pay public key, named by its id
/// (`PUB_KEY_ID_…`), or with the platform certificates of `GET /v3/certificates`, decrypted with
/// the merchant's APIv3 key, each used only by the serial it carries and within its validity.
public final class WeChatPayPlatform: Sendable {
    /// Where the keys come from.
    public enum Source: Sendable {
        case publicKey(id: String, key: _RSA.Signing.PublicKey)
        /// The certificates, fetched when an answer names a serial not yet known; `apiv3Key` is the
        /// 32-byte key they are encrypted with.
        case certificates(apiv3Key: SymmetricKey)
    }

    /// One platform certificate's key and validity, in epoch seconds.
    struct Certificate: Sendable {
        let serial: String
        let key: _RSA.Signing.PublicKey
        let validFrom: Int64
        let validUntil: Int64
    }

    public let source: Source
    private let known = Mutex<[String: Certificate]>([:])
    private let refetched = Mutex<Set<String>>([])

    public init(_ source: Source) {
        self.source = source
    }

    /// The certificate of `serial` valid at `now`.
    func certificate(_ serial: String, at now: Int64) -> Certificate? {
        known.withLock { $0[serial] }.flatMap { $0.validFrom <= now && now <= $0.validUntil ? $0 : nil }
    }

    /// The most serials a merchant's client fetches the list for: answers naming ever new serials
    /// (a hostile network) cannot make it fetch without end.
    static let maxRefetches = 8

    /// Whether a fetch for `serial` may still be tried: once per serial, for at most
    /// ``maxRefetches`` serials.
    func mayRefetch(for serial: String) -> Bool {
        refetched.withLock { tried in
            guard tried.count < Self.maxRefetches else { return false }
            return tried.insert(serial).inserted
        }
    }

    /// Keeps the certificates of a verified list.
    func keep(_ certificates: [Certificate]) {
        known.withLock { known in for certificate in certificates { known[certificate.serial] = certificate } }
    }

    /// What the answers are checked with, for messages: `public key PUB_KEY_ID_…` or `platform certificates`.
    public var name: String {
        switch source {
        case .publicKey(let id, _): "WeChat Pay key \(id)"
        case .certificates: "the platform certificates"
        }
    }

    /// A certificate of the list `GET /v3/certificates` answers, decrypted with the APIv3 key
    /// (AES-256-GCM: the nonce and associated data as UTF-8, the Base64 ciphertext ending in the
    /// 16-byte tag) and read as X.509.
    /// - Throws: ``WeChatPayPlatform/ListProblem`` saying what is wrong.
    static func decrypt(_ entry: WeChatPayWire.Certificates.Entry, apiv3Key: SymmetricKey) throws -> Certificate {
        let sealed = entry.encryptCertificate
        guard sealed.algorithm == "AEAD_AES_256_GCM" else {
            throw ListProblem("certificate \(entry.serialNo) is sealed with \(sealed.algorithm), not AEAD_AES_256_GCM")
        }
        guard let bytes = Data(base64Encoded: sealed.ciphertext), bytes.count > 16,
            let nonce = try? AES.GCM.Nonce(data: Data(sealed.nonce.utf8))
        else { throw ListProblem("certificate \(entry.serialNo)'s nonce or ciphertext is malformed") }
        let plain: Data
        do {
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: bytes.dropLast(16), tag: bytes.suffix(16))
            plain = try AES.GCM.open(box, using: apiv3Key, authenticating: Data((sealed.associatedData ?? "").utf8))
        } catch {
            throw ListProblem("certificate \(entry.serialNo) does not decrypt with the APIv3 key: the list was changed, or the key is not this merchant's")
        }
        let certificate: X509.Certificate
        do {
            certificate = try X509.Certificate(pemEncoded: String(decoding: plain, as: UTF8.self))
        } catch {
            throw ListProblem("certificate \(entry.serialNo) is not an X.509 certificate in PEM form")
        }
        let serial = certificate.serialNumber.bytes.map { String(format: "%02X", $0) }.joined()
        guard serial == entry.serialNo.uppercased() else {
            throw ListProblem("certificate \(entry.serialNo) holds serial \(serial)")
        }
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw ListProblem("certificate \(entry.serialNo)'s key is not RSA")
        }
        return Certificate(
            serial: serial, key: key, validFrom: Int64(certificate.notValidBefore.timeIntervalSince1970),
            validUntil: Int64(certificate.notValidAfter.timeIntervalSince1970))
    }

    /// Why a certificate list cannot be used.
    struct ListProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
