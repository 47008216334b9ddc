/// Runs `body` after `begin`: `COMMIT` when it returns, `ROLLBACK` when it throws (the error
/// `body` threw is the one that goes on, whatever the rollback says).
func inTransaction<T>(begin: String, _ execute: (String) throws -> Void, _ body: () throws -> T) throws -> T {
    try execute(begin)
    do {
        let value = try body()
        try execute("COMMIT")
        return value
    } catch {
        try? execute("ROLLBACK")
        throw error
    }
}
