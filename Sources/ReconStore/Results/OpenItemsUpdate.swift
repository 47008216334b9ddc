import ReconCore

/// What a run does to the open items, inside the transaction that saves its results.
public struct OpenItemsUpdate {
    /// The days the run reconciled.
    public var days: [CivilDate]
    /// Whether the run may touch a merchant's items: a shard's share, or `nil` for every merchant.
    /// Another shard's items are neither read nor written, so shards running at once never write
    /// the same item.
    public var owns: (@Sendable (MerchantRef) -> Bool)?
    /// Given the items the run may touch, and whether they are the ones ``ahead`` read, returns
    /// the ones it created or changed.
    public var advance: (_ previous: [OpenItem], _ readAhead: Bool) throws -> [OpenItem]
    /// The items the run may touch, read ahead of the transaction
    /// (``ResultsStore/readOpenItemsAhead(days:owns:)``), or `nil` to read them inside it.
    public var ahead: OpenItemsAhead?

    /// Creates an update.
    public init(
        days: [CivilDate], owns: (@Sendable (MerchantRef) -> Bool)? = nil, ahead: OpenItemsAhead? = nil,
        advance: @escaping (_ previous: [OpenItem], _ readAhead: Bool) throws -> [OpenItem]
    ) {
        self.days = days
        self.owns = owns
        self.ahead = ahead
        self.advance = advance
    }
}
