/// The value of a span or resource attribute (the OTLP `AnyValue` scalars Sonde uses).
public enum AttributeValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        }
    }
}

/// A key and its value, kept in insertion order on spans and resources.
public struct Attribute: Hashable, Sendable {
    public var key: String
    public var value: AttributeValue

    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: String) { self.init(key, .string(value)) }
    public init(_ key: String, _ value: Int) { self.init(key, .int(Int64(value))) }
}

extension Array where Element == Attribute {
    /// The value of the first attribute named `key`.
    public subscript(key: String) -> AttributeValue? {
        first { $0.key == key }?.value
    }
}
