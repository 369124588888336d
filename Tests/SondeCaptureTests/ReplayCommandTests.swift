import Foundation
import SondeTestSupport
import Testing

/// `sonde replay` as a user runs it (no root): its lines on stdout, its summary and errors on stderr,
/// its exit status.
@Suite struct ReplayCommandTests {
    private func sonde(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = try SondeProcess(arguments: ["replay"] + arguments, environment: environment, waitForTracing: false)
        let status = process.waitForExit()
        return (status, process.standardOutput, process.standardError)
    }

    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-replay-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private let ipv4 = CaptureFixture.directory.appendingPathComponent("http_ipv4.pcap").path
    private let ipv4Lines = [
        "2026-11-21T09:29:17.890Z      243µs HTTP/1.1 SERVER GET /index.html 200 unknown_service 127.0.0.1:43286 -> 127.0.0.1:18480",
        "2026-11-21T09:29:17.891Z       46µs HTTP/1.1 SERVER GET /small.txt 200 unknown_service 127.0.0.1:43286 -> 127.0.0.1:18480",
        "2026-11-21T09:29:17.902Z       79µs HTTP/1.1 SERVER POST /submit 201 unknown_service 127.0.0.1:43292 -> 127.0.0.1:18480",
        "2026-11-21T09:29:17.912Z      168µs HTTP/1.1 SERVER GET /missing 404 unknown_service 127.0.0.1:43306 -> 127.0.0.1:18480",
        "2026-11-21T09:29:17.923Z       65µs HTTP/1.1 SERVER GET /fail 500 unknown_service 127.0.0.1:43318 -> 127.0.0.1:18480",
    ]

    @Test func printsOneLinePerSpanAndASummary() throws {
        let (status, output, errors) = try sonde([ipv4], environment: ["OTEL_SERVICE_NAME": ""])
        #expect(status == 0)
        #expect(output.split(separator: "\n").map(String.init) == ipv4Lines)
        #expect(errors == "sonde: replayed \(ipv4): 42 packets (0 skipped, not TCP), 4 TCP streams, 5 spans (http 5), "
                + "gaps 0, resyncs 0, unrecognised connections 0\n")
    }

    @Test func jsonIsOneExportRequestWithACaptureResource() throws {
        let (status, output, _) = try sonde(["--format", "json", "--service-name", "shop", ipv4])
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 1)
        let request = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let resourceSpans = try #require(request["resourceSpans"] as? [[String: Any]])
        let resource = try #require(resourceSpans.first?["resource"] as? [String: Any])
        let attributes = try #require(resource["attributes"] as? [[String: Any]])
        #expect(attributes.compactMap { $0["key"] as? String } == ["service.name", "telemetry.distro.name", "telemetry.distro.version"])
        #expect((attributes.first?["value"] as? [String: Any])?["stringValue"] as? String == "shop")
        let scopeSpans = try #require(resourceSpans.first?["scopeSpans"] as? [[String: Any]])
        let spans = try #require(scopeSpans.first?["spans"] as? [[String: Any]])
        #expect(spans.compactMap { $0["name"] as? String } == ["GET", "GET", "POST", "GET", "GET"])
        #expect(spans.first?["startTimeUnixNano"] as? String == "1795253357890586000")
    }

    @Test func aFileThatIsNotACaptureIsOneSentenceAndAFailure() throws {
        let path = try temporaryFile(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output, errors) = try sonde([path])
        #expect(status == 1)
        #expect(output.isEmpty)
        #expect(errors == "sonde: \(path) is not a pcap or pcapng capture "
                + "(it starts with neither a pcap magic number nor a pcapng section header)\n")
        let empty = try temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try sonde([empty]).2 == "sonde: \(empty) is not a pcap or pcapng capture (the file is empty)\n")
        #expect(try sonde(["/nonexistent/capture.pcap"]).0 == 1)
    }

    @Test func aTruncatedFilePrintsWhatWasReadThenFails() throws {
        let bytes = try CaptureFixture.bytes("http_ipv4.pcap")
        let path = try temporaryFile(Array(bytes[..<(bytes.count - 10)]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output, errors) = try sonde([path])
        #expect(status == 1)
        #expect(output.split(separator: "\n").map(String.init) == ipv4Lines)
        #expect(errors.hasSuffix("sonde: \(path) is truncated: it ends inside the record at byte 5132, after 41 complete "
                                 + "packets; the spans above come from the packets before it\n"))
    }

    @Test func exportWithoutAnEndpointIsOneSentenceAndAFailure() throws {
        let (status, output, errors) = try sonde(["--export", ipv4], environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "",
        ])
        #expect(status == 1)
        #expect(output.isEmpty)
        #expect(errors == "sonde: --export needs OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.\n")
    }
}
