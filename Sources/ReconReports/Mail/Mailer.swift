import Foundation

/// Hands a message to a mail transfer agent.
public protocol Mailer: Sendable {
    /// Sends `message`.
    /// - Throws: ``MailError`` when the MTA refuses it.
    func send(_ message: MIMEMessage) async throws
}

/// Why a message was not sent.
public struct MailError: Error, CustomStringConvertible, Sendable {
    /// What happened and what to do next.
    public let description: String
}

/// Sends through a sendmail-compatible command, msmtp by default: `COMMAND [ARGS] -t`, with the
/// message on its standard input and the recipients read from its `To` header.
public struct SendmailMailer: Mailer {
    /// The program, such as `/usr/bin/msmtp` or `/usr/sbin/sendmail`.
    public var command: String
    /// Arguments before `-t`, such as `["-C", "/etc/order-recon/msmtprc", "-a", "finance"]`.
    public var arguments: [String]

    /// Creates a mailer.
    public init(command: String = "/usr/bin/msmtp", arguments: [String] = []) {
        self.command = command
        self.arguments = arguments
    }

    public func send(_ message: MIMEMessage) async throws {
        let (command, arguments) = (self.command, self.arguments + ["-t"])
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = arguments
            let input = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            do {
                try process.run()
            } catch {
                throw MailError(
                    description: "Cannot start the mailer \(command): \(error.localizedDescription). Install msmtp "
                        + "(apt-get install msmtp) or set mail.command to a sendmail-compatible program.")
            }
            try? input.fileHandleForWriting.write(contentsOf: message.rendered())
            try? input.fileHandleForWriting.close()
            let stderr = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let detail = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw MailError(
                    description: "\(command) \((arguments).joined(separator: " ")) exited \(process.terminationStatus)"
                        + (detail.isEmpty ? "" : ": \(detail)") + ". Check the mail settings (mail.* in the config file and "
                        + "the msmtp configuration they name); the reports are in the archive all the same.")
            }
        }.value
    }
}
