import Foundation
import ReconCore
import Synchronization

/// The open items a run may touch, read on a connection of their own before the transaction
/// that carries them over, so that the transaction need not stop to read them.
///
/// The run starts the read (``start()``) once the last of its bills is read: from then on it
/// matches, looks up and resolves on one core while the other would stand idle. Started with the
/// run, the read would take a core from the store and bill reads.
///
/// The transaction takes them only when the saving connection's data version is still the one it
/// had before the read began, that is when no other connection has committed to the file since:
/// an acknowledgement or another run in between is then part of what was read. Otherwise, and
/// when the read failed, the transaction reads the items itself, and fails as it always would.
public final class OpenItemsAhead: Sendable {
    /// The saving connection's data version before the read began.
    private let version: Int64
    private let items = Handoff<[OpenItem]>()
    private let read: @Sendable () throws -> [OpenItem]
    private let started = Atomic(false)

    /// A read of the items by `read`, not yet started.
    init(version: Int64, read: @escaping @Sendable () throws -> [OpenItem]) {
        self.version = version
        self.read = read
    }

    /// Starts the read on a thread of its own, unless it has started already.
    public func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let (items, read) = (items, read)
        Thread { items.put(Result(catching: read)) }.start()
    }

    /// The items as read, once the read has ended (it is started now if it was not); `nil` when it failed.
    public var itemsRead: [OpenItem]? {
        start()
        return try? items.take()
    }

    /// The items read ahead, once read, when `version` is still the one they were read at; else `nil`.
    func items(at version: Int64?) -> [OpenItem]? {
        guard version == self.version else { return nil }
        return itemsRead
    }
}
