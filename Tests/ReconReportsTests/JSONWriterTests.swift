import Foundation
@testable import ReconReports
import Testing

@Suite("JSON strings")
struct JSONWriterTests {
    /// The string as the writer puts it, quotes included.
    func written(_ value: String) -> String {
        var writer = JSONWriter(pretty: false)
        writer.string(value)
        return writer.text
    }

    @Test("a byte that needs escaping is found wherever it stands in a long string", arguments: [
        ("\"", "\\\""), ("\\", "\\\\"), ("\n", "\\n"), ("\u{0}", "\\u0000"), ("\u{1F}", "\\u001f"),
    ])
    func escapeAtEveryPlace(byte: String, escaped: String) throws {
        for length in 0..<24 {
            for place in 0...length {
                let text = String(repeating: "a", count: place) + byte + String(repeating: "b", count: length - place)
                let expected = "\"" + String(repeating: "a", count: place) + escaped + String(repeating: "b", count: length - place) + "\""
                #expect(written(text) == expected)
                #expect(try JSONSerialization.jsonObject(with: Data(written(text).utf8), options: .fragmentsAllowed) as? String == text)
            }
        }
    }

    @Test("bytes that need no escape are written as they are: space, tilde, DEL, slashes and UTF-8")
    func plainBytes() {
        let text = " ~\u{7F}/path/商户 \u{2028} é" + String(repeating: "x!#", count: 5)
        #expect(written(text) == "\"" + text + "\"")
        #expect(written("") == "\"\"")
    }

    @Test("keys written in the program, of one character or many, and keys taken from data, pretty and compact")
    func keys() {
        for pretty in [false, true] {
            var writer = JSONWriter(pretty: pretty)
            writer.object { w in
                w.field("a", 1)
                w.key("nested")
                w.object { w in
                    w.key(named: "a\"b")
                    w.int(2)
                    w.key(named: "z")
                    w.null()
                }
                w.field("zone", "Asia/Shanghai")
            }
            let text = writer.text
            #expect(
                text == (pretty
                    ? "{\n  \"a\" : 1,\n  \"nested\" : {\n    \"a\\\"b\" : 2,\n    \"z\" : null\n  },\n  \"zone\" : \"Asia/Shanghai\"\n}"
                    : "{\"a\":1,\"nested\":{\"a\\\"b\":2,\"z\":null},\"zone\":\"Asia/Shanghai\"}"))
        }
    }

    @Test("nested objects are indented two spaces a level, below and beyond the 16 spaces written in one store")
    func deepIndentation() {
        func nest(_ writer: inout JSONWriter, _ level: Int) {
            writer.key("k")
            if level == 10 { writer.int(1) } else { writer.object { nest(&$0, level + 1) } }
        }
        var writer = JSONWriter(pretty: true)
        writer.object { nest(&$0, 1) }
        var expected = "{"
        for level in 1...10 { expected += "\n" + String(repeating: " ", count: 2 * level) + "\"k\" : " + (level == 10 ? "1" : "{") }
        for level in stride(from: 9, through: 0, by: -1) { expected += "\n" + String(repeating: " ", count: 2 * level) + "}" }
        #expect(writer.text == expected)
    }

    @Test("a line of text fields: compact, keys in ascending order, values escaped")
    func line() {
        let line = JSONLine.object(["msg": "stopped\nhere", "file": "/bills/商户 a.csv", "day": "2026-11-20", "a\"b": "\u{1}"])
        #expect(line == #"{"a\"b":"\u0001","day":"2026-11-20","file":"/bills/商户 a.csv","msg":"stopped\nhere"}"#)
    }
}
