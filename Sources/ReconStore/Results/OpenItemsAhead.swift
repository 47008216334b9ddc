import Foundation
import ReconCore

/// The open items a run may touch, read on a connection of their own while the run reads its
/// days, so that the transaction carrying them over need not stop to read them.
///
/// The transaction takes them only when the saving connection's data version is still the one it
/// had before the read began, that is when no other connection has committed to the file since:
/// an acknowledgement or another run in between is then part of what was read. Otherwise, and
/// when the read failed, the transaction reads the items itself, and fails as it always would.
public final class OpenItemsAhead: @unchecked Sendable {
    /// The saving connection's data version before the read began.
    private let version: Int64
    private let items = Handoff<[OpenItem]>()

    /// Starts `read` on a thread of its own.
    init(version: Int64, read: @escaping @Sendable () throws -> [OpenItem]) {
        self.version = version
        let items = items
        Thread { items.put(Result(catching: read)) }.start()
    }

    /// The items as read, once the read has ended; `nil` when it failed.
    public var itemsRead: [OpenItem]? { try? items.take() }

    /// The items read ahead, once read, when `version` is still the one they were read at; else `nil`.
    func items(at version: Int64?) -> [OpenItem]? {
        guard version == self.version else { return nil }
        return itemsRead
    }
}
