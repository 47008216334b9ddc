/// One line of JSON for a machine to read, such as a log event: an object of text fields,
/// compact, its keys in ascending order, written by ``JSONWriter`` as the reports are.
public enum JSONLine {
    /// `fields` as one compact object, keys in ascending order.
    public static func object(_ fields: [String: String]) -> String {
        var writer = JSONWriter(pretty: false, capacity: 256)
        writer.object { writer in
            for key in fields.keys.sorted() {
                writer.key(named: key)
                writer.string(fields[key])
            }
        }
        return writer.text
    }
}
