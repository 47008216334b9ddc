import Mustache
import Testing

@testable import ReconReports

@Suite("HTML escaping")
struct HTMLEscapingTests {
    /// `text` rendered by `{{value}}` in a template that uses Mustache's own HTML escaping, or the report's.
    private func rendered(_ text: String, reports: Bool) throws -> String {
        let template = try reports ? HTMLEscaping.template("{{value}}") : MustacheTemplate(string: "{{value}}")
        return template.render(["value": text])
    }

    @Test("text comes out as Mustache's own HTML escaping writes it", arguments: [
        "", "BENCH2026112000000000101", "<script>alert('x')</script>", "Tom & Jerry \"quoted\"", "a<b>c&d'e\"f",
        "咖啡, 大杯 <热>", "&amp; already", "🧾 <bill> 🧾", "'''", "<<>>&&",
    ])
    func sameAsMustache(text: String) throws {
        #expect(try rendered(text, reports: true) == rendered(text, reports: false))
    }

    @Test("a character a combining mark follows is escaped too, which Mustache's walk by characters misses")
    func combiningMark() throws {
        let text = "<\u{338}script>"
        #expect(try rendered(text, reports: true) == "&lt;\u{338}script&gt;")
        #expect(try rendered(text, reports: false) != "&lt;\u{338}script&gt;")
    }

    @Test("the pragma line adds nothing to the page")
    func pragmaLine() throws {
        #expect(try rendered("x", reports: true) == "x")
    }
}
