import Testing

@testable import ReconCore

@Suite("Merchant-id rules")
struct MerchantIDRuleTests {
    static let prefixed = MerchantIDRule(characters: .digits, lengths: 16...16, prefix: "2088", shape: "16 digits starting 2088")
    static let digits = MerchantIDRule(characters: .digits, lengths: 1...32, shape: "1 to 32 digits")

    @Test("an id follows a rule by its length, its characters and, when the rule has one, its prefix", arguments: [
        (prefixed, "2088000000000001", true), (prefixed, "1088000000000001", false), (prefixed, "208800000000001", false),
        (prefixed, "2088a00000000001", false), (digits, "1900000109", true), (digits, "", false),
        (digits, "19000a0109", false), (digits, String(repeating: "9", count: 33), false),
    ])
    func accepts(rule: MerchantIDRule, id: String, expected: Bool) {
        #expect(rule.accepts(id) == expected)
        #expect(Array(id.utf8).withUnsafeBufferPointer { rule.accepts(utf8: $0) } == expected)
    }
}
