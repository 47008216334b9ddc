import Mustache

/// An object of the HTML report's context: its fields as Mustache is given them (``ShownField/value``).
///
/// Mustache asks every object it looks a name up in whether it is a ``MustacheParent``; a
/// dictionary is one only by a conditional conformance, which the runtime checks again on each of
/// those casts, for every field of every row the page shows.
struct ShownObject: MustacheParent {
    private let fields: [String: Any]

    init(_ fields: [String: ShownField]) {
        self.fields = fields.mapValues(\.value)
    }

    func child(named name: String) -> Any? { fields[name] }
}
