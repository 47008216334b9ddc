/// A trusted answer of a provider's query: the state, and the facts that came with it.
public struct ProviderAnswer: Hashable, Sendable {
    /// One sub-order of a combine payment, as the combine query lists it.
    public struct SubOrder: Hashable, Sendable {
        /// The sub-order's number.
        public var outTradeNo: String
        /// Its merchant.
        public var merchantID: String
        /// Its state, or `nil` when the provider's word is unknown.
        public var state: ProviderState?
        /// The provider's own word for the state.
        public var providerWord: String
        /// Its amount.
        public var amount: Money?
        /// Its transaction id.
        public var transactionID: String?
        /// When it was paid.
        public var time: Timestamp?

        /// Creates a sub-order.
        public init(
            outTradeNo: String, merchantID: String, state: ProviderState?, providerWord: String, amount: Money? = nil,
            transactionID: String? = nil, time: Timestamp? = nil
        ) {
            self.outTradeNo = outTradeNo
            self.merchantID = merchantID
            self.state = state
            self.providerWord = providerWord
            self.amount = amount
            self.transactionID = transactionID
            self.time = time
        }
    }

    /// The state, or `nil` when the provider answered with a word the job does not know.
    public var state: ProviderState?
    /// The provider's own word (`SUCCESS`, `NOTPAY`, `ORDER_NOT_EXIST`, …).
    public var providerWord: String
    /// The amount the provider records.
    public var amount: Money?
    /// The provider's transaction id.
    public var transactionID: String?
    /// When the money moved, if it did.
    public var time: Timestamp?
    /// For a combine query, every sub-order.
    public var subOrders: [SubOrder]

    /// Creates an answer.
    public init(
        state: ProviderState?, providerWord: String, amount: Money? = nil, transactionID: String? = nil,
        time: Timestamp? = nil, subOrders: [SubOrder] = []
    ) {
        self.state = state
        self.providerWord = providerWord
        self.amount = amount
        self.transactionID = transactionID
        self.time = time
        self.subOrders = subOrders
    }

    /// What the provider says, as an observation for reports.
    public var observation: Observation {
        Observation(amount: amount, status: state?.rawValue ?? providerWord, time: time, transactionID: transactionID)
    }
}
