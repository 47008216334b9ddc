/// One row of a provider's error-code table, with the document's own words.
public struct ErrorCode: Hashable, Sendable, Codable {
    /// The code as the provider sends it (`E02`, `SYSTEM_ERROR`, `-99`, `00`).
    public var code: String
    /// What the code means for the job.
    public var category: ErrorCategory
    /// The HTTP status the provider sends the code with, where its table gives one.
    public var httpStatus: Int?
    /// The document's English text, if it gives one.
    public var english: String?
    /// The document's Chinese text, if it gives one.
    public var chinese: String?
    /// The document's advice, if it gives any.
    public var solution: String?
    /// Where the row comes from, when not from its catalog's document.
    public var source: String?

    /// Creates a catalog row.
    public init(
        _ code: String, _ category: ErrorCategory, http: Int? = nil, english: String? = nil, chinese: String? = nil,
        solution: String? = nil, source: String? = nil
    ) {
        self.code = code
        self.category = category
        self.httpStatus = http
        self.english = english
        self.chinese = chinese
        self.solution = solution
        self.source = source
    }

    /// The document's text: English and Chinese where it gives both.
    public var text: String {
        switch (english, chinese) {
        case let (english?, chinese?) where english != chinese: "\(english) (\(chinese))"
        case let (english?, _): english
        case let (nil, chinese?): chinese
        case (nil, nil): ""
        }
    }

    /// The code and its text, as reports quote it: `E02 — Network timeout or error`.
    public var quoted: String { text.isEmpty ? code : "\(code) — \(text)" }
}
