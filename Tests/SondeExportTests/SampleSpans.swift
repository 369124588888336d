import SondeModel

/// Spans with known contents, shared by the encoder, printer and exporter tests.
enum SampleSpans {
    static let nginx = Resource(attributes: [
        Attribute("service.name", "nginx"),
        Attribute("process.pid", 4242),
        Attribute("process.executable.name", "nginx"),
    ])
    static let curl = Resource(attributes: [
        Attribute("service.name", "curl"),
        Attribute("process.pid", 777),
        Attribute("process.executable.name", "curl"),
    ])

    /// A server span with every attribute value type and a parent.
    static let serverSpan = Span(
        traceID: TraceID(high: 0x0123_4567_89AB_CDEF, low: 0x0000_0000_0000_00FF),
        spanID: SpanID(value: 0x00AB_CDEF_0123_4567),
        parentSpanID: SpanID(value: 0x1111_2222_3333_4444),
        name: "GET /index.html",
        kind: .server,
        startTime: 1_763_716_061_123_456_789,
        endTime: 1_763_716_061_124_691_000,
        attributes: [
            Attribute("http.request.method", "GET"),
            Attribute("url.path", "/index.html"),
            Attribute("url.query", "q=1&r=\"two\""),
            Attribute("url.scheme", "http"),
            Attribute("http.response.status_code", 200),
            Attribute("network.protocol.version", "1.1"),
            Attribute("server.address", "127.0.0.1"),
            Attribute("server.port", 8080),
            Attribute("client.address", "127.0.0.1"),
            Attribute("client.port", 51234),
            Attribute("sonde.ratio", .double(0.25)),
            Attribute("sonde.keep_alive", .bool(true)),
            Attribute("sonde.negative", .int(-9_223_372_036_854_775_808)),
        ],
        resource: nginx)

    /// A client span with an error status, no parent, and text that needs escaping.
    static let clientSpan = Span(
        traceID: TraceID(high: 0xFEDC_BA98_7654_3210, low: 0x0F0F_0F0F_0F0F_0F0F),
        spanID: SpanID(value: 1),
        name: "POST",
        kind: .client,
        startTime: 1_763_716_062_000_000_000,
        endTime: 1_763_716_062_000_850_000,
        attributes: [
            Attribute("http.request.method", "POST"),
            Attribute("url.path", "/api/\u{7}tab\there\\back\"quote\nline\u{1F}end é ✓"),
            Attribute("url.scheme", "https"),
            Attribute("http.response.status_code", 503),
            Attribute("network.protocol.version", "1.1"),
            Attribute("server.address", "10.0.0.9"),
            Attribute("server.port", 443),
        ],
        status: .error,
        statusMessage: "HTTP 503",
        resource: curl)

    /// `count` distinct, simple server spans for the exporter tests.
    static func numbered(_ count: Int, prefix: String = "span") -> [Span] {
        (0..<count).map { (index: Int) -> Span in
            let id = UInt64(index + 1)
            let start: UInt64 = 1_763_716_061_000_000_000 + id * 1_000
            return Span(traceID: TraceID(high: 0xAAAA, low: id), spanID: SpanID(value: id),
                 name: "\(prefix)-\(index)", kind: .server, startTime: start, endTime: start + 500_000,
                 attributes: [Attribute("sonde.test.index", index), Attribute("http.request.method", "GET")],
                 resource: nginx)
        }
    }
}
