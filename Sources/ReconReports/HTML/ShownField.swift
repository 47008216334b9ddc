import ReconCore

/// A field of the HTML report's context, by what it is: the page shows each kind its own way, and
/// a text from the inputs can reach Mustache only made safe to show.
///
/// The context is built of these rather than of `Any` values sorted out afterwards by casts: a
/// few dynamic casts for each field of each of the hundreds of rows the page shows.
enum ShownField {
    /// A text from the inputs, made safe to show (``Printable``); the template escapes it for HTML.
    case text(String)
    /// A count, shown by its digits.
    case count(Int)
    /// What a section's condition tests.
    case flag(Bool)
    /// The renderer's own markup (the chart's SVG), shown as it is.
    case markup(String)
    /// A group of fields.
    case object(ShownObject)
    /// Rows, each shown by a section in turn.
    case list([ShownObject])

    /// The value Mustache is given: texts and counts as ``ShownText``, which it renders by their
    /// text without trying what else they could be.
    var value: Any {
        switch self {
        case .text(let text): ShownText(renderText: Printable.escaped(text))
        case .count(let count): ShownText(renderText: String(count))
        case .flag(let flag): flag
        case .markup(let markup): ShownText(renderText: markup)
        case .object(let object): object
        case .list(let rows): rows
        }
    }
}
