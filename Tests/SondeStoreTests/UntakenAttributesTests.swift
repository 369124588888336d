import SondeModel
import Testing

/// A span's row keeps each value once: an attribute a column holds is left out of `spans.attributes`, every
/// other one stays, so the row still gives back the whole span.
@Suite struct UntakenAttributesTests {
    private func storedRow(_ attributes: [Attribute], columns: [String]) throws -> [String] {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        store.consume([Span(traceID: TraceID(high: 1, low: 2), spanID: SpanID(value: 3), name: "span", kind: .server,
                            startTime: 1_000, endTime: 2_000, attributes: attributes,
                            resource: Resource(attributes: [Attribute("service.name", "svc")]))])
        store.shutdown()
        return try fixture.rows("SELECT * FROM spans", columns: columns)
    }

    @Test func anUnknownMethodKeepsItsOtherAndARepeatedKeyItsSecondValue() throws {
        let row = try storedRow([
            Attribute("http.request.method", "_OTHER"), Attribute("http.request.method_original", "PURGE"),
            Attribute("url.path", "/cache"), Attribute("url.query", "key=1"), Attribute("http.response.status_code", 200),
            Attribute("x.extra", "kept"), Attribute("url.path", "/second"),
        ], columns: ["protocol", "http_req_method", "http_req_path", "http_resp_status", "attributes"])
        #expect(row == [
            #""http" | "PURGE" | "/cache?key=1" | 200 | "{\"http.request.method\":\"_OTHER\",\"x.extra\":\"kept\",\"url.path\":\"/second\"}""#,
        ])
    }

    @Test func aSpanOfAnotherProtocolKeepsAllButItsConnection() throws {
        let row = try storedRow([
            Attribute("messaging.system", "kafka"), Attribute("network.peer.address", "10.0.0.9"),
            Attribute("network.peer.port", 9092), Attribute("server.address", "broker"),
        ], columns: ["protocol", "remote_addr", "remote_port", "http_req_method", "redis_req_cmd", "attributes"])
        #expect(row == [
            #""other" | "10.0.0.9" | 9092 | NULL | NULL | "{\"messaging.system\":\"kafka\",\"server.address\":\"broker\"}""#,
        ])
    }

    @Test func theConnectionsEndsHoldTheServerAndClientTheyName() throws {
        let row = try storedRow(serverSpanAttributes(scheme: "https", server: ("10.0.0.1", 8443)),
                                columns: ["local_addr", "local_port", "remote_addr", "remote_port", "encrypted", "attributes"])
        #expect(row == [#""10.0.0.1" | 8443 | "10.0.0.2" | 50000 | 1 | "{}""#])
    }

    @Test func aServerNamedByItsHostHeaderStays() throws {
        let row = try storedRow(serverSpanAttributes(scheme: "http", server: ("shop.example", 8080)),
                                columns: ["encrypted", "attributes"])
        #expect(row == [#"0 | "{\"server.address\":\"shop.example\",\"server.port\":8080}""#])
    }

    /// A server span's attributes on the connection from 10.0.0.2:50000 to 10.0.0.1:8443, naming `server`.
    private func serverSpanAttributes(scheme: String, server: (address: String, port: Int)) -> [Attribute] {
        [
            Attribute("http.request.method", "GET"), Attribute("url.scheme", scheme),
            Attribute("server.address", server.address), Attribute("server.port", server.port),
            Attribute("client.address", "10.0.0.2"), Attribute("client.port", 50000),
            Attribute("network.peer.address", "10.0.0.2"), Attribute("network.peer.port", 50000),
            Attribute("network.local.address", "10.0.0.1"), Attribute("network.local.port", 8443),
        ]
    }
}
