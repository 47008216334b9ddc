import Foundation
import ReconCore
import ReconJob
import ReconTestSupport
import Testing
import Yams

/// `deploy/kubernetes/order-recon.yaml` agrees with itself and with order-recon.
@Suite("The Kubernetes manifests")
struct DeployManifestTests {
    static func documents() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: Repository.root + "/deploy/kubernetes/order-recon.yaml", encoding: .utf8)
        return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
    }

    static func cronJob(_ name: String, in documents: [[String: Any]]) throws -> [String: Any] {
        let job = documents.first { $0["kind"] as? String == "CronJob" && ($0["metadata"] as? [String: Any])?["name"] as? String == name }
        return try #require((job?["spec"] as? [String: Any])?["jobTemplate"] as? [String: Any])["spec"] as! [String: Any]
    }

    static func script(_ job: [String: Any]) throws -> String {
        let pod = try #require((job["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        return try #require((container["args"] as? [String])?.joined(separator: "\n"))
    }

    @Test("the shard count is the same in the Indexed Job and in both commands, and the shards' exits are read as run documents them")
    func shardCount() throws {
        let documents = try Self.documents()
        let shards = try Self.cronJob("order-recon-shards", in: documents)
        #expect(shards["completionMode"] as? String == "Indexed")
        let count = try #require(shards["completions"] as? Int)
        #expect(shards["parallelism"] as? Int == count)
        let run = try Self.script(shards)
        #expect(run.contains("order-recon run --config /etc/order-recon/order-recon.yaml --shard \"${JOB_COMPLETION_INDEX}/\(count)\""))
        #expect(run.contains("case $status in 1|7) exit 0"))
        #expect(ExitStatus.discrepancies.rawValue == 1 && ExitStatus.providerUnreachable.rawValue == 7)
        let report = try Self.script(try Self.cronJob("order-recon-report", in: documents))
        #expect(report.contains("order-recon report --config /etc/order-recon/order-recon.yaml --shards \(count)"))
        #expect(ExitStatus.incomplete.rawValue == 8 && ExitStatus.usage.rawValue == 2 && ExitStatus.badInput.rawValue == 3)
    }

    @Test("the ConfigMap's configuration loads: results in PostgreSQL, as shards need")
    func configuration() async throws {
        let documents = try Self.documents()
        let map = try #require(documents.first { $0["kind"] as? String == "ConfigMap" })
        let text = try #require((map["data"] as? [String: Any])?["order-recon.yaml"] as? String)
        let directory = TemporaryDirectory()
        let file = directory.write("order-recon.yaml", text)
        var overrides = ConfigOverrides()
        overrides.shard = Shard(index: 2, count: 3)
        let config = try await ConfigLoader.load(
            file: file, overrides: overrides, environment: ["ORDER_RECON_MAIL_WHEN": "never"], requireInputs: false)
        #expect(config.ordersInPostgres && config.resultsInPostgres)
        #expect(config.reportsFolder == "/data/reports" && config.billPaths == ["/data/bills"])
        #expect(config.outputs.download)
    }
}
