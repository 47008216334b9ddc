import ArgumentParser
import Foundation
import ReconCore
import ReconJob

/// `order-recon codes CODE`: explains a provider's answer code.
struct Codes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Explain a provider's error code: its text, its category and what the job does with it.",
        discussion: """
            Searches every catalog (gateway, wechatpay-v3, wechat-miniprogram, wechat-card, \
            wallet-gateway) unless --provider limits it. Exits 0 when a catalog knows the code, 3 when none does.
            """)

    // Collects unrecognized words so that negative codes (`-1`, `-99`) need no `--` before them.
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("The code, as the provider sent it (E02, SYSTEM_ERROR, -99, …).", valueName: "code"))
    var words: [String] = []

    @Option(help: "Only the catalogs of this provider (wechatpay, gateway, wallet-gateway).")
    var provider: String?

    @Flag(help: "Print the rows as JSON.")
    var json = false

    func validate() throws {
        guard words.count == 1 else {
            throw ValidationError(
                words.isEmpty ? "Name the code to explain, such as E02." : "Explain one code at a time; got \(words.joined(separator: " ")).")
        }
    }

    func run() async throws {
        let explanation = try CodeExplanation(code: words[0], provider: provider.map(ProviderID.init(rawValue:)))
        if json {
            FileHandle.standardOutput.write(Data(try explanation.json().utf8))
        } else {
            Output.write(explanation.text())
        }
        if !explanation.isKnown { throw ExitCode(ExitStatus.badInput.rawValue) }
    }
}
