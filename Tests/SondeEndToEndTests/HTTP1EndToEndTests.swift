import Foundation
import SondeModel
import SondeTestSupport
import XCTest

/// Sonde traces real nginx and curl from the kernel, as root, and every expected span arrives at a real
/// OTLP collector (rotel) with exact attributes — and no other span does.
final class HTTP1EndToEndTests: XCTestCase {
    /// One request of the traffic below and what both ends must report for it.
    struct Expected: Hashable, Comparable, CustomStringConvertible {
        var kind: Span.Kind
        var method: String
        var path: String
        var status: Int

        static func < (a: Expected, b: Expected) -> Bool { a.description < b.description }
        var description: String { "\(kind == .server ? "SERVER" : "CLIENT") \(method) \(path) \(status)" }
    }

    func testServerAndClientSpansArriveAtTheCollectorWithExactAttributes() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])

        let base = "http://127.0.0.1:\(port)"
        // Keep-alive: three requests on one connection.
        try Curl.run(["-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                      "\(base)/index.html", "\(base)/small.txt", "\(base)/index.html"])
        let body = String(repeating: "0123456789", count: 500)
        try Curl.run(["-o", "/dev/null", "--data-binary", body, "\(base)/submit"])
        try Curl.run(["-o", "/dev/null", "\(base)/missing"])
        try Curl.run(["-o", "/dev/null", "-I", "\(base)/index.html"])
        let gzipped = try Curl.run(["-o", "/dev/null", "-H", "Accept-Encoding: gzip", "-w", "%{size_download}",
                                    "\(base)/text.txt"])
        try Curl.run(["-o", "/dev/null", "\(base)/big.bin"])
        try Curl.run(["-o", "/dev/null", "-0", "\(base)/small.txt"])
        try Curl.run(["-o", "/dev/null", "\(base)/fail"])
        // Pipelining: two requests written in one send by this test process.
        let pipelined = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n"
            + "GET /small.txt HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        let answer = try TCPPort.exchange(port: port, sending: Array(pipelined.utf8))
        XCTAssertEqual(String(decoding: answer, as: UTF8.self).components(separatedBy: "HTTP/1.1 200 OK").count, 3)

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let requests: [(String, String, Int)] = [
            ("GET", "/index.html", 200), ("GET", "/small.txt", 200), ("GET", "/index.html", 200),
            ("POST", "/submit", 201), ("GET", "/missing", 404), ("HEAD", "/index.html", 200),
            ("GET", "/text.txt", 200), ("GET", "/big.bin", 200), ("GET", "/small.txt", 200),
            ("GET", "/fail", 500), ("GET", "/index.html", 200), ("GET", "/small.txt", 200),
        ]
        let expected = requests.flatMap { method, path, status in
            [Span.Kind.server, .client].map { Expected(kind: $0, method: method, path: path, status: status) }
        }.sorted()
        let spans = try collector.waitForSpans(count: expected.count)
        XCTAssertEqual(collector.refusals(), [])
        XCTAssertEqual(spans.map(Self.summary).sorted(), expected)

        let server = spans.filter { $0.kind == .server }
        let client = spans.filter { $0.kind == .client }
        for span in server {
            XCTAssertEqual(span.resourceAttributes["process.executable.name"], "nginx")
            XCTAssertEqual(span.resourceAttributes["service.name"], "nginx")
            XCTAssertEqual(span.attributes["server.port"], "\(port)")
            XCTAssertEqual(span.attributes["client.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["url.scheme"], "http")
            XCTAssertEqual(span.name, span.attributes["http.request.method"])
        }
        for span in client where span.resourceAttributes["process.executable.name"] == "curl" {
            XCTAssertEqual(span.attributes["url.full"], "\(base)\(span.attributes["url.path"] ?? "")")
            XCTAssertEqual(span.attributes["server.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["server.port"], "\(port)")
        }
        XCTAssertEqual(client.filter { $0.resourceAttributes["process.executable.name"] == "curl" }.count, 10)

        // Body sizes are the real ones, also where the capture was truncated (big.bin went by sendfile).
        for span in spans where ["/index.html", "/small.txt", "/big.bin"].contains(span.attributes["url.path"])
            && span.attributes["http.request.method"] == "GET" {
            let size = NginxServer.files[span.attributes["url.path"]!]!
            XCTAssertEqual(span.attributes["http.response.body.size"], "\(size)", "\(span.name) \(span.attributes)")
        }
        for span in spans where span.attributes["url.path"] == "/text.txt" {
            XCTAssertEqual(span.attributes["http.response.body.size"], gzipped, "chunked gzip body, framing excluded")
        }
        for span in spans where span.attributes["http.request.method"] == "POST" {
            XCTAssertEqual(span.attributes["http.request.body.size"], "5000")
        }
        for span in spans where span.attributes["http.request.method"] == "HEAD" {
            XCTAssertNil(span.attributes["http.response.body.size"])
        }
        let versions = Dictionary(grouping: spans, by: { $0.attributes["network.protocol.version"] ?? "none" })
            .mapValues(\.count)
        XCTAssertEqual(versions, ["1.1": 22, "1.0": 2])

        // Status: 5xx is an error on both sides; 4xx only for the client.
        for span in spans {
            let status = Int(span.attributes["http.response.status_code"] ?? "") ?? 0
            let isError = status >= 500 || (status >= 400 && span.kind == .client)
            XCTAssertEqual(span.statusCode, isError ? .error : .unset, "\(span.kind.map { "\($0)" } ?? "") \(status)")
            XCTAssertEqual(span.attributes["error.type"], isError ? "\(status)" : nil)
        }

        // The three keep-alive requests share one connection; so do the two pipelined ones.
        let ports = Dictionary(grouping: server, by: { $0.attributes["client.port"] ?? "" }).mapValues {
            $0.sorted { $0.startTime < $1.startTime }.map { $0.attributes["url.path"] ?? "" }
        }
        XCTAssertTrue(ports.values.contains(["/index.html", "/small.txt", "/index.html"]), "\(ports)")
        XCTAssertTrue(ports.values.contains(["/index.html", "/small.txt"]), "\(ports)")

        // Client and server views of one request (matched by connection and order): the server span lies
        // within the client's.
        let byConnection = { (spans: [CollectedSpan], port: String) in
            Dictionary(grouping: spans, by: { $0.attributes[port] ?? "" }).mapValues { $0.sorted { $0.startTime < $1.startTime } }
        }
        let clientViews = byConnection(client, "network.local.port")
        for (connection, serverViews) in byConnection(server, "client.port") {
            let views = try XCTUnwrap(clientViews[connection], "no client spans for client port \(connection)")
            XCTAssertEqual(views.map { $0.attributes["url.path"] }, serverViews.map { $0.attributes["url.path"] })
            for (clientView, serverView) in zip(views, serverViews) {
                XCTAssertLessThanOrEqual(clientView.startTime, serverView.startTime)
                XCTAssertGreaterThanOrEqual(clientView.endTime, serverView.endTime)
            }
        }
    }

    func testTheCollectorReceivingSondesOwnExportsIsNotTraced() throws {
        let collector = try RotelCollector.started()
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(collector.port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "100"])
        try Curl.run(["-o", "/dev/null", "-H", "Content-Type: application/json", "-d", "{}",
                      "http://127.0.0.1:\(collector.port)/v1/traces"])
        try collector.waitForSpans(count: 2)
        // Many export intervals: were the collector's side of each export traced, every export would
        // bring a new span to export, forever.
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        XCTAssertEqual(try collector.waitForSpans(count: 2).map(Self.summary).sorted(), [
            Expected(kind: .client, method: "POST", path: "/v1/traces", status: 400),
            Expected(kind: .server, method: "POST", path: "/v1/traces", status: 400),
        ])
    }

    func testPrintFiltersByExecutableAndWritesOTLPJSONLines() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--exe", "nginx", "--port", "\(port)"])
        try Curl.run(["-o", "/dev/null", "-H", "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                      "http://127.0.0.1:\(port)/small.txt?lang=en"])
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let spans = try Self.printedSpans(sonde.standardOutput)
        XCTAssertEqual(spans.count, 1, sonde.standardOutput)
        let span = try XCTUnwrap(spans.first)
        XCTAssertEqual(span["kind"] as? Int, 2)
        XCTAssertEqual(span["name"] as? String, "GET")
        XCTAssertEqual(span["traceId"] as? String, "0af7651916cd43dd8448eb211c80319c")
        XCTAssertEqual(span["parentSpanId"] as? String, "b7ad6b7169203331")
        let attributes = Dictionary(uniqueKeysWithValues: (span["attributes"] as? [[String: Any]] ?? []).map {
            ($0["key"] as? String ?? "", ($0["value"] as? [String: Any])?.values.first.map { "\($0)" } ?? "")
        })
        XCTAssertEqual(attributes["url.path"], "/small.txt")
        XCTAssertEqual(attributes["url.query"], "lang=en")
        XCTAssertEqual(attributes["http.response.status_code"], "200")
    }

    func testRandomBytesNeitherCrashSondeNorDisturbOtherConnections() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--exe", "nginx", "--port", "\(port)"])
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<20 {
            let garbage = (0..<Int.random(in: 1...4000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try TCPPort.exchange(port: port, sending: garbage)
        }
        try Curl.run(["-o", "/dev/null", "http://127.0.0.1:\(port)/index.html"])
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let names = sonde.standardOutput.split(separator: "\n").map { line in
            line.contains("\"stringValue\":\"/index.html\"") && line.contains("\"name\":\"GET\"")
        }
        XCTAssertEqual(names, [true], sonde.standardOutput)
    }

    func testWithoutPrivilegesSondeSaysSoInOneSentenceAndFails() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                             SondeProcess.executableURL.path, "run"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertEqual(message.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, message)
        XCTAssertTrue(message.contains("needs root (or CAP_BPF and CAP_PERFMON)"), message)
    }

    func testAWrongFlagGetsOnePlainSentenceAndAUsageExit() throws {
        let sonde = try SondeProcess(arguments: ["run", "--probe-mode", "fentry"], waitForTracing: false)
        XCTAssertEqual(sonde.waitForExit(), 64)
        XCTAssertTrue(sonde.standardError.contains("fentry"), sonde.standardError)
    }

    func testDoctorReportsEveryFeatureAndTheAttachModeItWillUse() throws {
        let sonde = try SondeProcess(arguments: ["doctor"], waitForTracing: false)
        XCTAssertEqual(sonde.waitForExit(), 0, sonde.standardOutput)
        let lines = sonde.standardOutput.split(separator: "\n").map(String.init)
        for feature in ["kernel", "privileges", "BTF", "ring buffer", "tracepoints", "kprobes", "uprobes"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(feature + " ") && ($0.contains(" yes ") || $0.contains(" no ")) },
                          "\(feature) missing: \(sonde.standardOutput)")
        }
        let kprobes = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe/type")
        XCTAssertTrue(lines.contains { $0.hasPrefix("kprobes") && $0.contains(kprobes ? "uses kprobes" : "uses syscall tracepoints") })
        XCTAssertEqual(lines.last, "sonde can trace this host.")
    }

    func testProbeModeIsNamedWhenTracingStarts() throws {
        let kprobes = FileManager.default.fileExists(atPath: "/sys/bus/event_source/devices/kprobe/type")
        let sonde = try SondeProcess(arguments: ["print", "--port", "1"])
        XCTAssertEqual(sonde.stop(), 0)
        let line = sonde.standardError.split(separator: "\n").first { $0.hasPrefix("sonde: tracing") }
        XCTAssertNotNil(line)
        XCTAssertTrue(line?.contains(kprobes ? "kprobes" : "syscall tracepoints") ?? false, sonde.standardError)

        // Asking for kprobes where there are none is refused in one sentence; where they exist, they work.
        let forced = try SondeProcess(arguments: ["print", "--port", "1", "--probe-mode", "kprobe"], waitForTracing: kprobes)
        if kprobes {
            XCTAssertEqual(forced.stop(), 0)
            XCTAssertTrue(forced.standardError.contains("sonde: tracing with kprobes"), forced.standardError)
        } else {
            XCTAssertNotEqual(forced.waitForExit(), 0)
            XCTAssertTrue(forced.standardError.contains("this kernel has no kprobes"), forced.standardError)
        }
    }

    func testAConnectionOpenedBeforeSondeStartedIsTracedFromItsNextRequest() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let connection = try TCPPort.open(port: port)
        let host = "Host: 127.0.0.1:\(port)\r\n\r\n"
        XCTAssertTrue(try connection.exchange("GET /small.txt HTTP/1.1\r\n\(host)").hasSuffix("small file\n\n"))
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--port", "\(port)"])
        XCTAssertTrue(try connection.exchange("GET /index.html HTTP/1.1\r\n\(host)").hasSuffix("</h1>\n\n"))
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let spans = try Self.printedSpans(sonde.standardOutput)
        XCTAssertEqual(spans.map { "\($0["kind"] ?? "") \($0["name"] ?? "")" }.sorted(), ["2 GET", "3 GET"], sonde.standardOutput)
        XCTAssertTrue(sonde.standardOutput.contains(#"{"key":"url.path","value":{"stringValue":"/index.html"}}"#))
        XCTAssertFalse(sonde.standardOutput.contains("/small.txt"))
    }

    func testIPv6ConnectionsAreTracedWithTheirAddresses() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--port", "\(port)"])
        try Curl.run(["-o", "/dev/null", "-g", "http://[::1]:\(port)/small.txt"])
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let spans = try Self.printedSpans(sonde.standardOutput)
        let addresses = spans.map { span in
            let attributes = Dictionary(uniqueKeysWithValues: (span["attributes"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", ($0["value"] as? [String: Any])?.values.first.map { "\($0)" } ?? "")
            })
            return "\(span["kind"] ?? "") \(attributes["network.peer.address"] ?? "-") \(attributes["url.full"] ?? attributes["client.address"] ?? "-")"
        }
        XCTAssertEqual(addresses.sorted(), ["2 ::1 ::1", "3 ::1 http://[::1]:\(port)/small.txt"], sonde.standardOutput)
    }

    /// The spans of `sonde print --format json` output: one ExportTraceServiceRequest per line.
    static func printedSpans(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").flatMap { line -> [[String: Any]] in
            let request = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let resourceSpans = try XCTUnwrap(request["resourceSpans"] as? [[String: Any]])
            return resourceSpans.flatMap { ($0["scopeSpans"] as? [[String: Any]] ?? []).flatMap { $0["spans"] as? [[String: Any]] ?? [] } }
        }
    }

    static func summary(_ span: CollectedSpan) -> Expected {
        Expected(kind: span.kind ?? .internal, method: span.attributes["http.request.method"] ?? "?",
                 path: span.attributes["url.path"] ?? "?",
                 status: Int(span.attributes["http.response.status_code"] ?? "") ?? 0)
    }
}
