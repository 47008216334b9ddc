import ReconCore

extension OrderStore {
    /// The open items, oldest day first, or the items in any of `states`.
    public func openItems(in states: Set<OpenItem.State> = [.open]) throws -> [OpenItem] {
        try wrap { try results.openItems(in: states) }
    }

    /// One item by id, whatever its state; `nil` when there is none.
    public func openItem(id: String) throws -> OpenItem? { try wrap { try results.openItem(id: id) } }

    /// Records that someone acknowledged item `id`: who, when and why.
    /// - Throws: ``StoreError/noSuchItem(path:id:)`` when there is no such item, and
    ///   ``StoreError/notOpen(path:reason:)`` when it is already resolved or acknowledged.
    /// - Returns: The acknowledged item.
    @discardableResult
    public func acknowledge(id: String, _ acknowledgement: OpenItem.Acknowledgement) throws -> OpenItem {
        try wrap {
            try database.transaction(immediate: true) {
                try StoreMigrations.migrate(database)
                return try results.acknowledge(id: id, acknowledgement)
            }
        }
    }

    /// Prepares to read, on a read-only connection of its own, the open items a run of `days` may
    /// touch, of the merchants it `owns` (``OpenItemsAhead``), once started. `nil` when there is
    /// nothing to read ahead: no day, or a file whose job tables the transaction must first create
    /// or migrate.
    public func readOpenItemsAhead(days: [CivilDate], owns: (@Sendable (MerchantRef) -> Bool)?) -> OpenItemsAhead? {
        guard !days.isEmpty, (try? database.userVersion) == StoreMigrations.latestVersion,
            let version = try? database.dataVersion
        else { return nil }
        let (path, providers) = (self.path, self.providers)
        return OpenItemsAhead(version: version) {
            let database = try SQLiteDatabase(path: path, mode: .readOnly)
            return try database.reading {
                try ResultTables(database: database, providers: providers).openItems(touchedBy: days, owns: owns) ?? []
            }
        }
    }

    /// When the last run that saved results finished; `nil` before the first.
    public func lastRunFinished() throws -> Timestamp? { try wrap { try results.lastRunFinished() } }
}
