import ReconCore

/// Reads one row of the job's own tables (`recon_*`) strictly: a value missing or not of its
/// column's shape is ``StoreError/badValue(path:table:key:column:value:expected:)`` naming the
/// table, the row's key and the column, never a silent default.
struct ResultRow {
    let statement: any StoreRow
    let path: String
    let table: String
    /// How the row is named in an error: its key column's value.
    let key: String
    /// The providers' merchant-id rules.
    let providers: ProviderDirectory

    init(_ statement: any StoreRow, path: String, table: String, keyColumn: Int32, providers: ProviderDirectory) {
        self.init(statement, path: path, table: table, key: statement.text(keyColumn) ?? "(row without a key)", providers: providers)
    }

    init(_ statement: any StoreRow, path: String, table: String, key: String, providers: ProviderDirectory) {
        self.statement = statement
        self.providers = providers
        self.path = path
        self.table = table
        self.key = key
    }

    func bad(_ column: String, _ value: String?, _ expected: String) -> StoreError {
        .badValue(path: path, table: table, key: key, column: column, value: value ?? "NULL", expected: expected)
    }

    /// A text value that must be there.
    func text(_ index: Int32, _ column: String) throws -> String {
        guard let text = statement.text(index) else { throw bad(column, nil, "a text value") }
        return text
    }

    /// A text value that may be NULL.
    func optionalText(_ index: Int32) -> String? {
        statement.text(index)
    }

    /// An integer that must be there.
    func int(_ index: Int32, _ column: String) throws -> Int64 {
        guard let value = statement.int64(index) else { throw bad(column, statement.text(index), "an INTEGER") }
        return value
    }

    /// A count: an integer from 0 to 2^31 − 1, so that adding up a day's counts cannot overflow.
    func count(_ index: Int32, _ column: String) throws -> Int {
        let value = try int(index, column)
        guard (0...Int64(Int32.max)).contains(value) else { throw bad(column, String(value), "a count from 0 to \(Int32.max)") }
        return Int(value)
    }

    /// A day, `YYYY-MM-DD`.
    func day(_ index: Int32, _ column: String) throws -> CivilDate {
        guard let day = statement.text(index).flatMap(CivilDate.init) else { throw bad(column, statement.text(index), "a day (YYYY-MM-DD)") }
        return day
    }

    /// A time with its offset, or NULL.
    func optionalTime(_ index: Int32, _ column: String) throws -> Timestamp? {
        guard let text = statement.text(index) else { return nil }
        guard let time = Timestamp(rfc3339: text) else { throw bad(column, text, "an RFC 3339 time with an offset") }
        return time
    }

    /// A time with its offset that must be there.
    func time(_ index: Int32, _ column: String) throws -> Timestamp {
        guard let time = try optionalTime(index, column) else { throw bad(column, nil, "an RFC 3339 time with an offset") }
        return time
    }

    /// The merchant in two columns: a provider name and a merchant id of that provider's shape.
    func merchant(_ provider: Int32, _ merchantID: Int32) throws -> MerchantRef {
        let name = try text(provider, "provider")
        guard Identifier.isProvider(name) else { throw bad("provider", name, "a provider name") }
        let merchant = MerchantRef(provider: ProviderID(rawValue: name), merchantID: try text(merchantID, "merchant_id"))
        let rule = providers.merchantIDRule(for: merchant.provider)
        guard rule.accepts(merchant.merchantID) else { throw bad("merchant_id", merchant.merchantID, rule.shape) }
        return merchant
    }
}
