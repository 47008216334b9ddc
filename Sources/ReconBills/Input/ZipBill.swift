import Foundation
import ReconCore
import ZIPFoundation

/// The bill inside a `.zip` archive, as providers deliver them (Alipay's `….csv.zip`), read with
/// ZIPFoundation.
///
/// Entry names are taken as UTF-8 when they are, else as GB18030: Alipay writes GBK names
/// without the UTF-8 flag. The bill is the one `.csv` entry that is not a summary (`…(汇总).csv`);
/// an archive with none (a spreadsheet is a ZIP too) or several is refused, naming what it holds.
struct ZipBill {
    /// The archive.
    let archive: Archive
    /// The bill's entry.
    let entry: Entry
    /// The entry's name, decoded.
    let name: String

    /// Opens `path` and finds its bill.
    /// - Throws: ``BillError`` naming the file and what the archive holds.
    init(path: String, displayName: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read, pathEncoding: .isoLatin1)
        } catch {
            throw BillError.archive(file: displayName, detail: "it cannot be read (\(error)); download it again")
        }
        let entries = Array(archive).filter { $0.type == .file }.map { ($0, Self.name(of: $0)) }
        let bills = entries.filter { Self.isBill($0.1) }
        guard bills.count == 1 else {
            let listed = entries.prefix(10).map { "'\(Printable.escaped($0.1))'" }.joined(separator: ", ")
            throw BillError.archive(
                file: displayName,
                detail: bills.isEmpty
                    ? "it holds no CSV bill (\(listed.isEmpty ? "it is empty" : "it holds " + listed)); a spreadsheet is a ZIP too: export the bill as CSV"
                    : "it holds \(bills.count) CSV bills (\(bills.map { "'\(Printable.escaped($0.1))'" }.joined(separator: ", "))); unpack it and pass each bill on its own")
        }
        self.archive = archive
        (entry, name) = bills[0]
    }

    /// Streams the bill's bytes, as stored inside the archive before any decoding, to `body`.
    /// - Throws: ``BillError/corrupt(file:reason:)`` when the entry cannot be inflated or its CRC-32 does not match.
    func read(displayName: String, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var failure: (any Error)?
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: BillByteStream.chunkSize) { data in
                do {
                    var data = data
                    try data.withUnsafeMutableBytes { try body($0) }
                } catch {
                    failure = error
                    throw error
                }
            }
        } catch {
            if let failure { throw failure }
            throw BillError.corrupt(file: displayName, reason: "the bill '\(Printable.escaped(name))' in the ZIP archive cannot be unpacked (\(error))")
        }
        guard checksum == entry.checksum else {
            throw BillError.corrupt(
                file: displayName, reason: "the bill '\(Printable.escaped(name))' in the ZIP archive does not match its CRC-32: the archive was changed or cut")
        }
    }

    /// `true` for the name of a bill: a `.csv` file that is not a summary.
    static func isBill(_ name: String) -> Bool {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        return file.lowercased().hasSuffix(".csv") && !file.contains("汇总")
    }

    /// An entry's name: its bytes as UTF-8 when they are, else as GB18030.
    private static func name(of entry: Entry) -> String {
        // ISO Latin-1 maps each byte to the scalar of the same value, so the bytes come back whole.
        let bytes = entry.path(using: .isoLatin1).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return (try? GB18030.decode(bytes)) ?? String(decoding: bytes, as: UTF8.self)
    }
}
