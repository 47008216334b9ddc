/// Chooses the orders and refunds whose real state must be asked of the provider.
///
/// An item is chosen when its local status is PENDING, or when its `last_error_code` is one its
/// provider's catalogs put in ``ErrorCategory/queryToConfirm`` or one they do not know, whatever
/// its local status: a FAILED order after `E02` may in fact have been paid.
public struct PendingSelector: Sendable {
    /// How far before the day window older items are still chosen, in seconds.
    public var maxAgeSeconds: Int64
    /// The catalogs that classify codes.
    public var book: ErrorCodeBook

    /// Seven days: how long before the reconciled day an item is still queried by default.
    public static let defaultMaxAgeSeconds: Int64 = 7 * 86_400

    /// Creates a selector.
    public init(maxAgeSeconds: Int64 = PendingSelector.defaultMaxAgeSeconds, book: ErrorCodeBook) {
        self.maxAgeSeconds = maxAgeSeconds
        self.book = book
    }

    /// The epoch-second range items are taken from for a day window: the window, and the
    /// `maxAgeSeconds` before it.
    public func range(for window: DayWindow) -> Range<Int64> {
        (window.start - maxAgeSeconds)..<window.end
    }

    /// Why an order must be queried, or `nil` when it need not be.
    public func reason(for order: Order) -> PendingReason? {
        reason(isPending: order.status == .pending, code: order.lastErrorCode, provider: order.merchant.provider)
    }

    /// Why a refund must be queried, or `nil` when it need not be.
    public func reason(for refund: Refund) -> PendingReason? {
        reason(isPending: refund.status == .pending, code: refund.lastErrorCode, provider: refund.merchant.provider)
    }

    /// The items to query among `orders` and `refunds`, in ``PendingItem/listOrder(_:_:)``.
    public func select(orders: [Order], refunds: [Refund]) -> [PendingItem] {
        let chosenOrders = orders.compactMap { order in reason(for: order).map { PendingItem(.order(order), reason: $0) } }
        let chosenRefunds = refunds.compactMap { refund in
            reason(for: refund).map { PendingItem(.refund(refund), reason: $0) }
        }
        return (chosenOrders + chosenRefunds).sorted(by: PendingItem.listOrder)
    }

    private func reason(isPending: Bool, code: String?, provider: ProviderID) -> PendingReason? {
        if isPending { return .pendingStatus }
        guard let code, !ErrorCatalog.normalized(code).isEmpty else { return nil }
        switch book.category(of: code, provider: provider) {
        case .queryToConfirm: return .queryToConfirm(code: code)
        case nil: return .unknownCode(code: code)
        case .ok, .retryLater, .rateLimited, .configOrAuth, .notFound, .finalFailure: return nil
        }
    }
}
