/// How long an order's, a refund's or a provider's transaction number may be, wherever it is read
/// from (a store row, a bill row): at most ``maximumBytes`` bytes of UTF-8.
///
/// Providers allow 32 to 64 characters, so a longer number is a damaged value. It is refused
/// before it takes memory or is compared; a number the store refuses could match no bill's, and
/// the other way round.
public enum NumberRule {
    /// The most bytes a number may have.
    public static let maximumBytes = 256

    /// What a number must be, for messages.
    public static let shape = "a number of at most \(maximumBytes) bytes"
}
