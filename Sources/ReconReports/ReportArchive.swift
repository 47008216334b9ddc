import Foundation
import ReconCore
import Synchronization

/// The archive of reports: `ROOT/YYYY/MM/DD/` holds the day's JSON, CSV and HTML, and one folder
/// per provider and merchant (`wechatpay/1900000109/`) holds that merchant's reports and each raw
/// bill read (a hard link to it on the same file system, else a copy), with its SHA-256 beside it
/// (`NAME.sha256`, in `sha256sum` format). A day of one merchant has one report, the day's, under
/// both names: the merchant's files are hard links to the day's.
public struct ReportArchive: Sendable {
    /// The archive's root folder.
    public let root: String

    /// The worker's share of the merchants: a shard's day-wide files (of its merchants) go to
    /// `DAY/shard_I_of_N/`, which no provider's folder can be named, leaving the day's own
    /// names to `order-recon report`.
    public let shard: Shard

    /// Creates an archive rooted at `root`.
    public init(root: String, shard: Shard = .all) {
        self.root = root
        self.shard = shard
    }

    /// Where the day-wide files of this archive's share of `day` go: the day's folder, or a shard's within it.
    public func reportFolder(for day: CivilDate) -> String {
        guard shard != .all else { return folder(for: day) }
        return (folder(for: day) as NSString).appendingPathComponent("shard_\(shard.index)_of_\(shard.count)")
    }

    /// The folder of `day`: `ROOT/2026/11/20`.
    public func folder(for day: CivilDate) -> String {
        (root as NSString).appendingPathComponent(
            String(format: "%04d/%02d/%02d", day.year, day.month, day.day))
    }

    /// The folder of one merchant's files on `day`: `ROOT/2026/11/20/wechatpay/1900000109`.
    public func folder(for day: CivilDate, merchant: MerchantRef) -> String {
        ((folder(for: day) as NSString).appendingPathComponent(merchant.provider.rawValue) as NSString)
            .appendingPathComponent(merchant.merchantID)
    }

    /// Renders every file of `report` in memory: the day's JSON, CSV and HTML, and per merchant
    /// its own three, with the raw bills to copy beside them. The JSON is rendered on one thread
    /// while the CSV and the HTML are on another; with `staged`, each file is staged as soon as
    /// it is rendered, and each raw bill with its digest after them.
    ///
    /// With `settled`, rendering starts before the report's open items and query changes are
    /// settled: the CSV, which shows neither, and the JSON up to them are rendered from `report`,
    /// and the rest waits for `settled` to give the same report settled (or the error that stops
    /// the run, which the render then throws).
    /// - Parameters:
    ///   - history: The counts per day the charts show, of every merchant (`nil`) or of one.
    ///   - keepsCSV: Whether the staged CSV's bytes are kept in memory and returned as well; if
    ///     not, its ``RenderedDay/File/bytes`` are `nil`, as the JSON's are, and the e-mail reads
    ///     the CSV from the archive.
    /// - Throws: ``ReportError`` when a file cannot be staged.
    public func render(
        _ report: DayReport, history: (MerchantRef?) -> [DailyCount], chartStart: CivilDate, staging staged: StagedFiles? = nil,
        settled: (@Sendable () throws -> DayReport)? = nil, keepsCSV: Bool = true
    ) throws -> RenderedDay {
        var rendered = RenderedDay(
            day: report.day,
            files: try Self.render(
                report, in: reportFolder(for: report.day), history: history(nil), chartStart: chartStart, staging: staged,
                settled: settled, keepsCSV: keepsCSV),
            merchantFiles: [], bills: [])
        let merchants = Set(report.bills.map(\.merchant) + report.discrepancies.map(\.merchant)).sorted()
        let alone = merchants.count == 1 && report.unreconciled.isEmpty
        for merchant in merchants {
            let folder = folder(for: report.day, merchant: merchant)
            // A day that is one merchant's alone is already that merchant's report: only its names change.
            var scoped = report
            if alone { scoped.scope = merchant } else { scoped = report.scoped(to: merchant) }
            if alone {
                // The day is this merchant's alone: its report is the day's, rendered once, under the merchant's names.
                let base = (folder as NSString).appendingPathComponent(scoped.baseName)
                let files = zip(rendered.files, [".json", ".csv", ".html"]).map {
                    RenderedDay.File(path: base + $1, bytes: $0.bytes, sameAs: $0.path)
                }
                for file in files { try staged?.stage(at: file.path, sameAs: file.sameAs!) }
                rendered.merchantFiles += files
            } else {
                var settledScoped: (@Sendable () throws -> DayReport)?
                if let settled { settledScoped = { @Sendable in try settled().scoped(to: merchant) } }
                rendered.merchantFiles += try Self.render(
                    scoped, in: folder, history: history(merchant), chartStart: chartStart, staging: staged,
                    settled: settledScoped, keepsCSV: keepsCSV)
            }
            for bill in scoped.bills {
                let name = (bill.path as NSString).lastPathComponent
                let copy = (folder as NSString).appendingPathComponent(name)
                let digest = Data("\(bill.sha256)  \(name)\n".utf8)
                let billCopy = RenderedDay.BillCopy(
                    source: bill.path, path: copy, digest: RenderedDay.File(path: copy + ".sha256", bytes: digest))
                if let staged {
                    try staged.stageLink(to: billCopy.source, at: billCopy.path)
                    try staged.stage(digest, at: billCopy.digest.path)
                }
                rendered.bills.append(billCopy)
            }
        }
        return rendered
    }

