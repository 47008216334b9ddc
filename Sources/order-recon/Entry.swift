import ArgumentParser
import Foundation
import ReconJob

/// The entry point: runs the command and turns every error into a message on stderr and one of
/// the documented exit codes.
@main
enum Entry {
    static func main() async {
        let status: Int32
        do {
            var command = try OrderReconCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            status = 0
        } catch let error as ReconError {
            Output.error(error.message)
            status = error.status.rawValue
        } catch let exit as ExitCode {
            status = exit.rawValue
        } catch {
            let code = OrderReconCommand.exitCode(for: error)
            let message = OrderReconCommand.fullMessage(for: error)
            if code == .success {
                Output.line(message)
                status = 0
            } else {
                Output.errorLine(message)
                status = code == .validationFailure ? ExitStatus.usage.rawValue : ReconError.wrapping(error).status.rawValue
            }
        }
        exit(status)
    }
}
