import ReconCore

/// Hands the bytes of a report on to its file while the report is still being written, a piece
/// of at least ``pieceSize`` bytes at a time.
///
/// Each piece is written out while its bytes are still in the processor's cache, instead of the
/// whole report (two hundred megabytes on a day of 90,000 discrepancies) being copied to the file
/// from memory once it is complete. A writer that keeps its bytes (a CSV rendered to be returned
/// as well) keeps every byte; one that does not (the JSON, and a run's CSV) has the bytes it
/// handed on dropped, so that it never holds more than a piece and an item.
///
/// The writers cannot stop midway, so the first error of the destination is kept, nothing more
/// is handed on after it, and ``finish(_:)`` throws it.
struct ReportStream {
    /// The least a piece holds, but for the last.
    static let pieceSize = 1 << 20

    /// Where the pieces go.
    typealias Destination = (UnsafeRawBufferPointer) throws -> Void

    private let destination: Destination?
    /// Whether the writer keeps the bytes it has handed on.
    private let keeps: Bool
    /// How many of the bytes kept have been handed on.
    private var handedOn = 0
    private var failure: (any Error)?

    /// A stream to `destination`; with none, nothing is handed on and every byte is kept.
    /// - Parameter keeping: Whether the writer keeps the bytes it hands on; if not, they are
    ///   removed from its buffer once handed on.
    init(to destination: Destination?, keeping: Bool = true) {
        self.destination = destination
        keeps = keeping || destination == nil
    }

    /// Hands on the bytes written since the last piece, when there are at least ``pieceSize``.
    @inline(__always)
    mutating func handOn(_ buffer: inout ColumnBuffer<UInt8>) {
        guard buffer.count - handedOn >= Self.pieceSize else { return }
        handOnRest(of: &buffer)
    }

    /// Hands on the bytes not yet handed on, however few, and throws the destination's first error.
    mutating func finish(_ buffer: inout ColumnBuffer<UInt8>) throws {
        handOnRest(of: &buffer)
        if let failure { throw failure }
    }

    private mutating func handOnRest(of buffer: inout ColumnBuffer<UInt8>) {
        guard handedOn < buffer.count else { return }
        if let destination, failure == nil {
            do {
                try buffer.withUnsafeBufferPointer { try destination(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[handedOn...]))) }
            } catch {
                failure = error
            }
        }
        if keeps {
            handedOn = buffer.count
        } else {
            buffer.removeAll()
        }
    }
}
