import Foundation
import SondeModel

/// The JSON text of attribute sets and argument lists, as the store keeps them.
enum JSONText {
    /// A JSON object of the attributes, keys sorted; the first of a repeated key wins.
    static func object(_ attributes: [Attribute]) -> String {
        var object: [String: Any] = [:]
        for attribute in attributes where object[attribute.key] == nil {
            object[attribute.key] = switch attribute.value {
            case .string(let value): value
            case .int(let value): value
            case .double(let value): value
            case .bool(let value): value
            }
        }
        return encode(object)
    }

    /// A JSON array of strings.
    static func array(_ strings: [String]) -> String {
        encode(strings)
    }

    private static func encode(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
