import Foundation
import ReconCore

/// A provider's daily bill download.
public protocol BillSource: Sendable {
    /// The provider served.
    var provider: ProviderID { get }
    /// How a saved bill was verified, for people: `SHA-1 verified`.
    var downloadCheck: String { get }

    /// Downloads and verifies one merchant's bill of one day into `folder`, named as the run's
    /// bill folders expect (`<provider>_<merchant>_<day>[_ALL].csv`). Nothing is written unless
    /// the bill verifies.
    func downloadBill(day: CivilDate, merchant: MerchantRef, into folder: String) async throws -> BillDownload
}

/// How a bill download ended.
public enum BillDownload: Hashable, Sendable {
    /// The bill verified and was saved.
    case saved(path: String, bytes: Int)
    /// The provider has no bill for the day because nothing happened (WeChat Pay `NO_STATEMENT_EXIST`):
    /// an empty day, not a failure.
    case noBill(code: String)
    /// The bill is not ready yet (`STATEMENT_CREATING`, or not published): try again later.
    case notReady(code: String, message: String)
}

/// A bill download that failed: the call was refused, the answer did not verify, or the bill's
/// hash did not match. Names the merchant and day, and says what to do.
public struct BillDownloadError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

package enum BillFiles {
    /// Writes `bytes` to `folder/name` through a temporary file and a rename.
    package static func save(_ bytes: [UInt8], folder: String, name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent(name)
        let temporary = (folder as NSString).appendingPathComponent(".\(name).\(UUID().uuidString.prefix(8)).part")
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw BillDownloadError("\(temporary): cannot write the downloaded bill. Check that the folder is writable.")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw BillDownloadError("\(path): cannot move the downloaded bill into place. Check that the folder is writable.")
        }
        return path
    }
}
