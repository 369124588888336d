import Foundation
import SondeModel
import SondeTestSupport
import XCTest

/// HTTP/2 and gRPC as root against real peers: nginx serving h2c and h2 over TLS (ALPN) to curl and
/// nghttp, and a grpcio server and client (Tests/Fixtures/http2/grpc_peer.py); every span at the real
/// collector, with exact attributes.
final class HTTP2EndToEndTests: XCTestCase {
    typealias Expected = HTTP1EndToEndTests.Expected

    /// The requests both tests send: four in parallel on one nghttp connection (a 404 and a response over
    /// 64 KiB among them), then a POST with a body from curl.
    static let requests: [(String, String, Int)] = [
        ("GET", "/index.html", 200), ("GET", "/small.txt", 200), ("GET", "/big.bin", 200), ("GET", "/missing", 404),
        ("POST", "/submit", 201),
    ]

    /// Response body sizes on the wire: nghttp asks for gzip, which nginx applies to HTML and text.
    static let responseBodySizes = ["/index.html": "45", "/small.txt": "32", "/big.bin": "70000", "/missing": "114",
                                    "/submit": "8"]

    func testH2CFromNghttpAndCurlArriveWithExactAttributes() throws {
        try checkHTTP2(tls: false)
    }

    func testH2OverTLSWithALPNFromNghttpAndCurlArriveWithExactAttributes() throws {
        try checkHTTP2(tls: true)
    }

    private func checkHTTP2(tls: Bool) throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: tls, http2: true)
        defer { nginx.stop() }
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])

        let url = nginx.url
        try ChildProcess.run("/usr/bin/nghttp", ["-n", url("/index.html"), url("/small.txt"), url("/big.bin"), url("/missing")])
        let http2 = tls ? ["-k", "--http2"] : ["--http2-prior-knowledge"]
        let body = String(repeating: "0123456789", count: 500)
        try Curl.run(http2 + ["-o", "/dev/null", "--data-binary", body, url("/submit")])

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let expected = Self.requests.flatMap { method, path, status in
            [Span.Kind.server, .client].map { Expected(kind: $0, method: method, path: path, status: status) }
        }.sorted()
        let spans = try collector.waitForSpans(count: expected.count)
        XCTAssertEqual(collector.refusals(), [])
        XCTAssertEqual(spans.map(HTTP1EndToEndTests.summary).sorted(), expected)

        let clients = Dictionary(grouping: spans.filter { $0.kind == .client }) {
            $0.resourceAttributes["process.executable.name"] ?? "-"
        }
        XCTAssertEqual(clients.mapValues(\.count), ["nghttp": 4, "curl": 1])
        for span in spans {
            let path = span.attributes["url.path"] ?? ""
            XCTAssertEqual(span.attributes["network.protocol.version"], "2")
            XCTAssertEqual(span.attributes["url.scheme"], tls ? "https" : "http")
            XCTAssertEqual(span.attributes["server.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["server.port"], "\(port)")
            XCTAssertEqual(span.attributes["http.response.body.size"],
                           Self.responseBodySizes[path])
            XCTAssertEqual(span.attributes["http.request.body.size"], path == "/submit" ? "5000" : nil)
            XCTAssertEqual(span.statusCode, path == "/missing" && span.kind == .client ? .error : .unset, path)
            if span.kind == .client {
                XCTAssertEqual(span.attributes["url.full"], url(path))
                let agent = span.resourceAttributes["process.executable.name"] == "curl" ? "curl/" : "nghttp2/"
                XCTAssertTrue(span.attributes["user_agent.original"]?.hasPrefix(agent) == true)
            } else {
                XCTAssertEqual(span.resourceAttributes["process.executable.name"], "nginx")
                XCTAssertEqual(span.attributes["client.address"], "127.0.0.1")
            }
        }
        // The four nghttp streams shared one connection: one client port for all their server spans.
        let nghttpPorts = Set(spans.filter { $0.kind == .server && $0.attributes["url.path"] != "/submit" }
            .map { $0.attributes["client.port"] ?? "" })
        XCTAssertEqual(nghttpPorts.count, 1)
    }

    func testGRPCUnaryStreamingErrorAndCancelledCallsArriveWithExactAttributes() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http2/grpc_peer.py").path
        let output = try ChildProcess.run("/usr/bin/env", ["python3", script, "\(port)"])
        XCTAssertEqual(output, "SayHello OK hello world\nFail NOT_FOUND no such greeting\nCount OK 1 2 3\nCount CANCELLED 1\n")

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let spans = try collector.waitForSpans(count: 7)
        XCTAssertEqual(collector.refusals(), [])
        // NAME KIND grpc-status status error.type: the server does not fail NOT_FOUND, the client does; the
        // cancelled stream ended with RST_STREAM CANCEL and no status on either side.
        // The client's SayHello span is missing: grpcio writes its first frames with one sendmsg of 23
        // iovecs, and the kernel side captures 16 (MAX_IOVECS in bpf/sonde.bpf.c), so that HEADERS block is
        // not captured; the session drops its stream and resyncs its HPACK table (so the client spans that
        // follow lack the request's content-type, and are known as gRPC by the response's).
        let summaries = spans.map { span in
            [span.name, span.kind == .server ? "SERVER" : "CLIENT", span.attributes["rpc.grpc.status_code"] ?? "-",
             span.statusCode == .error ? "ERROR" : "UNSET", span.attributes["error.type"] ?? "-"].joined(separator: " ")
        }
        XCTAssertEqual(summaries.sorted(), [
            "demo.Greeter/Count CLIENT - ERROR CANCEL", "demo.Greeter/Count CLIENT 0 UNSET -",
            "demo.Greeter/Count SERVER - ERROR CANCEL", "demo.Greeter/Count SERVER 0 UNSET -",
            "demo.Greeter/Fail CLIENT 5 ERROR 5", "demo.Greeter/Fail SERVER 5 UNSET -",
            "demo.Greeter/SayHello SERVER 0 UNSET -",
        ])
        XCTAssertTrue(sonde.standardError.contains("resyncs 2,"), sonde.standardError)
        for span in spans {
            XCTAssertEqual(span.attributes["rpc.system"], "grpc")
            XCTAssertEqual(span.attributes["rpc.service"], "demo.Greeter")
            XCTAssertEqual(span.attributes["rpc.method"], span.name.components(separatedBy: "/").last)
            XCTAssertEqual(span.attributes["network.protocol.version"], "2")
            XCTAssertEqual(span.attributes["server.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["server.port"], "\(port)")
            XCTAssertEqual(span.statusMessage, span.name == "demo.Greeter/Fail" && span.kind == .client ? "no such greeting" : "")
            XCTAssertNil(span.attributes["http.request.method"])
        }
        // A streaming call is one span covering the whole stream, not one per message.
        XCTAssertEqual(spans.filter { $0.name == "demo.Greeter/Count" }.count, 4)
        XCTAssertEqual(spans.count, 7)
    }
}
