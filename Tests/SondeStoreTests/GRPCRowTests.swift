import SondeModel
import SondePipeline
import SondeProtocols
import Testing

/// A gRPC call is an `http_events` row: a POST to `/package.Service/Method` whose message is the grpc-status.
@Suite struct GRPCRowTests {
    @Test func aFailedCallIsAnHTTP2RowWithItsStatus() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let version = HTTPVersion(major: 2, minor: 0)
        let exchange = HTTP2Exchange(
            streamID: 3,
            request: HTTPRequestHead(method: "POST", target: "/demo.Greeter/Fail", version: version,
                                     headers: [HTTPHeader(name: "content-type", value: "application/grpc")]),
            scheme: "http",
            response: HTTPResponseHead(version: version, status: 200, reason: "", headers: [
                HTTPHeader(name: "grpc-status", value: "5"), HTTPHeader(name: "grpc-message", value: "no such greeting"),
            ]),
            trailers: [], requestBodySize: 12, responseBodySize: 0, resetCode: nil, headersComplete: true,
            requestDirection: .egress, requestStart: 1_000, end: 5_000)
        let connection = ConnectionInfo(id: ConnectionID(pid: 11, fd: 6, generation: 1), role: .client,
                                        local: SocketAddress(host: "127.0.0.1", port: 51234),
                                        remote: SocketAddress(host: "127.0.0.1", port: 50051))
        let store = try fixture.openStore()
        store.consume([GRPCSpanBuilder.span(for: exchange, connection: connection,
                                            resource: Resource(attributes: [Attribute("service.name", "greeter")]))])
        store.shutdown()

        #expect(try fixture.rows("SELECT * FROM http_events", columns: [
            "trace_role", "major_version", "minor_version", "req_method", "req_path", "resp_status", "resp_message",
            "remote_port", "local_port", "latency",
        ]) == [#"1 | 2 | 0 | "POST" | "/demo.Greeter/Fail" | NULL | "5" | 50051 | 51234 | 4000"#])
        #expect(try fixture.rows("SELECT protocol, status, status_message FROM spans",
                                 columns: ["protocol", "status", "status_message"])
                == [#""grpc" | "error" | "no such greeting""#])
    }
}
