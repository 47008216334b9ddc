/// Hands the bytes of a report on to its file while the report is still being written, a piece
/// of at least ``pieceSize`` bytes at a time.
///
/// Each piece is written out while its bytes are still in the processor's cache, instead of the
/// whole report (two hundred megabytes on a day of 90,000 discrepancies) being copied to the file
/// from memory once it is complete. The writers keep every byte as well, for the e-mail and the
/// run's result.
///
/// The writers cannot stop midway, so the first error of the destination is kept, nothing more
/// is handed on after it, and ``finish(_:)`` throws it.
struct ReportStream {
    /// The least a piece holds, but for the last.
    static let pieceSize = 1 << 20

    /// Where the pieces go.
    typealias Destination = (UnsafeRawBufferPointer) throws -> Void

    private let destination: Destination?
    /// How many of the bytes have been handed on.
    private var handedOn = 0
    private var failure: (any Error)?

    /// A stream to `destination`; with none, nothing is handed on.
    init(to destination: Destination?) {
        self.destination = destination
    }

    /// Hands on the bytes written since the last piece, when there are at least ``pieceSize``.
    mutating func handOn(_ bytes: [UInt8]) {
        guard bytes.count - handedOn >= Self.pieceSize else { return }
        handOnRest(of: bytes)
    }

    /// Hands on the bytes not yet handed on, however few, and throws the destination's first error.
    mutating func finish(_ bytes: [UInt8]) throws {
        handOnRest(of: bytes)
        if let failure { throw failure }
    }

    private mutating func handOnRest(of bytes: [UInt8]) {
        guard let destination, failure == nil, handedOn < bytes.count else { return }
        do {
            try bytes.withUnsafeBytes { try destination(UnsafeRawBufferPointer(rebasing: $0[handedOn...])) }
        } catch {
            failure = error
        }
        handedOn = bytes.count
    }
}
