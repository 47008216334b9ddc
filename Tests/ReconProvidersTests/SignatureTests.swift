import CryptoExtras
import Foundation
import ProviderSimulator
import ProviderTestSupport
import ReconProviders
import ReconTestSupport
import Testing
import WeChatPayProvider
import WeChatPaySimulator

@Suite("Request and response signatures")
struct SignatureTests {
    let directory = TemporaryDirectory("signatures")

    /// Runs a command and returns its standard output.
    func run(_ arguments: [String], input: Data? = nil) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    @Test("the WeChat Pay request signature is byte-identical to openssl dgst -sha256 -sign, and openssl verifies it")
    func goldenAgainstOpenSSL() throws {
        let keys = SimulatorHarness.sharedKeys
        let keyPath = keys.wechatPrivateKey("1900000109")
        let message = WeChatPaySignature.requestMessage(
            method: "GET", canonicalURL: "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1900000109",
            timestamp: 1_554_208_460, nonce: "593BEC0C930BF1AFEB40B4A08C8FB242", body: [UInt8]())
        #expect(String(decoding: message, as: UTF8.self)
            == "GET\n/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1900000109\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n")
        let messagePath = directory.write("message.txt", Data(message))
        let signaturePath = directory.file("signature.bin")
        let signed = try run(["openssl", "dgst", "-sha256", "-sign", keyPath, "-out", signaturePath, messagePath])
        #expect(signed.status == 0)
        let golden = try Data(contentsOf: URL(fileURLWithPath: signaturePath)).base64EncodedString()
        let ours = try WeChatPaySignature.sign(message, with: try KeyFile.privateKey(at: keyPath))
        #expect(ours == golden)
        directory.write("ours.bin", Data(base64Encoded: ours)!)
        let verified = try run([
            "openssl", "dgst", "-sha256", "-verify", keys.wechatPublicKey("1900000109"), "-signature", directory.file("ours.bin"),
            messagePath,
        ])
        #expect(String(decoding: verified.output, as: UTF8.self).contains("Verified OK"))
        #expect(WeChatPaySignature.isValid(ours, for: message, with: try KeyFile.publicKey(at: keys.wechatPublicKey("1900000109"))))
        var tampered = message
        tampered[0] = UInt8(ascii: "P")
        #expect(!WeChatPaySignature.isValid(ours, for: tampered, with: try KeyFile.publicKey(at: keys.wechatPublicKey("1900000109"))))
    }

    @Test("the Authorization header has the five fields and parses back")
    func authorization() {
        let header = WeChatPaySignature.authorization(
            merchantID: "1900009191", serialNumber: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", timestamp: 1_554_208_460,
            nonce: "593BEC0C930BF1AFEB40B4A08C8FB242", signature: "uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XmUgx9/QmqR4rp8zM6RpLnM3Fw==")
        #expect(header.hasPrefix("WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\","))
        let fields = WeChatPaySignature.parseAuthorization(header)
        #expect(fields?["mchid"] == "1900009191")
        #expect(fields?["timestamp"] == "1554208460")
        #expect(fields?["serial_no"] == "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C")
        #expect(fields?["signature"]?.hasSuffix("==") == true)
        #expect(WeChatPaySignature.parseAuthorization("Bearer x") == nil)
    }

    @Test("private key files readable by group or others are refused, with the chmod to run")
    func keyPermissions() throws {
        let source = try String(contentsOfFile: SimulatorHarness.sharedKeys.wechatPrivateKey("1900000109"), encoding: .utf8)
        let path = directory.write("key.pem", source)
        for mode in [0o644, 0o640, 0o604, 0o660] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            #expect { try KeyFile.privateKey(at: path) } throws: { error in
                "\(error)".contains("readable by group or others") && "\(error)".contains("chmod 600 \(path)")
                    && !"\(error)".contains("PRIVATE KEY")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        _ = try KeyFile.privateKey(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        _ = try KeyFile.privateKey(at: path)
        let secret = directory.write("gateway.secret", "s3cr3t-value\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret)
        #expect { try KeyFile.secret(at: secret) } throws: { "\($0)".contains("readable by group or others") && !"\($0)".contains("s3cr3t") }
    }
}
