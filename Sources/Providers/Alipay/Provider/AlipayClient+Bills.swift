import Foundation
import NIOHTTP1
import ReconBills
import ReconCore
import ReconProviders

extension AlipayClient: BillSource {
    public var downloadCheck: String { "its detail file read; Alipay gives no hash" }

    /// Asks for the day's trade bill (`alipay.data.dataservice.bill.downloadurl.query`), then
    /// downloads the ZIP from the link at once (it expires after 30 seconds) and checks that it
    /// holds the day's detail file before saving it as `alipay_<PID>_<day>.csv.zip`.
    public func downloadBill(day: CivilDate, merchant: MerchantRef, into folder: String) async throws -> BillDownload {
        guard let keys = credentials[merchant.merchantID] else {
            throw BillDownloadError("No Alipay app is configured for merchant \(merchant.merchantID). Add it under providers.alipay.merchants.")
        }
        let subject = "\(merchant) bill of \(day)"
        let method = "alipay.data.dataservice.bill.downloadurl.query"
        let requestID = UUID().uuidString.lowercased()
        let answer = try await post(method, AlipayWire.BillQuery(billDate: day.description), keys: keys, requestID: requestID)
        let text: ArraySlice<UInt8>
        switch Self.verified(answer.body, method: method, keys: keys) {
        case .failure(let problem):
            throw BillDownloadError("\(subject): the bill query's answer cannot be trusted (\(problem)). Nothing was saved; try again, and check the Alipay public key if it persists.")
        case .success(let verified): text = verified
        }
        guard let link = try? ProviderJSON.decode(AlipayWire.BillLink.self, from: Array(text)).get() else {
            throw BillDownloadError("\(subject): the bill query's answer is not what the API documents. Nothing was saved.")
        }
        guard link.code == "10000" else {
            let code = link.subCode ?? link.code
            switch ErrorCatalog.normalized(code) {
            case "ISP.BILL_NOT_EXIST": return .noBill(code: code)
            case "ISV.INVALID_ARGUMENTS": return .notReady(code: code, message: link.subMsg ?? "the day's bill is not published yet")
            default:
                throw BillDownloadError("\(subject): Alipay refused the bill query with \(AlipayPlugin.codes.quote(code, provider: .alipay)). Nothing was saved.")
            }
        }
        guard let address = link.billDownloadUrl, let url = URL(string: address), let host = url.host, let base = URL(string: baseURL),
            url.scheme == "https" && (host == "alipay.com" || host.hasSuffix(".alipay.com")) || (host == base.host && url.port == base.port)
        else {
            throw BillDownloadError("\(subject): the bill query's link '\(Printable.escaped(link.billDownloadUrl ?? ""))' is neither Alipay's nor the gateway's. Nothing was saved.")
        }
        let download = try await endpoint.downloads.send(method: .GET, url: address, headers: [], body: nil, requestID: requestID)
        guard download.status == 200, download.body.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw BillDownloadError("\(subject): the bill link gave HTTP \(download.status) and no ZIP archive: it expires 30 seconds after the query. Nothing was saved; download it again.")
        }
        let name = "alipay_\(merchant.merchantID)_\(day).csv.zip"
        let staged = try BillFiles.save(download.body, folder: folder, name: "." + name + ".check")
        defer { try? FileManager.default.removeItem(atPath: staged) }
        do {
            _ = try BillReader(formats: AlipayPlugin().billFormats).identify(staged, displayName: address)
        } catch {
            throw BillDownloadError("\(subject): the downloaded archive is not a readable Alipay bill (\(error)). Nothing was saved; download it again.")
        }
        let saved = try BillFiles.save(download.body, folder: folder, name: name)
        return .saved(path: saved, bytes: download.body.count)
    }
}
