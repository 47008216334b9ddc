import Foundation

/// The JSON of the providers' APIs, written and read one way: the client's requests and the
/// simulator's answers with sorted keys, answers read into each provider's wire types.
public enum ProviderJSON {
    /// The body of `value`, as the client and the simulator send it: keys sorted.
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    /// `body` read as `T`; the problem, when it is not one, is said in the words of the JSON.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) -> Result<T, WireProblem> {
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(body)))
        } catch let error as DecodingError {
            return .failure(WireProblem(error))
        } catch {
            return .failure(WireProblem(reason: "the body is not JSON"))
        }
    }
}

/// Why a provider's JSON body is not what its API documents, for an untrusted answer's reason.
public struct WireProblem: Error, Sendable {
    /// The reason, naming the field.
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    init(_ error: DecodingError) {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context):
            reason = "\(field(context.codingPath)) is not \(type == String.self ? "text" : type == Int64.self ? "a whole number" : "\(type)")"
        case .valueNotFound(_, let context):
            reason = "\(field(context.codingPath)) is null"
        case .keyNotFound(let key, let context):
            reason = "\(field(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            reason = context.codingPath.isEmpty ? "the body is not a JSON object" : "\(field(context.codingPath)) is not readable"
        @unknown default:
            reason = "the body is not what the API documents"
        }
    }
}
