import CLibPQ

/// libpq's functions, loaded from `libpq.so.5` the first time a PostgreSQL database is opened
/// (``CLibPQFunctions``): a program whose databases are SQLite files neither loads libpq and the
/// libraries it needs nor needs them installed.
enum LibPQ {
    /// The functions, loaded by the first call.
    /// - Throws: ``PostgresError/libraryMissing(_:location:)``, naming `location`, when libpq
    ///   cannot be loaded.
    static func load(for location: String) throws -> CLibPQFunctions {
        var failure: UnsafePointer<CChar>?
        guard let functions = clibpq_load(&failure) else {
            throw PostgresError.libraryMissing(failure.map { String(cString: $0) } ?? "no reason given", location: location)
        }
        return functions.pointee
    }
}
