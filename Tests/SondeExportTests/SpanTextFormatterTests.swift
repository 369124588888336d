import SondeExport
import SondeModel
import XCTest

final class SpanTextFormatterTests: XCTestCase {
    private let formatter = SpanTextFormatter()

    func testServerSpanLine() {
        XCTAssertEqual(formatter.format(SampleSpans.serverSpan),
                       "2025-11-21T09:07:41.123Z    1.234ms HTTP/1.1 SERVER GET /index.html?q=1&r=\"two\" 200 "
                       + "nginx[4242] 127.0.0.1:51234 -> 127.0.0.1:8080")
    }

    func testClientSpanOverTLSWithControlCharactersShownEscaped() {
        XCTAssertEqual(formatter.format(SampleSpans.clientSpan),
                       "2025-11-21T09:07:42.000Z      850µs HTTP/1.1 CLIENT POST "
                       + "/api/\\x07tab\\x09here\\back\"quote\\x0aline\\x1fend é ✓ 503 curl[777] - -> 10.0.0.9:443 TLS")
    }

    func testPeerAddressesAndDatabaseSpans() {
        let span = Span(
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(value: 3), name: "GET", kind: .server,
            startTime: 0, endTime: 12_000_000_000,
            attributes: [Attribute("db.system.name", "redis"), Attribute("db.operation.name", "GET"),
                         Attribute("db.namespace", "0"), Attribute("network.peer.address", "::1"),
                         Attribute("network.peer.port", 40000), Attribute("server.port", 6379)],
            status: .error,
            resource: Resource(attributes: [Attribute("service.name", "redis-server")]))
        XCTAssertEqual(formatter.format(span),
                       "1970-01-01T00:00:00.000Z 12000.000ms redis SERVER GET 0 ERROR redis-server [::1]:40000 -> :6379")
    }
}
