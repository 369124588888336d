import SondeModel

/// One span as a real OTLP collector received it, read back from its debug output.
public struct CollectedSpan: Hashable, Sendable {
    public var name: String
    public var kind: Span.Kind?
    /// 32 lower-case hex digits.
    public var traceID: String
    /// 16 lower-case hex digits.
    public var spanID: String
    /// 16 lower-case hex digits, or nil for a root span.
    public var parentSpanID: String?
    public var statusCode: Span.StatusCode
    public var statusMessage: String
    /// Nanoseconds since the Unix epoch.
    public var startTime: UInt64
    public var endTime: UInt64
    /// Attribute values as text (`GET`, `200`, `1.5`, `true`).
    public var attributes: [String: String]
    /// The OTLP value type each attribute arrived as: `Str`, `Int`, `Double` or `Bool`.
    public var attributeTypes: [String: String]
    public var resourceAttributes: [String: String]
    /// Instrumentation scope name and version, e.g. `sonde 0.1.0`.
    public var scope: String

    public init(name: String = "", kind: Span.Kind? = nil, traceID: String = "", spanID: String = "",
                parentSpanID: String? = nil, statusCode: Span.StatusCode = .unset, statusMessage: String = "",
                startTime: UInt64 = 0, endTime: UInt64 = 0, attributes: [String: String] = [:],
                attributeTypes: [String: String] = [:], resourceAttributes: [String: String] = [:],
                scope: String = "") {
        self.name = name
        self.kind = kind
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.startTime = startTime
        self.endTime = endTime
        self.attributes = attributes
        self.attributeTypes = attributeTypes
        self.resourceAttributes = resourceAttributes
        self.scope = scope
    }
}
