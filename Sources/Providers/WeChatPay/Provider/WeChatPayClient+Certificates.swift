import Foundation
import ReconCore
import ReconProviders

extension WeChatPayClient {
    /// Fetches `GET /v3/certificates` for a merchant of platform certificates, decrypts each with
    /// its APIv3 key, verifies the list's own answer with the certificate it names among them, and
    /// keeps them. A list that fails any check is not kept.
    /// - Throws: A problem naming what failed.
    func refreshCertificates(_ keys: WeChatPayCredentials) async throws {
        guard case .certificates(let apiv3Key) = keys.platform.source else { return }
        let path = "/v3/certificates"
        let answer = try await signedGet(baseURL + path, canonical: path, keys: keys, nonce: WeChatPaySignature.nonce(), exchange: endpoint.exchange)
        guard answer.status == 200 else {
            throw WeChatPayPlatform.ListProblem("GET /v3/certificates answered HTTP \(answer.status) \(Self.errorBody(answer.body)?.code ?? "")")
        }
        guard let signed = Self.signedHeaders(answer) else { throw WeChatPayPlatform.ListProblem(Self.unsigned) }
        let list: WeChatPayWire.Certificates
        switch ProviderJSON.decode(WeChatPayWire.Certificates.self, from: answer.body) {
        case .failure(let problem): throw WeChatPayPlatform.ListProblem(problem.reason)
        case .success(let decoded): list = decoded
        }
        let certificates = try list.data.map { try WeChatPayPlatform.decrypt($0, apiv3Key: apiv3Key) }
        guard let signer = certificates.first(where: { $0.serial == signed.serial.uppercased() }) else {
            throw WeChatPayPlatform.ListProblem("the list is signed with certificate \(signed.serial), which it does not hold")
        }
        if let problem = check(answer, signed, with: signer.key, name: "certificate \(signer.serial) of the list") {
            throw WeChatPayPlatform.ListProblem(problem)
        }
        keys.platform.keep(certificates)
    }
}
