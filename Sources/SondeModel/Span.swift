/// One request/response exchange seen on the wire, as an OpenTelemetry span.
public struct Span: Hashable, Sendable {
    /// The OTLP span kinds (numbering as in the OTLP protobuf enum).
    public enum Kind: Int, Hashable, Sendable {
        case `internal` = 1
        case server = 2
        case client = 3
        case producer = 4
        case consumer = 5
    }

    /// The OTLP status codes (numbering as in the OTLP protobuf enum).
    public enum StatusCode: Int, Hashable, Sendable {
        case unset = 0
        case ok = 1
        case error = 2
    }

    public var traceID: TraceID
    public var spanID: SpanID
    /// The span this one continues (from a W3C `traceparent` on the request), if any.
    public var parentSpanID: SpanID?
    public var name: String
    public var kind: Kind
    /// Nanoseconds since the Unix epoch: the request's first byte.
    public var startTime: UInt64
    /// Nanoseconds since the Unix epoch: the response's last byte.
    public var endTime: UInt64
    public var attributes: [Attribute]
    public var status: StatusCode
    public var statusMessage: String?
    /// The process (or capture) that produced the span.
    public var resource: Resource

    public init(traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, name: String, kind: Kind,
                startTime: UInt64, endTime: UInt64, attributes: [Attribute], status: StatusCode = .unset,
                statusMessage: String? = nil, resource: Resource) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.kind = kind
        self.startTime = startTime
        self.endTime = endTime
        self.attributes = attributes
        self.status = status
        self.statusMessage = statusMessage
        self.resource = resource
    }

    /// Duration in nanoseconds (zero if the clock went backwards).
    public var duration: UInt64 { endTime >= startTime ? endTime - startTime : 0 }
}
