import Foundation
import ProviderPlugins
import ReconBills
import ReconCore

/// A bill file the run will read, with the merchant and day it must belong to.
public struct PlannedBill: Hashable, Sendable {
    /// The file to open.
    public var path: String
    /// The merchant, day and type.
    public var name: BillFileName
    /// For a day the provider has no bill for (a `.nobill` marker written by the download): the
    /// provider's code, such as `NO_STATEMENT_EXIST`. The day is then reconciled as empty.
    public var noBillCode: String?

    /// Creates a planned bill.
    public init(path: String, name: BillFileName, noBillCode: String? = nil) {
        self.path = path
        self.name = name
        self.noBillCode = noBillCode
    }
}

/// Finds the bills of a run's days in the configured files and folders, and checks that every
/// merchant and day has a usable set: one ALL bill, or a SUCCESS and/or a REFUND bill, or one
/// gateway bill. A bill named for a service provider is each of its configured sub-merchants' bill.
public struct BillInventory: Sendable {
    /// The bills, ordered by day, merchant and type.
    public let bills: [PlannedBill]
    /// The service providers whose bills cover their sub-merchants.
    public let groups: MerchantGroups

    /// Scans `paths` for the bills of `days`.
    /// - Parameters:
    ///   - paths: Bill files and folders.
    ///   - days: The days of the run.
    ///   - merchants: Merchants that must have a bill on every day; empty to accept any.
    ///   - reader: Used to identify a single file whose name does not follow the convention.
    ///   - groups: The service providers whose bills cover their sub-merchants.
    ///   - shard: The worker's share: bills named for merchants of other shards are left to them.
    public init(
        paths: [String], days: [CivilDate], merchants: [MerchantRef], reader: BillReader, groups: MerchantGroups = MerchantGroups(),
        shard: Shard = .all
    ) throws {
        self.groups = groups
        let wanted = Set(days)
        var found: [PlannedBill] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ReconError.badInput(
                    "\(path): no such bill file or folder. Check --bills or bills.paths in the config file.")
            }
            if isFolder.boolValue {
                found += try Self.scanFolder(path, days: wanted)
            } else {
                found.append(try Self.identify(path, days: days, reader: reader))
            }
        }
        bills = found.filter { shard.owns($0.name.merchant, in: groups) }.sorted { ($0.name.day, $0.name.merchant, $0.name.type ?? "") < ($1.name.day, $1.name.merchant, $1.name.type ?? "") }
        try check(days: days, merchants: merchants, paths: paths)
    }

    /// Which kinds of row each merchant's bills cover on each day.
    public var coverage: BillCoverage {
        var coverage = BillCoverage()
        for bill in bills {
            for merchant in covered(by: bill) { coverage.insert(merchant, day: bill.name.day, kinds: bill.name.kinds) }
        }
        return coverage
    }

    /// The merchants whose rows `bill` holds: its merchant's, or a service provider's sub-merchants'.
    public func covered(by bill: PlannedBill) -> [MerchantRef] { groups.covered(by: bill.name.merchant) }

    /// The bills of `day`.
    public func bills(on day: CivilDate) -> [PlannedBill] { bills.filter { $0.name.day == day } }

    private static func scanFolder(_ folder: String, days: Set<CivilDate>) throws -> [PlannedBill] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw ReconError.badInput("\(folder): cannot list the folder (\(error.localizedDescription)).")
        }
        var bills: [PlannedBill] = []
        for name in names where !name.hasPrefix(".") && name.hasSuffix(NoBillMarker.suffix) {
            let path = (folder as NSString).appendingPathComponent(name)
            try refuseNonFile(path)
            try refuseInvalidMerchant(in: String(name.dropLast(NoBillMarker.suffix.count)) + ".csv", path: path)
            guard let parsed = NoBillMarker.billName(of: name) else {
                throw ReconError.badInput(
                    "\(path): the name does not say which merchant and day it is for. Name it "
                        + "<provider>_<merchant>_<YYYY-MM-DD>\(NoBillMarker.suffix), or move it out of the folder.")
            }
            guard days.contains(parsed.day) else { continue }
            bills.append(PlannedBill(path: path, name: parsed, noBillCode: try NoBillMarker.code(at: path)))
        }
        // Any ZIP archive is taken for a bill, so one under another name stops the run rather than being passed over.
        for name in names where !name.hasPrefix(".") && (BillFileName.packings.contains { name.hasSuffix(".csv" + $0) } || name.hasSuffix(".zip")) {
            let path = (folder as NSString).appendingPathComponent(name)
            try refuseNonFile(path)
            try refuseInvalidMerchant(in: name, path: path)
            guard let parsed = BillFileName(fileName: name) else {
                throw ReconError.badInput(
                    "\(path): the name does not say which merchant and day the bill is for. Rename it "
                        + "<provider>_<merchant>_<YYYY-MM-DD>[_ALL|_SUCCESS|_REFUND].csv[.gz|.zip], such as "
                        + "wechatpay_1900000109_2026-11-20_ALL.csv, gateway_800100200_2026-11-20.csv or "
                        + "alipay_2088021109625633_2026-11-20.csv.zip, "
                        + "or move it out of the folder.")
            }
            if days.contains(parsed.day) { bills.append(PlannedBill(path: path, name: parsed)) }
        }
        return bills
    }

    /// Refuses a bill or marker that is not a regular file (after symbolic links): reading a named
    /// pipe or a device would block the run or never end.
    private static func refuseNonFile(_ path: String) throws {
        guard BillByteStream.isRegularFile(path) else {
            throw ReconError.badInput(
                "\(path) is named as a bill but is not a regular file (a folder, pipe or device, or a broken link). "
                    + "Move it out of the folder.")
        }
    }

    /// Refuses a file whose name follows the convention but names a merchant id of the wrong shape.
    private static func refuseInvalidMerchant(in fileName: String, path: String) throws {
        if let problem = BillFileName.invalidMerchant(inFileName: fileName) {
            throw ReconError.badInput("\(path): the name's merchant \(problem). Rename the file, or move it out of the folder.")
        }
    }

    /// A single file: its name says what it is, or else its first row does.
    private static func identify(_ path: String, days: [CivilDate], reader: BillReader) throws -> PlannedBill {
        let fileName = (path as NSString).lastPathComponent
        try refuseInvalidMerchant(in: fileName, path: path)
        if let parsed = BillFileName(fileName: fileName) {
            guard days.contains(parsed.day) else {
                throw ReconError.badInput(
                    "\(path) is the bill of \(parsed.day), which is not a day of this run (\(Self.describe(days))). "
                        + "Pass the bill of the day asked for, or change --date.")
            }
            return PlannedBill(path: path, name: parsed)
        }
        let facts = try reader.identify(path)
        guard let merchant = facts.merchant else {
            if !facts.isValid { throw BillError.invalid(facts) }
            throw ReconError.badInput(
                "\(path): the bill has no rows that name its merchant. Rename it "
                    + "<provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv so the run knows whose bill it is.")
        }
        let day: CivilDate
        if let stated = facts.day ?? facts.firstRowTime?.date {
            guard days.contains(stated) else {
                throw ReconError.badInput(
                    "\(path) is a bill of \(stated) (its first row), which is not a day of this run "
                        + "(\(Self.describe(days))). Pass the bill of the day asked for, or change --date.")
            }
            day = stated
        } else if days.count == 1 {
            day = days[0]
        } else {
            throw ReconError.badInput(
                "\(path): the bill has no rows that date it. Rename it <provider>_<merchant>_<YYYY-MM-DD>[_<TYPE>].csv.")
        }
        let type = Providers.directory.billTypes(of: facts.format.provider).isEmpty ? nil : facts.format.type
        return PlannedBill(path: path, name: BillFileName(merchant: merchant, day: day, type: type))
    }

    private func check(days: [CivilDate], merchants: [MerchantRef], paths: [String]) throws {
        let where_ = paths.joined(separator: ", ")
        for day in days {
            let today = bills(on: day)
            if today.isEmpty, merchants.isEmpty {
                throw ReconError.badInput(
                    "No bill for \(day) in \(where_). Download the day's bills (named like "
                        + "wechatpay_1900000109_\(day)_ALL.csv), or leave the day out of --from/--to.")
            }
            // A service provider in reconcile.merchants asks for its own bill, which covers its sub-merchants.
            for merchant in merchants where !today.contains(where: { $0.name.merchant == merchant || covered(by: $0).contains(merchant) }) {
                let example = BillFileName.downloaded(merchant: merchant, day: day)
                let parent = groups.parent(of: merchant).map {
                    " or its service provider's bill \(BillFileName.downloaded(merchant: $0, day: day).fileName)"
                } ?? ""
                throw ReconError.badInput(
                    "No bill for \(merchant) on \(day) in \(where_): expected a file named \(example.fileName)\(parent) "
                        + "(or .csv.gz, .csv.zip). Download it, or remove the merchant from reconcile.merchants.")
            }
            for merchant in Set(today.flatMap(covered(by:))).sorted() {
                let files = today.filter { covered(by: $0).contains(merchant) }
                if !merchants.isEmpty, !merchants.contains(merchant), !merchants.contains(where: { $0 == groups.parent(of: merchant) }) {
                    throw ReconError.badInput(
                        "\(files[0].path) is a bill of \(merchant), which is not in reconcile.merchants. Add the merchant "
                            + "there, or move the file away.")
                }
                let types = files.map { $0.name.type ?? "" }
                let acceptable = [[""], ["ALL"], ["SUCCESS"], ["REFUND"], ["REFUND", "SUCCESS"]]
                guard acceptable.contains(types.sorted()) else {
                    throw ReconError.badInput(
                        "\(merchant) has more than one bill for \(day): \(files.map(\.path).joined(separator: ", ")). Keep "
                            + "one ALL bill, or one SUCCESS and one REFUND bill, and move the others away.")
                }
            }
        }
    }

    private static func describe(_ days: [CivilDate]) -> String {
        guard let first = days.first, let last = days.last else { return "no days" }
        return first == last ? "\(first)" : "\(first) to \(last)"
    }
}
