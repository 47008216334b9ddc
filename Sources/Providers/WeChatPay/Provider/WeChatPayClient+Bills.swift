import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import ReconBills
import ReconCore
import ReconProviders

extension WeChatPayClient: BillSource {
    public var downloadCheck: String { "SHA-1 verified" }

    /// Applies for the day's ALL bill (gzip), downloads it from the URL the answer gives, unpacks
    /// it and checks its SHA-1 against the one the signed answer gave (provider-formats §4).
    ///
    /// A sub-merchant's bill is asked for by its service provider with `sub_mchid`; the bill of a
    /// service provider itself (the `sp_mchid` of configured sub-merchants) covers all its sub-merchants.
    public func downloadBill(day: CivilDate, merchant: MerchantRef, into folder: String) async throws -> BillDownload {
        let id = merchant.merchantID
        guard let keys = credentials[id] ?? credentials.values.sorted(by: { $0.merchantID < $1.merchantID }).first(where: { $0.serviceProviderID == id })
        else {
            throw BillDownloadError(
                "No WeChat Pay keys are configured for merchant \(id). Add it under providers.wechatpay.merchants, "
                    + "or, for a service provider's bill, its sub-merchants with sp_mchid \(id).")
        }
        let subject = "\(merchant) bill of \(day)"
        let path = "/v3/bill/tradebill?bill_date=\(day)&bill_type=ALL&tar_type=GZIP" + Self.subMerchant(merchant, credentials, first: false)
        let apply = try await signedGet(baseURL + path, canonical: path, keys: keys, nonce: WeChatPaySignature.nonce(), exchange: endpoint.exchange)
        if let problem = await verify(apply, keys: keys) {
            throw BillDownloadError("\(subject): the bill application's answer cannot be trusted (\(problem)). Nothing was saved; try again, and check the WeChat Pay public key if it persists.")
        }
        guard (200..<300).contains(apply.status) else {
            let failure = Self.errorBody(apply.body)
            let code = failure?.code ?? "HTTP \(apply.status)"
            let message = failure?.message ?? ""
            switch code {
            case "NO_STATEMENT_EXIST": return .noBill(code: code)
            case "STATEMENT_CREATING": return .notReady(code: code, message: message)
            default:
                throw BillDownloadError("\(subject): WeChat Pay refused the bill application with \(WeChatPayPlugin.codes.quote(code, provider: .wechatPay)). Nothing was saved.")
            }
        }
        let answer = try? ProviderJSON.decode(WeChatPayWire.BillLink.self, from: apply.body).get()
        guard let hash = answer?.hashValue, let link = answer?.downloadUrl,
            let linkURL = URL(string: link), let base = URL(string: baseURL), linkURL.host == base.host, linkURL.port == base.port
        else {
            throw BillDownloadError("\(subject): the bill application's answer has no usable hash_value and download_url on \(baseURL). Nothing was saved.")
        }
        let canonical = linkURL.path + (linkURL.query.map { "?\($0)" } ?? "")
        let download = try await signedGet(
            link, canonical: canonical, keys: keys, nonce: WeChatPaySignature.nonce(), exchange: endpoint.downloads, accept: "*/*")
        guard download.status == 200 else {
            let code = Self.errorBody(download.body)?.code ?? "HTTP \(download.status)"
            throw BillDownloadError("\(subject): the download was refused with \(WeChatPayPlugin.codes.quote(code, provider: .wechatPay)); apply again. Nothing was saved.")
        }
        var bytes = download.body
        if Gzip.isCompressed(bytes) {
            do {
                bytes = try Gzip.decompress(bytes, name: link)
            } catch {
                throw BillDownloadError("\(subject): the downloaded gzip is damaged or cut short (\(error)). Nothing was saved; download it again.")
            }
        }
        let digest = Insecure.SHA1.hash(data: bytes).hexString
        guard digest == hash.lowercased() else {
            throw BillDownloadError("\(subject): the bill's SHA-1 is \(digest) but WeChat Pay's answer says \(hash.lowercased()); the file was truncated or altered. Nothing was saved; download it again.")
        }
        let saved = try BillFiles.save(bytes, folder: folder, name: "wechatpay_\(merchant.merchantID)_\(day)_ALL.csv")
        return .saved(path: saved, bytes: bytes.count)
    }
}
