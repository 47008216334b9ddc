import Foundation
import ReconCore
import ReconJob
import ReconReports
import ReconStore
import ReconTestSupport
import Testing

@Suite("Open items across nightly runs of the demo")
struct OpenItemsRunTests {
    static let day18 = CivilDate("2026-11-18")!
    static let day19 = CivilDate("2026-11-19")!
    static let day20 = CivilDate("2026-11-20")!

    private static func names(_ items: [OpenItem]?) -> [String] {
        (items ?? []).map { "\($0.kind.rawValue) \($0.subject)" }
    }

    @Test("night by night: the next bill clears a timing difference, earlier items stay open, an acknowledgement is reported once")
    func nightByNight() async throws {
        let workspace = try DemoWorkspace()
        let first = try await workspace.run([Self.day18])
        let timing = try #require(first.reports[0].openItems?.new.first)
        #expect(timing.kind == .timingDifference)

        let second = try await workspace.run([Self.day19])
        let day19 = try #require(second.reports[0].openItems)
        #expect(Self.names(day19.resolved) == ["timing_difference \(timing.subject)"])
        #expect(day19.resolved.first?.resolution == "cleared by the bill of 2026-11-19")
        #expect(day19.new.count == 9 && day19.stillOpen.isEmpty)

        let store = try OrderStore(path: workspace.store)
        let acknowledged = try #require(day19.new.first { $0.subject == "X19-UNKNOWN" })
        let ack = OpenItem.Acknowledgement(by: "li.wei", at: Sample.time("2026-11-20 11:00:00"), note: "test payment, refunded")
        try store.acknowledge(id: acknowledged.id, ack)
        #expect(try store.openItems().count == 8)

        let third = try await workspace.run([Self.day20])
        let day20 = try #require(third.reports[0].openItems)
        #expect(day20.stillOpen.count == 8)
        #expect(!day20.stillOpen.contains { $0.id == acknowledged.id })
        #expect(day20.stillOpen.allSatisfy { $0.age(on: Self.day20) == 1 })
        #expect(day20.resolved.map(\.id) == [acknowledged.id])
        #expect(day20.resolved.first?.acknowledgement == ack)
        #expect(Set(day20.new.map(\.id)) == Set(third.reports[0].discrepancies.map(\.id)))
        #expect(third.summary.contains("  open      7 new, 8 still open (oldest 1 day), 1 resolved since the last run\n"))
        #expect(third.summary.contains("resolved  missing_locally  wechatpay/1900000109  X19-UNKNOWN  (2026-11-19): acknowledged by li.wei: test payment, refunded"))

        // The night after, the acknowledgement is no longer news.
        let json = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        let rerun = try await workspace.run([Self.day20])
        let ids = { (section: OpenItemsSection?) in [section?.new, section?.stillOpen, section?.resolved].map { ($0 ?? []).map(\.id) } }
        #expect(ids(rerun.reports[0].openItems) == ids(third.reports[0].openItems))
        let json2 = try Data(contentsOf: URL(fileURLWithPath: workspace.reports + "/2026/11/20/order-recon-2026-11-20.json"))
        var before = try JSONSerialization.jsonObject(with: json) as! [String: Any]
        var after = try JSONSerialization.jsonObject(with: json2) as! [String: Any]
        #expect(before["open_items"] != nil)
        before["run"] = nil
        after["run"] = nil
        #expect(NSDictionary(dictionary: before) == NSDictionary(dictionary: after), "a rerun gives the same report")
    }

    @Test("fixing the store and rerunning the day resolves the item; finding it again opens it again")
    func fixAndRerun() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run([Self.day19])
        try DemoStore.execute("UPDATE orders SET amount_minor = 5050 WHERE out_trade_no = 'D19-003'", in: workspace.store)
        let fixed = try await workspace.run([Self.day19])
        let section = try #require(fixed.reports[0].openItems)
        #expect(Self.names(section.resolved) == ["amount_mismatch D19-003"])
        #expect(section.resolved.first?.resolution == "no longer found when 2026-11-19 was reconciled")
        let store = try OrderStore(path: workspace.store)
        #expect(try store.openItems().count == 8)
        #expect(try store.openItem(id: section.resolved[0].id)?.state == .resolved)
    }

    @Test("a store whose results predate open items starts with them open")
    func migrationCarriesResults() async throws {
        let workspace = try DemoWorkspace()
        _ = try await workspace.run([Self.day19])
        try DemoStore.execute(
            "DROP VIEW recon_open_items; DROP TABLE recon_items; DROP TABLE recon_item_sightings; PRAGMA user_version = 4;",
            in: workspace.store)
        let store = try OrderStore(path: workspace.store)
        #expect(try store.openItems().isEmpty)
        try store.migrate()
        #expect(try store.openItems().count == 9)
        #expect(try store.openItems().allSatisfy { $0.foundOn == Self.day19 })
    }
}
