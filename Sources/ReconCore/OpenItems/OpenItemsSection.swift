/// What a day's report says about open items: the ones this day's reconciliation found, the
/// ones still open from earlier days, and the ones resolved or acknowledged since the last run.
public struct OpenItemsSection: Hashable, Sendable, Codable {
    /// Items first recorded by this day's reconciliation and still open.
    public var new: [OpenItem]
    /// Items of earlier days that are still open.
    public var stillOpen: [OpenItem]
    /// Items this day's reconciliation resolved, and acknowledgements first reported with it.
    public var resolved: [OpenItem]

    /// Creates a section.
    public init(new: [OpenItem] = [], stillOpen: [OpenItem] = [], resolved: [OpenItem] = []) {
        self.new = new
        self.stillOpen = stillOpen
        self.resolved = resolved
    }

    /// The alarmed items among ``new``: the ones that need attention.
    public var newAlarms: [OpenItem] { new.indices.filter { new[$0].kind.isAlarm }.map { new[$0] } }
}
