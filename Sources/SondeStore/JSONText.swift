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

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func string(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"\(text)\"" }
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