    /// Renders only the day-wide JSON, CSV and HTML of `report`, in the day's folder, staging each
    /// in `staged` as soon as it is rendered: a day composed from shards, whose merchants' files
    /// the shards wrote.
    public func renderDay(
        _ report: DayReport, history: [DailyCount], chartStart: CivilDate, staging staged: StagedFiles
    ) throws -> RenderedDay {
        RenderedDay(
            day: report.day,
            files: try Self.render(report, in: folder(for: report.day), history: history, chartStart: chartStart, staging: staged),
            merchantFiles: [], bills: [])
    }

    private static func render(
        _ report: DayReport, in folder: String, history: [DailyCount], chartStart: CivilDate, staging staged: StagedFiles?,
        settled: (@Sendable () throws -> DayReport)? = nil, keepsCSV: Bool = true
    ) throws -> [RenderedDay.File] {
        let base = (folder as NSString).appendingPathComponent(report.baseName)
        let paths = [".json", ".csv", ".html"].map { base + $0 }
        // The files are rendered on two threads, each written as soon as it is ready: the JSON,
        // the longest, on one; the CSV, then the HTML, on the other. A run renders while it
        // saves its results, and two threads of rendering beside the saving end about when it
        // does. Begun before the report is settled, the CSV, which shows nothing that settling
        // changes, is rendered at once; the JSON up to its open items, which wait for the
        // settled report; the HTML but for its head and open items, which wait likewise.
        //
        // Given a destination, a rendering hands it every byte of its file: the JSON and the CSV,
        // the large ones, as they are rendered (``ReportStream``); the HTML, with its tables
        // capped, once it is complete. The JSON, which the e-mail does not use, is then not kept;
        // nor is the CSV without `keepsCSV`.
        let settledReport: @Sendable () throws -> DayReport = settled ?? { report }
        typealias Rendering = (file: Int, render: @Sendable (ReportStream.Destination?) throws -> Data?)
        let json: Rendering = (
            0,
            { destination in
                guard let destination else { return try JSONReportRenderer.render(report, settled: settledReport) }
                try JSONReportRenderer.render(report, settled: settledReport, handingOnTo: destination)
                return nil
            }
        )
        let html: Rendering = (
            2,
            { destination in
                // What settling the open items leaves as it is, rendered while the transaction may still run.
                let page = HTMLReportRenderer.prepare(report, history: history, chartStart: chartStart)
                let data = page.finish(try settledReport())
                try data.withUnsafeBytes { try destination?($0) }
                return data
            }
        )
        let csv: Rendering = (
            1,
            { destination in
                guard let destination else { return CSVReportRenderer.render(report) }
                return try CSVReportRenderer.render(report, handingOnTo: destination, keeping: keepsCSV)
            }
        )
        let lanes: [[Rendering]] = [[json], [csv, html]]
        let results = Mutex<[Int: Result<Data?, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: lanes.count) { lane in
            for (file, render) in lanes[lane] {
                let result = Result { try staged.map { try $0.stage(at: paths[file]) { write in try render(write) } } ?? render(nil) }
                results.withLock { $0[file] = result }
                if case .failure = result { break }
            }
        }
        // A lane stops at its first failure, which comes before any file it left out.
        let rendered = results.withLock { $0 }
        return try paths.indices.map { RenderedDay.File(path: paths[$0], bytes: try rendered[$0]!.get()) }
    }

    /// Removes the folders of days more than `keepDays` days before `today`, except `kept` (the
    /// days the run that prunes has just written, however old they are).
    /// - Returns: The folders removed, oldest first.
    @discardableResult
    public func prune(keepDays: Int, today: CivilDate, keeping kept: Set<CivilDate> = []) throws -> [String] {
        let cutoff = today.adding(days: -keepDays)
        var removed: [String] = []
        let manager = FileManager.default
        for day in try archivedDays() where day < cutoff && !kept.contains(day) {
            let path = folder(for: day)
            do {
                try manager.removeItem(atPath: path)
            } catch {
                throw ReportError.cannotWrite(path: path, reason: "cannot remove it: \(error.localizedDescription)")
            }
            removed.append(path)
            // Empty month and year folders go too.
            for parent in [(path as NSString).deletingLastPathComponent, ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent] {
                if (try? manager.contentsOfDirectory(atPath: parent))?.isEmpty == true { try? manager.removeItem(atPath: parent) }
            }
        }
        return removed
    }

    /// Every day with a folder in the archive, in order. Folders that are not `YYYY/MM/DD` are left alone.
    public func archivedDays() throws -> [CivilDate] {
        let manager = FileManager.default
        func numbered(_ path: String, digits: Int) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { $0.count == digits && $0.allSatisfy(\.isASCII) && Int($0) != nil }
        }
        var days: [CivilDate] = []
        for year in numbered(root, digits: 4) {
            let yearPath = (root as NSString).appendingPathComponent(year)
            for month in numbered(yearPath, digits: 2) {
                for day in numbered((yearPath as NSString).appendingPathComponent(month), digits: 2) {
                    if let date = CivilDate("\(year)-\(month)-\(day)") { days.append(date) }
                }
            }
        }
        return days.sorted()
    }
}
