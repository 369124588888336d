import Foundation
import SondeModel

/// The JSON text of attribute sets and argument lists, as the store keeps them. Written directly:
/// Foundation's `JSONSerialization` with sorted keys spent most of the writer's time collating keys.
enum JSONText {
    /// A JSON object of the attributes, keys in code-point order; the first of a repeated key wins.
    static func object(_ attributes: [Attribute]) -> String {
        var seen = Set<String>()
        let unique = attributes.filter { seen.insert($0.key).inserted }.sorted { $0.key < $1.key }
        let members = unique.map { "\(string($0.key)):\(value($0.value))" }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON array of strings.
    static func array(_ strings: [String]) -> String {
        "[" + strings.map(string).joined(separator: ",") + "]"
    }

    private static func value(_ value: AttributeValue) -> String {
        switch value {
        case .string(let text): string(text)
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? String(number) : "null"
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// A JSON string literal. Most strings need no escape and are quoted as they are; the rest go through
    /// Foundation's encoder.
    static func string(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"\(text)\"" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
