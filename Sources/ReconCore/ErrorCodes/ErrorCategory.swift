/// What a provider's answer code means for the job, whatever the provider calls it.
///
/// The same category decides two things: whether an order whose payment call ended with the code
/// must be queried (``queryToConfirm``), and what the query engine does when a query itself gets
/// the code back.
public enum ErrorCategory: String, CaseIterable, Hashable, Comparable, Sendable, Codable {
    /// The call succeeded (`0`, `00`).
    case ok
    /// The call's outcome is unknown: the money may have moved. Query the order to learn its real
    /// state (`P01`, `E01`–`E03`, `SYSTEM_ERROR`, `1000000`, …).
    case queryToConfirm = "query_to_confirm"
    /// A passing condition: retry the same call later (`C08`, `STATEMENT_CREATING`, …).
    case retryLater = "retry_later"
    /// Too many calls: slow down, then retry (`S04`, `FREQUENCY_LIMITED`, `300000`, `45009`, HTTP 429).
    case rateLimited = "rate_limited"
    /// Credentials, permissions or settings are wrong (`S01`–`S10`, `M01`–`M04`, `SIGN_ERROR`, …).
    /// Nothing an order did: stop that merchant's calls and fix the setup.
    case configOrAuth = "config_or_auth"
    /// The provider does not know the order, refund or bill (`C12`, `ORDER_NOT_EXIST`, …).
    case notFound = "not_found"
    /// The provider refused the call for good; no money moved on it.
    case finalFailure = "final_failure"

    /// One line for people: what the category means and what to do.
    public var meaning: String {
        switch self {
        case .ok: "the call succeeded"
        case .queryToConfirm: "the outcome is unknown and money may have moved: query the order to learn its real state"
        case .retryLater: "a passing condition: retry the same call later"
        case .rateLimited: "too many calls: slow down, then retry"
        case .configOrAuth: "credentials, permissions or settings are wrong: fix the merchant's setup; no order is at fault"
        case .notFound: "the provider does not know the order, refund or bill"
        case .finalFailure: "the provider refused the call for good; no money moved on it"
        }
    }

    public static func < (lhs: ErrorCategory, rhs: ErrorCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
