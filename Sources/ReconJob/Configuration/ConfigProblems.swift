import Configuration
import Synchronization

extension ConfigLoader {
    /// Collects values that were present but could not be used, which a plain lookup would
    /// replace with the default without a word; each message says where the value came from (the
    /// file and line, the environment variable, or the command line) and what it must be.
    final class ProblemCollector: AccessReporter {
        private let found = Mutex<[String]>([])
        private let file: String?
        private let lines: [String: Int]

        init(file: String?, lines: [String: Int]) {
            self.file = file
            self.lines = lines
        }

        var problems: [String] { found.withLock { $0 } }

        func report(_ event: AccessEvent) {
            var messages: [String] = []
            let key = event.metadata.key.description
            let expected = Self.describe(event.metadata.valueType)
            for result in event.providerResults {
                if case .failure = result.result {
                    messages.append("\(source(result.providerName, key: key)) the setting '\(key)' must be \(expected).")
                }
            }
            if event.conversionError != nil, messages.isEmpty {
                messages.append("The setting '\(key)' must be \(expected).")
            }
            if !messages.isEmpty { found.withLock { $0 += messages } }
        }

        /// Where a provider's value came from, as the start of a message.
        private func source(_ providerName: String, key: String) -> String {
            if providerName.contains("FileProvider"), let file {
                return "\(file)\(lines[key].map { ":\($0)" } ?? ""):"
            }
            if providerName.contains("Environment") {
                let variable = ([environmentPrefix] + key.split(separator: ".").map(String.init))
                    .joined(separator: "_").uppercased()
                return "In the environment variable \(variable),"
            }
            return "On the command line,"
        }

        /// What a value of `type` looks like, in words.
        private static func describe(_ type: ConfigType) -> String {
            switch type {
            case .int: "a whole number"
            case .double: "a number"
            case .bool: "true or false"
            case .string: "a single value"
            case .stringArray: "a list of values, such as [a, b]"
            default: "a value of type \(type.rawValue)"
            }
        }
    }
}
