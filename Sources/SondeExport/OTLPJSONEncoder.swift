import SondeModel

/// Encodes spans as one OTLP/JSON `ExportTraceServiceRequest`, following the opentelemetry-proto
/// "JSON Protobuf Encoding": lower-case hex ids, integer enums, 64-bit integers as decimal strings.
///
/// Spans are grouped into one `resourceSpans` entry per distinct resource (in order of first
/// appearance), each with a single `scopeSpans` entry for the `sonde` instrumentation scope.
public struct OTLPJSONEncoder: Sendable {
    public init() {}

    /// The request body for `spans`, as UTF-8 JSON bytes.
    public func encode(_ spans: [Span]) -> [UInt8] {
        var writer = JSONByteWriter(reservingCapacity: 256 + spans.count * 640)
        encode(spans, into: &writer)
        return writer.bytes
    }

    func encode(_ spans: [Span], into writer: inout JSONByteWriter) {
        writer.raw("{\"resourceSpans\":[")
        for (groupIndex, group) in Self.groupedByResource(spans).enumerated() {
            if groupIndex > 0 { writer.raw(UInt8(ascii: ",")) }
            writer.raw("{\"resource\":{\"attributes\":")
            Self.write(group.resource.attributes, into: &writer)
            writer.raw("},\"scopeSpans\":[{\"scope\":{\"name\":\"sonde\",\"version\":")
            writer.string(SondeVersion.string)
            writer.raw("},\"spans\":[")
            for (spanIndex, span) in group.spans.enumerated() {
                if spanIndex > 0 { writer.raw(UInt8(ascii: ",")) }
                Self.write(span, into: &writer)
            }
            writer.raw("]}]}")
        }
        writer.raw("]}")
    }

    private static func groupedByResource(_ spans: [Span]) -> [(resource: Resource, spans: [Span])] {
        var groups: [(resource: Resource, spans: [Span])] = []
        var indexByResource: [Resource: Int] = [:]
        for span in spans {
            if let index = indexByResource[span.resource] {
                groups[index].spans.append(span)
            } else {
                indexByResource[span.resource] = groups.count
                groups.append((span.resource, [span]))
            }
        }
        return groups
    }

    private static func write(_ span: Span, into writer: inout JSONByteWriter) {
        writer.raw("{\"traceId\":\"")
        writer.hex(span.traceID.high)
        writer.hex(span.traceID.low)
        writer.raw("\",\"spanId\":\"")
        writer.hex(span.spanID.value)
        if let parent = span.parentSpanID {
            writer.raw("\",\"parentSpanId\":\"")
            writer.hex(parent.value)
        }
        writer.raw("\",\"name\":")
        writer.string(span.name)
        writer.raw(",\"kind\":")
        writer.decimal(Int64(span.kind.rawValue))
        writer.raw(",\"startTimeUnixNano\":")
        writer.quotedDecimal(span.startTime)
        writer.raw(",\"endTimeUnixNano\":")
        writer.quotedDecimal(span.endTime)
        writer.raw(",\"attributes\":")
        write(span.attributes, into: &writer)
        writer.raw(",\"status\":{\"code\":")
        writer.decimal(Int64(span.status.rawValue))
        if let message = span.statusMessage {
            writer.raw(",\"message\":")
            writer.string(message)
        }
        writer.raw("}}")
    }

    private static func write(_ attributes: [Attribute], into writer: inout JSONByteWriter) {
        writer.raw(UInt8(ascii: "["))
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { writer.raw(UInt8(ascii: ",")) }
            writer.raw("{\"key\":")
            writer.string(attribute.key)
            writer.raw(",\"value\":")
            write(attribute.value, into: &writer)
            writer.raw(UInt8(ascii: "}"))
        }
        writer.raw(UInt8(ascii: "]"))
    }

    private static func write(_ value: AttributeValue, into writer: inout JSONByteWriter) {
        switch value {
        case .string(let string):
            writer.raw("{\"stringValue\":")
            writer.string(string)
        case .int(let int):
            writer.raw("{\"intValue\":")
            writer.quotedDecimal(int)
        case .double(let double):
            writer.raw("{\"doubleValue\":")
            writer.double(double)
        case .bool(let bool):
            writer.raw("{\"boolValue\":")
            writer.bool(bool)
        }
        writer.raw(UInt8(ascii: "}"))
    }
}
