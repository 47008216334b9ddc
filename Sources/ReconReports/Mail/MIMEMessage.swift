import Foundation

/// An e-mail in MIME: headers with a UTF-8 subject, a plain-text and an HTML body, and
/// attachments, rendered as `multipart/mixed` around a `multipart/alternative`.
///
/// Bodies and attachments are base64 with 76-character lines, so no line is too long and no byte
/// needs an 8-bit transport; non-ASCII header text is RFC 2047 encoded.
public struct MIMEMessage: Sendable, Hashable {
    /// A file sent with the message.
    public struct Attachment: Sendable, Hashable {
        /// The file name shown to the reader.
        public var fileName: String
        /// The media type, such as `text/csv; charset=utf-8`.
        public var contentType: String
        /// The bytes.
        public var data: Data

        /// Creates an attachment.
        public init(fileName: String, contentType: String, data: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }
    }

    /// The sender.
    public var from: String
    /// The recipients.
    public var to: [String]
    /// The subject, in any script.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String?
    /// The attachments.
    public var attachments: [Attachment]
    /// The `Date` header.
    public var date: Date
    /// A seed for the MIME boundaries and the Message-ID; fixed in tests, random otherwise.
    public var token: String

    /// Creates a message.
    public init(
        from: String, to: [String], subject: String, text: String, html: String? = nil, attachments: [Attachment] = [],
        date: Date, token: String = UUID().uuidString.lowercased()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.date = date
        self.token = token
    }

    /// The message as the bytes an MTA reads, with CRLF line ends.
    public func rendered() -> Data {
        var lines: [String] = []
        let domain = from.split(separator: "@").last.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "> ")) } ?? "localhost"
        lines.append("From: \(Self.headerSafe(from))")
        lines.append("To: \(to.map(Self.headerSafe).joined(separator: ", "))")
        lines.append("Subject: \(Self.encodedWord(subject))")
        lines.append("Date: \(Self.rfc5322Date(date))")
        lines.append("Message-ID: <\(token)@\(domain.isEmpty ? "localhost" : domain)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Auto-Submitted: auto-generated")
        let mixed = "mixed-\(token)"
        let alternative = "alternative-\(token)"
        lines.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        lines.append("")
        lines.append("This is a MIME message.")
        lines.append("--\(mixed)")
        lines.append("Content-Type: multipart/alternative; boundary=\"\(alternative)\"")
        lines.append("")
        lines.append("--\(alternative)")
        lines += Self.part(contentType: "text/plain; charset=utf-8", data: Data(text.utf8))
        if let html {
            lines.append("--\(alternative)")
            lines += Self.part(contentType: "text/html; charset=utf-8", data: Data(html.utf8))
        }
        lines.append("--\(alternative)--")
        for attachment in attachments {
            lines.append("--\(mixed)")
            lines += Self.part(
                contentType: "\(attachment.contentType); name=\"\(attachment.fileName)\"", data: attachment.data,
                disposition: "attachment; filename=\"\(attachment.fileName)\"")
        }
        lines.append("--\(mixed)--")
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func part(contentType: String, data: Data, disposition: String? = nil) -> [String] {
        var lines = ["Content-Type: \(contentType)", "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: \(disposition)") }
        lines.append("")
        lines += data.base64EncodedString(options: .lineLength76Characters).components(separatedBy: "\r\n")
        return lines
    }

    /// `text` as is when it is printable ASCII, else as RFC 2047 encoded words of at most 75 characters.
    public static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        // Split on character boundaries so each word's base64 stays within the limit.
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    private static func headerSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
