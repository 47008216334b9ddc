import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import WeChatPayProvider
import X509

/// The simulator's WeChat Pay platform certificate: a self-signed X.509 certificate of the key
/// answers are signed with, valid from 2026-01-01 to 2031-01-01, served by `GET /v3/certificates`
/// sealed with the asking merchant's APIv3 key.
struct WeChatPayPlatformCertificate: Sendable {
    /// The certificate's serial, upper-case hexadecimal, as `Wechatpay-Serial` names it.
    let serial: String
    let pem: String

    static let serialBytes: [UInt8] = [0x3D, 0x2A, 0x7E, 0x01, 0x5B, 0x6C, 0x44, 0x10, 0x9A, 0x77, 0x21, 0x5E]
    static let validFrom = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let validUntil = Date(timeIntervalSince1970: 1_924_992_000)  // 2031-01-01T00:00:00Z

    init(key: _RSA.Signing.PrivateKey) throws {
        let signer = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            CommonName("Tenpay.com Root CA (simulated)")
            OrganizationName("provider-sim")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: Self.serialBytes), publicKey: signer.publicKey,
            notValidBefore: Self.validFrom, notValidAfter: Self.validUntil, issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(), issuerPrivateKey: signer)
        pem = try certificate.serializeAsPEM().pemString
        serial = Self.serialBytes.map { String(format: "%02X", $0) }.joined()
    }

    /// The list `GET /v3/certificates` answers: this certificate, sealed with `apiv3Key`
    /// (AES-256-GCM, a 12-character nonce and `certificate` as associated data).
    func list(sealedWith apiv3Key: SymmetricKey) -> WeChatPayWire.Certificates {
        let nonce = String(serial.prefix(12))
        let sealed = try! AES.GCM.seal(
            Data(pem.utf8), using: apiv3Key, nonce: try! AES.GCM.Nonce(data: Data(nonce.utf8)), authenticating: Data("certificate".utf8))
        return WeChatPayWire.Certificates(data: [
            .init(
                serialNo: serial, effectiveTime: "2026-01-01T08:00:00+08:00", expireTime: "2031-01-01T08:00:00+08:00",
                encryptCertificate: .init(
                    algorithm: "AEAD_AES_256_GCM", nonce: nonce, associatedData: "certificate",
                    ciphertext: (sealed.ciphertext + sealed.tag).base64EncodedString())),
        ])
    }
}
