import Foundation
import ReconCore

/// The file a download leaves when the provider has no bill for a merchant's day
/// (`wechatpay_1900000109_2026-11-20_ALL.nobill`, `gateway_800100200_2026-11-20.nobill`): the run then reconciles that day as empty instead
/// of stopping for a missing bill, and the archive keeps the marker as the day's evidence.
public enum NoBillMarker {
    /// The marker's file-name suffix.
    public static let suffix = ".nobill"

    /// The marker's file name for `merchant` on `day`.
    public static func fileName(merchant: MerchantRef, day: CivilDate) -> String {
        let bill = BillFileName.downloaded(merchant: merchant, day: day)
        return String(bill.fileName.dropLast(".csv".count)) + suffix
    }

    /// The merchant, day and type a marker's file name stands for; `nil` when it is not a marker's name.
    public static func billName(of fileName: String) -> BillFileName? {
        guard fileName.hasSuffix(suffix) else { return nil }
        return BillFileName(fileName: String(fileName.dropLast(suffix.count)) + ".csv")
    }

    /// The marker's text: the provider's code first, then when it said so.
    public static func text(code: String, merchant: MerchantRef, day: CivilDate, at time: Timestamp) -> String {
        "\(code)\n\(merchant.provider.rawValue) answered \(code) for \(merchant) on \(day) at \(time.rfc3339): no trade or refund that day.\n"
    }

    /// Writes the marker into `folder`, atomically.
    public static func write(code: String, merchant: MerchantRef, day: CivilDate, at time: Timestamp, into folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(fileName(merchant: merchant, day: day))
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text(code: code, merchant: merchant, day: day, at: time).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReconError(.failure, "Cannot write \(path): \(error.localizedDescription). Check that the bills folder is writable.")
        }
        return path
    }

    /// The code a marker holds.
    static func code(at path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let code = text.split(separator: "\n").first.map(String.init), Identifier.codeProblem(code) == nil
        else {
            throw ReconError.badInput(
                "\(path) is not a no-bill marker (its first line should be the provider's code, such as NO_STATEMENT_EXIST). "
                    + "Delete it and download the day's bill again.")
        }
        return code
    }
}
