/// A value kept in shared storage: copies share it until one of them changes, which first takes
/// a storage of its own. A finding is copied whole at every merge, sort and report step, so a
/// copy moves one reference instead of every field.
///
/// Equality, hashing and coding are the value's own; the coded form has no level of its own.
struct SharedValue<Value: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    private var box: Box

    init(_ value: Value) {
        box = Box(value)
    }

    /// The value; changing it copies the storage first when another copy shares it.
    var value: Value {
        get { box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    /// The storage. Changed only through the one ``SharedValue`` that holds the sole reference,
    /// so it is never changed while shared across threads.
    private final class Box: @unchecked Sendable {
        var value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    static func == (lhs: SharedValue, rhs: SharedValue) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(box.value)
    }

    init(from decoder: any Decoder) throws {
        box = Box(try Value(from: decoder))
    }

    func encode(to encoder: any Encoder) throws {
        try box.value.encode(to: encoder)
    }
}
