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
    /// 64 KiB among them), a POST with a body from nghttp, and a GET from curl.
    static let requests: [(String, String, Int)] = [
        ("GET", "/index.html", 200), ("GET", "/small.txt", 200), ("GET", "/big.bin", 200), ("GET", "/missing", 404),
        ("POST", "/submit", 201), ("GET", "/text.txt", 200),
    ]

    /// Response body sizes on the wire: nghttp asks for gzip, which nginx applies to HTML and text (curl
    /// does not ask).
    static let responseBodySizes = ["/index.html": "45", "/small.txt": "32", "/big.bin": "70000", "/missing": "114",
                                    "/submit": "8", "/text.txt": "20000"]

    /// A grpcio server and client in one process (see the script).
    static let grpcPeerScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/http2/grpc_peer.py").path

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
        // curl reads h2c with 32 KiB recv() calls, twice the default capture: the frames in the uncaptured
        // rest of a call (END_STREAM among them) go by unseen, and the parser must find its way back.
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])

        let url = nginx.url
        try ChildProcess.run("/usr/bin/nghttp", ["-n", url("/index.html"), url("/small.txt"), url("/big.bin"), url("/missing")])
        // nginx answers /submit before reading the body and then resets the stream with NO_ERROR, which
        // curl 7.88 takes for an error: nghttp posts the body.
        let body = nginx.directory.appending(path: "body.txt")
        try Data(String(repeating: "0123456789", count: 500).utf8).write(to: body)
        try ChildProcess.run("/usr/bin/nghttp", ["-n", "-d", body.path, url("/submit")])
        try Curl.run((tls ? ["-k", "--http2"] : ["--http2-prior-knowledge"]) + ["-o", "/dev/null", url("/text.txt")])

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
        XCTAssertEqual(clients.mapValues(\.count), ["nghttp": 5, "curl": 1])
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
        let nghttpPorts = Set(spans.filter { $0.kind == .server && !["/submit", "/text.txt"].contains($0.attributes["url.path"]) }
            .map { $0.attributes["client.port"] ?? "" })
        XCTAssertEqual(nghttpPorts.count, 1)
    }

    /// curl's `--http2` on an http:// URL asks to upgrade (`Upgrade: h2c`); hypercorn switches with `101`. The
    /// upgrade request is HTTP/2 stream 1 and gets its response there; the second request is stream 3.
    func testH2CUpgradeFromHTTP1IsFollowed() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let server = try HypercornServer(port: port)
        defer { server.stop() }
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])
        let output = try Curl.run(["--http2", "-s", server.url("/index.txt"), server.url("/missing")])
        XCTAssertEqual(output, "upgraded /index.txt\nupgraded /missing\n")

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let expected = [("/index.txt", 200), ("/missing", 404)].flatMap { path, status in
            [Span.Kind.server, .client].map { Expected(kind: $0, method: "GET", path: path, status: status) }
        }.sorted()
        let spans = try collector.waitForSpans(count: expected.count)
        XCTAssertEqual(collector.refusals(), [])
        XCTAssertEqual(spans.map(HTTP1EndToEndTests.summary).sorted(), expected)
        for span in spans {
            let path = span.attributes["url.path"] ?? ""
            XCTAssertEqual(span.attributes["network.protocol.version"], "2")
            XCTAssertEqual(span.attributes["http.response.body.size"], path == "/index.txt" ? "20" : "18")
            XCTAssertEqual(span.attributes["user_agent.original"], "curl/7.88.1")
            // curl resets stream 1 once its 20 declared bytes are in: no failure.
            XCTAssertEqual(span.attributes["error.type"], path == "/missing" && span.kind == .client ? "404" : nil)
        }
    }

    func testGRPCUnaryStreamingErrorAndCancelledCallsArriveWithExactAttributes() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])
        let output = try ChildProcess.run("/usr/bin/env", ["python3", Self.grpcPeerScript, "\(port)"])
        XCTAssertEqual(output, "SayHello OK hello world\nFail NOT_FOUND no such greeting\nCount OK 1 2 3\nCount CANCELLED 1\n")

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let spans = try collector.waitForSpans(count: 8)
        XCTAssertEqual(collector.refusals(), [])
        // NAME KIND grpc-status status error.type: the server does not fail NOT_FOUND, the client does; the
        // cancelled stream ended with RST_STREAM CANCEL and no status on either side: CANCELLED fails the
        // client only.
        // grpcio writes its first frames with one sendmsg of 23 iovecs: all are captured (MAX_IOVECS is 32).
        XCTAssertEqual(spans.map(Self.callSummary).sorted(), [
            "demo.Greeter/Count CLIENT - ERROR CANCEL", "demo.Greeter/Count CLIENT 0 UNSET -",
            "demo.Greeter/Count SERVER - UNSET -", "demo.Greeter/Count SERVER 0 UNSET -",
            "demo.Greeter/Fail CLIENT 5 ERROR 5", "demo.Greeter/Fail SERVER 5 UNSET -",
            "demo.Greeter/SayHello CLIENT 0 UNSET -", "demo.Greeter/SayHello SERVER 0 UNSET -",
        ])
        XCTAssertTrue(sonde.standardError.contains("resyncs 0,"), sonde.standardError)
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
        XCTAssertEqual(spans.count, 8)
    }

    func testGRPCConnectionOpenedBeforeSondeStartedIsJoinedMidStream() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let peer = Process()
        peer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        peer.arguments = ["python3", Self.grpcPeerScript, "\(port)", "--pause"]
        let input = Pipe(), output = Pipe()
        peer.standardInput = input
        peer.standardOutput = output
        try peer.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let data = output.fileHandleForReading.availableData
            XCTAssertFalse(data.isEmpty, "the gRPC peer ended before its first call")
            if data.isEmpty { return }
            printed += data
        }
        // The first call (SayHello) is over and the connection stays open: Sonde joins it mid-stream.
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])
        input.fileHandleForWriting.write(Data("go\n".utf8))
        try input.fileHandleForWriting.close()
        printed += output.fileHandleForReading.readDataToEndOfFile()
        peer.waitUntilExit()
        XCTAssertEqual(String(decoding: printed, as: UTF8.self),
                       "SayHello OK hello world\nFail NOT_FOUND no such greeting\nCount OK 1 2 3\nCount CANCELLED 1\n")

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let spans = try collector.waitForSpans(count: 6)
        XCTAssertEqual(collector.refusals(), [])
        // SayHello went by before Sonde started. Both HPACK tables are unknown: Fail's status is a literal,
        // so it is a gRPC span; Count's content types and `grpc-status: 0` are table entries from before
        // the join, left out rather than guessed, so the Count calls are plain HTTP/2 spans.
        XCTAssertEqual(spans.map(Self.callSummary).sorted(), [
            "POST /demo.Greeter/Count CLIENT - ERROR CANCEL", "POST /demo.Greeter/Count CLIENT - UNSET -",
            "POST /demo.Greeter/Count SERVER - ERROR CANCEL", "POST /demo.Greeter/Count SERVER - UNSET -",
            "demo.Greeter/Fail CLIENT 5 ERROR 5", "demo.Greeter/Fail SERVER 5 UNSET -",
        ])
        for span in spans {
            XCTAssertEqual(span.attributes["network.protocol.version"], "2")
            XCTAssertEqual(span.attributes["server.port"], "\(port)")
            XCTAssertEqual(span.attributes["http.response.status_code"], span.name == "POST" ? "200" : nil)
        }
    }

    /// `NAME [PATH ]KIND GRPC-STATUS STATUS ERROR-TYPE`, the path for spans not known as gRPC.
    static func callSummary(_ span: CollectedSpan) -> String {
        [span.name, span.attributes["url.path"], span.kind == .server ? "SERVER" : "CLIENT",
         span.attributes["rpc.grpc.status_code"] ?? "-", span.statusCode == .error ? "ERROR" : "UNSET",
         span.attributes["error.type"] ?? "-"].compactMap { $0 }.joined(separator: " ")
    }
}
