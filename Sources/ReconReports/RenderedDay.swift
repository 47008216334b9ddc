import Foundation
import ReconCore

/// A day's archive rendered once: the files the archive stages, with the bytes the e-mail attaches.
public struct RenderedDay: Sendable {
    /// One rendered file: where it goes in the archive and its bytes.
    public struct File: Sendable, Hashable {
        /// The file's path in the archive.
        public var path: String
        /// Its contents; `nil` for a JSON or CSV report written to the archive as it was rendered,
        /// which is not kept in memory: the e-mail attaches the CSV from the archive, and uses no JSON.
        public var bytes: Data?
        /// The path of another file of the day with the same contents, which this one is a second name of.
        public var sameAs: String?

        /// Creates a file.
        public init(path: String, bytes: Data?, sameAs: String? = nil) {
            self.path = path
            self.bytes = bytes
            self.sameAs = sameAs
        }
    }

    /// A raw bill the archive keeps a copy of, with its SHA-256 (computed while it was read).
    public struct BillCopy: Sendable, Hashable {
        /// The bill the run read.
        public var source: String
        /// Where its copy goes in the archive.
        public var path: String
        /// The `sha256sum` line written beside the copy.
        public var digest: File
    }

    /// The day.
    public var day: CivilDate
    /// The day-wide JSON, CSV and HTML, in that order.
    public var files: [File]
    /// Each merchant's JSON, CSV and HTML.
    public var merchantFiles: [File]
    /// The raw bills to copy into the merchants' folders.
    public var bills: [BillCopy]

    /// The day-wide JSON report.
    public var json: File { files[0] }
    /// The day-wide CSV report.
    public var csv: File { files[1] }
    /// The day-wide HTML report.
    public var html: File { files[2] }
    /// The paths of the day-wide reports, JSON first.
    public var paths: [String] { files.map(\.path) }
}
