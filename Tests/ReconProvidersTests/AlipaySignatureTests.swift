import AlipayProvider
import Testing

/// The exact text an Alipay answer's signature covers: the value of its `…_response` member, as it
/// appears in the body, whatever the value holds.
@Suite("Alipay's signed text")
struct AlipaySignatureTests {
    static func text(_ key: String, _ body: String) -> String? {
        AlipaySignature.rawValue(of: key, in: Array(body.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the value is taken byte for byte, braces and quotes inside strings included")
    func exact() {
        let value = #"{"code":"10000","msg":"Success","subject":"a } b { \" c","list":[{"x":1},{"y":"]"}],"n":  1.50}"#
        #expect(Self.text("alipay_trade_query_response", #"{"alipay_trade_query_response":"# + value + #","sign":"abc=="}"#) == value)
        #expect(Self.text("sign", #"{"alipay_trade_query_response":"# + value + #","sign":"abc=="}"#) == #""abc==""#)
        #expect(Self.text("alipay_trade_query_response", "{ \"alipay_trade_query_response\" :\n" + value + "\n,\"sign\":\"x\"}") == value)
    }

    @Test("a member of the same name inside another value, or none at all, is not the answer")
    func onlyTopLevel() {
        #expect(Self.text("alipay_trade_query_response", #"{"other":{"alipay_trade_query_response":{"code":"10000"}},"sign":"x"}"#) == nil)
        #expect(Self.text("alipay_trade_query_response", #"{"sign":"x"}"#) == nil)
        #expect(Self.text("alipay_trade_query_response", #"{"alipay_trade_query_response":{"code":"10000""#) == nil)
        #expect(Self.text("alipay_trade_query_response", "not json") == nil)
    }

    @Test("the request's signed text: every parameter but sign, empty ones left out, sorted by name")
    func content() {
        let text = AlipaySignature.content(of: ["sign": "s", "method": "alipay.trade.query", "app_id": "2021", "charset": "", "biz_content": #"{"a":"b c&d"}"#])
        #expect(text == #"app_id=2021&biz_content={"a":"b c&d"}&method=alipay.trade.query"#)
    }
}
