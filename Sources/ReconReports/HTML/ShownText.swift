import Mustache

/// A value as the HTML report shows it: a text from the inputs made safe to show (``Printable``),
/// the chart's SVG, or a count's digits.
///
/// Mustache renders a custom renderable by its `renderText` alone, escaped for HTML where the
/// template escapes; any other value first goes through the casts it tries in turn and then
/// `String(describing:)`, which took about a fifth of the instructions Mustache spent on the report.
struct ShownText: MustacheCustomRenderable {
    let renderText: String

    var isNull: Bool { false }
}
