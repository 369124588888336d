import SondeModel

/// Reads spans from `rotel-agent --debug-log traces --debug-log-verbosity detailed` output.
///
/// The output is the collector "debug exporter" text: `ResourceSpans #n`, `Resource attributes:`,
/// `     -> key: Str(value)` lines, `Span #n` and `    Trace ID       : ...` fields. A value holding a
/// newline continues on the following lines; any line that is not a known field continues the value
/// before it. Log lines (JSON, from `--log-format json`) are ignored.
struct RotelDebugOutputParser {
    private enum Section { case resource, scope, span, other }
    private enum PendingValue { case none, attribute(String), field(String) }

    private var spans: [CollectedSpan] = []
    private var resourceAttributes: [String: String] = [:]
    private var scope = ""
    private var current: CollectedSpan?
    private var section = Section.other
    private var pending = PendingValue.none
    private var pendingText = ""

    static func parse(_ output: String) -> [CollectedSpan] {
        var parser = RotelDebugOutputParser()
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            parser.consume(line)
        }
        parser.finishPending()
        parser.finishSpan()
        return parser.spans
    }

    private mutating func consume(_ line: Substring) {
        if line.hasPrefix("{\"v\":") { return }  // a JSON log line
        if line.hasPrefix("ResourceSpans #") {
            finishPending(); finishSpan(); resourceAttributes = [:]; section = .other
        } else if line == "Resource attributes:" {
            finishPending(); section = .resource
        } else if line.hasPrefix("Resource SchemaURL:") || line.hasPrefix("ScopeSpans #")
                    || line.hasPrefix("ScopeSpans SchemaURL:") {
            finishPending(); section = .other
        } else if line.hasPrefix("InstrumentationScope ") {
            finishPending(); scope = String(line.dropFirst("InstrumentationScope ".count)); section = .scope
        } else if line.hasPrefix("Span #") {
            finishPending(); finishSpan()
            current = CollectedSpan(resourceAttributes: resourceAttributes, scope: scope)
            section = .span
        } else if line == "Attributes:" {
            finishPending(); section = current == nil ? .other : .span
        } else if line == "Events:" || line == "Links:" || line.hasPrefix("SpanEvent #")
                    || line.hasPrefix("SpanLink #") {
            finishPending(); section = .other
        } else if line.hasPrefix("     -> "), let separator = line.range(of: ": ") {
            finishPending()
            let key = line[line.index(line.startIndex, offsetBy: 8)..<separator.lowerBound]
            pending = .attribute(String(key))
            pendingText = String(line[separator.upperBound...])
        } else if let (field, value) = Self.spanField(line), current != nil {
            finishPending()
            pending = .field(field)
            pendingText = value
        } else {
            pendingText += "\n" + line  // the rest of a value that held a newline
        }
    }

    /// `    Trace ID       : abc` or `Start time: 123` as (field, value).
    private static func spanField(_ line: Substring) -> (String, String)? {
        let fields = ["Trace ID", "Parent ID", "ID", "Name", "Kind", "Start time", "End time",
                      "Status code", "Status message"]
        let trimmed = line.drop(while: { $0 == " " })
        guard let colon = trimmed.firstIndex(of: ":") else { return nil }
        var field = trimmed[..<colon]
        while field.last == " " { field = field.dropLast() }
        guard fields.contains(String(field)) else { return nil }
        var value = trimmed[trimmed.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(field), String(value))
    }

    private mutating func finishPending() {
        defer { pending = .none; pendingText = "" }
        while pendingText.hasSuffix("\n") { pendingText.removeLast() }  // blank lines between blocks
        switch pending {
        case .none:
            return
        case .attribute(let key):
            let (type, value) = Self.typedValue(pendingText)
            switch section {
            case .resource:
                resourceAttributes[key] = value
            case .span:
                current?.attributes[key] = value
                current?.attributeTypes[key] = type
            case .scope, .other:
                break
            }
        case .field(let field):
            apply(field: field, value: pendingText)
        }
    }

    private mutating func apply(field: String, value: String) {
        guard current != nil else { return }
        switch field {
        case "Trace ID": current?.traceID = value
        case "Parent ID": current?.parentSpanID = value.isEmpty ? nil : value
        case "ID": current?.spanID = value
        case "Name": current?.name = value
        case "Kind": current?.kind = Self.kinds[value]
        case "Start time": current?.startTime = UInt64(value) ?? 0
        case "End time": current?.endTime = UInt64(value) ?? 0
        case "Status code": current?.statusCode = Self.statusCodes[value] ?? .unset
        case "Status message": current?.statusMessage = value
        default: break
        }
    }

    private mutating func finishSpan() {
        if let span = current { spans.append(span) }
        current = nil
    }

    /// `Str(GET)` as ("Str", "GET").
    private static func typedValue(_ text: String) -> (String, String) {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return ("", text) }
        return (String(text[..<open]), String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
    }

    private static let kinds: [String: Span.Kind] = [
        "SPAN_KIND_INTERNAL": .internal, "SPAN_KIND_SERVER": .server, "SPAN_KIND_CLIENT": .client,
        "SPAN_KIND_PRODUCER": .producer, "SPAN_KIND_CONSUMER": .consumer,
    ]
    private static let statusCodes: [String: Span.StatusCode] = [
        "STATUS_CODE_UNSET": .unset, "STATUS_CODE_OK": .ok, "STATUS_CODE_ERROR": .error,
    ]
}
