import Foundation
import SondeExport
import SondeModel
import SondeTestSupport
import XCTest

/// The exporter against a real OTLP collector (`rotel-agent`, from `pip install rotel`).
final class OTLPExporterTests: XCTestCase {
    private let fastRetries = OTLPRetryPolicy(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200),
                                              maxElapsedTime: .seconds(60))

    func testSpansArriveWithExactNamesAttributesAndResource() throws {
        let collector = try RotelCollector.started()
        defer { collector.stop() }
        let log = LogRecorder()
        let exporter = OTLPExporter(configuration: configuration(collector), log: log.record)
        let numbered = SampleSpans.numbered(25)
        exporter.enqueue(numbered)
        exporter.enqueue([SampleSpans.serverSpan, SampleSpans.clientSpan])

        let statistics = exporter.shutdown(timeout: .seconds(20))
        XCTAssertEqual(statistics, expected(enqueued: 27, exported: 27))
        let received = try collector.waitForSpans(count: 27)
        XCTAssertEqual(received.count, 27)
        XCTAssertEqual(received.map(\.name).sorted(),
                       (numbered.map(\.name) + ["GET /index.html", "POST"]).sorted())
        XCTAssertEqual(collector.refusals(), [])
        XCTAssertEqual(log.lines, [])

        let server = try XCTUnwrap(received.first { $0.name == "GET /index.html" })
        XCTAssertEqual(server, CollectedSpan(
            name: "GET /index.html", kind: .server, traceID: "0123456789abcdef00000000000000ff",
            spanID: "00abcdef01234567", parentSpanID: "1111222233334444", statusCode: .unset,
            startTime: 1_763_716_061_123_456_789, endTime: 1_763_716_061_124_691_000,
            attributes: [
                "http.request.method": "GET", "url.path": "/index.html", "url.query": "q=1&r=\"two\"",
                "url.scheme": "http", "http.response.status_code": "200", "network.protocol.version": "1.1",
                "server.address": "127.0.0.1", "server.port": "8080", "client.address": "127.0.0.1",
                "client.port": "51234", "sonde.ratio": "0.25", "sonde.keep_alive": "true",
                "sonde.negative": "-9223372036854775808",
            ],
            attributeTypes: [
                "http.request.method": "Str", "url.path": "Str", "url.query": "Str", "url.scheme": "Str",
                "http.response.status_code": "Int", "network.protocol.version": "Str", "server.address": "Str",
                "server.port": "Int", "client.address": "Str", "client.port": "Int", "sonde.ratio": "Double",
                "sonde.keep_alive": "Bool", "sonde.negative": "Int",
            ],
            resourceAttributes: ["service.name": "nginx", "process.pid": "4242", "process.executable.name": "nginx"],
            scope: "sonde 0.1.0"))

        let client = try XCTUnwrap(received.first { $0.name == "POST" })
        XCTAssertEqual(client.kind, .client)
        XCTAssertNil(client.parentSpanID)
        XCTAssertEqual(client.statusCode, .error)
        XCTAssertEqual(client.statusMessage, "HTTP 503")
        XCTAssertEqual(client.attributes["url.path"], "/api/\u{7}tab\there\\back\"quote\nline\u{1F}end é ✓")
        XCTAssertEqual(client.resourceAttributes["service.name"], "curl")

        let tenth = try XCTUnwrap(received.first { $0.name == "span-9" })
        XCTAssertEqual(tenth.attributes, ["sonde.test.index": "9", "http.request.method": "GET"])
        XCTAssertEqual(tenth.spanID, "000000000000000a")
    }

    func testGzipBodiesAreAcceptedInBatches() throws {
        let collector = try RotelCollector.started()
        defer { collector.stop() }
        var configuration = configuration(collector)
        configuration.compression = .gzip
        configuration.maxExportBatchSize = 100
        let exporter = OTLPExporter(configuration: configuration)
        let spans = SampleSpans.numbered(300, prefix: "gzipped")
        for start in stride(from: 0, to: 300, by: 30) {
            exporter.enqueue(Array(spans[start..<start + 30]))
        }

        XCTAssertEqual(exporter.shutdown(timeout: .seconds(20)), expected(enqueued: 300, exported: 300))
        let received = try collector.waitForSpans(count: 300)
        XCTAssertEqual(Set(received.map(\.name)), Set(spans.map(\.name)))
        XCTAssertEqual(received.count, 300)
        XCTAssertEqual(collector.refusals(), [])
    }

    func testSpansQueuedWhileTheCollectorIsDownArriveOnceItStarts() throws {
        let collector = try RotelCollector(port: try TCPPort.freeLoopbackPort())
        defer { collector.stop() }
        let exporter = OTLPExporter(configuration: configuration(collector), retryPolicy: fastRetries,
                                    log: LogRecorder().record)
        exporter.enqueue(SampleSpans.numbered(10, prefix: "early"))

        try waitUntil("the exporter retried twice") { exporter.statistics.retries >= 2 }
        XCTAssertEqual(exporter.statistics.exported, 0)
        try collector.start()

        let received = try collector.waitForSpans(count: 10)
        XCTAssertEqual(received.map(\.name).sorted(), SampleSpans.numbered(10, prefix: "early").map(\.name).sorted())
        let statistics = exporter.shutdown(timeout: .seconds(10))
        XCTAssertEqual(statistics.exported, 10)
        XCTAssertGreaterThanOrEqual(statistics.retries, 2)
        XCTAssertEqual([statistics.dropped, statistics.failed, statistics.rejected, statistics.pending], [0, 0, 0, 0])
    }

    func testAFullQueueDropsAndCountsExactlyTheExcess() throws {
        let collector = try RotelCollector.started()
        defer { collector.stop() }
        var configuration = configuration(collector)
        configuration.maxQueueSize = 5
        configuration.maxExportBatchSize = 5
        configuration.scheduleDelay = .seconds(60)
        let exporter = OTLPExporter(configuration: configuration)
        exporter.enqueue(SampleSpans.numbered(12, prefix: "overflow"))

        XCTAssertEqual(exporter.shutdown(timeout: .seconds(20)), expected(enqueued: 12, exported: 5, dropped: 7))
        let received = try collector.waitForSpans(count: 5)
        XCTAssertEqual(received.map(\.name).sorted(), (0..<5).map { "overflow-\($0)" })
    }

    func testAnErrorStatusRejectsTheBatchAndLogsOneLine() throws {
        let collector = try RotelCollector.started()
        defer { collector.stop() }
        var configuration = configuration(collector)
        configuration.endpoint = "http://127.0.0.1:\(collector.port)/v1/not-traces"
        let log = LogRecorder()
        let exporter = OTLPExporter(configuration: configuration, retryPolicy: fastRetries, log: log.record)
        exporter.enqueue(SampleSpans.numbered(4))

        XCTAssertEqual(exporter.shutdown(timeout: .seconds(20)), expected(enqueued: 4, rejected: 4))
        XCTAssertEqual(log.lines, ["sonde: OTLP collector \(configuration.endpoint) rejected 4 spans with HTTP 404: "])
    }

    func testSpansStillUnsentAtTheShutdownDeadlineCountAsFailed() throws {
        let port = try TCPPort.freeLoopbackPort()
        let log = LogRecorder()
        let exporter = OTLPExporter(
            configuration: OTLPExporterConfiguration(endpoint: "http://127.0.0.1:\(port)/v1/traces"),
            log: log.record)
        exporter.enqueue(SampleSpans.numbered(3))

        let statistics = exporter.shutdown(timeout: .milliseconds(300))
        XCTAssertEqual(statistics, expected(enqueued: 3, failed: 3))
        XCTAssertEqual(log.lines.count, 1)
        XCTAssertTrue(log.lines[0].hasPrefix("sonde: OTLP export to http://127.0.0.1:\(port)/v1/traces gave up on 3 spans"),
                      log.lines[0])
        exporter.enqueue(SampleSpans.numbered(2))
        XCTAssertEqual(exporter.statistics, expected(enqueued: 5, dropped: 2, failed: 3))
    }

    private func configuration(_ collector: RotelCollector) -> OTLPExporterConfiguration {
        OTLPExporterConfiguration(endpoint: collector.tracesEndpoint, timeout: .seconds(5),
                                  scheduleDelay: .milliseconds(50))
    }

    private func expected(enqueued: Int, exported: Int = 0, dropped: Int = 0, failed: Int = 0,
                          rejected: Int = 0, retries: Int = 0) -> OTLPExporterStatistics {
        var statistics = OTLPExporterStatistics()
        statistics.enqueued = enqueued
        statistics.exported = exported
        statistics.dropped = dropped
        statistics.failed = failed
        statistics.rejected = rejected
        statistics.retries = retries
        return statistics
    }

    /// Polls `condition` until it holds, failing after a generous deadline.
    private func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestSupportError("Timed out waiting until \(what).") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}

/// The exporter against a real nginx answering retryable error statuses.
final class OTLPExporterRetryTests: XCTestCase {
    /// nginx answering `/v1/unavailable` with 503 and `Retry-After: 1`, `/v1/too-many` with 429, and logging
    /// each request's method, path, status, Content-Type, Content-Encoding and `x-tenant` header.
    static func statusServer() throws -> NginxServer {
        try NginxServer(
            port: TCPPort.freeLoopbackPort(),
            extraLocations: """
                location = /v1/unavailable { add_header Retry-After 1 always; return 503; }
                location = /v1/too-many { return 429; }
                """,
            accessLogFormat: #"$request_method $uri $status "$content_type" "$http_content_encoding" "$http_x_tenant""#)
    }

    func testRetryAfterIsHonouredAndTheBatchFailsWhenRetriesRunOut() throws {
        let nginx = try Self.statusServer()
        defer { nginx.stop() }
        // Backoff alone would retry every 25-50 ms; Retry-After: 1 allows exactly one retry in 1.5 s.
        let policy = OTLPRetryPolicy(initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(50),
                                     maxElapsedTime: .milliseconds(1500))
        let configuration = OTLPExporterConfiguration(
            endpoint: nginx.url("/v1/unavailable"), headers: ["x-tenant": "blue team"], compression: .gzip,
            scheduleDelay: .milliseconds(10))
        let log = LogRecorder()
        let exporter = OTLPExporter(configuration: configuration, retryPolicy: policy, log: log.record)
        exporter.enqueue(SampleSpans.numbered(3))

        let statistics = exporter.shutdown(timeout: .seconds(20))
        XCTAssertEqual([statistics.enqueued, statistics.failed, statistics.retries, statistics.exported],
                       [3, 3, 1, 0])
        let request = "POST /v1/unavailable 503 \"application/json\" \"gzip\" \"blue team\""
        XCTAssertEqual(nginx.accessLog(waitingFor: 2), [request, request])
        XCTAssertEqual(log.lines, ["sonde: OTLP export to \(configuration.endpoint) gave up on 3 spans: "
                                   + "HTTP 503, still failing after 2 attempts."])
    }

    func testTooManyRequestsIsRetriedWithBackoff() throws {
        let nginx = try Self.statusServer()
        defer { nginx.stop() }
        let policy = OTLPRetryPolicy(initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(40),
                                     maxElapsedTime: .milliseconds(400))
        let exporter = OTLPExporter(
            configuration: OTLPExporterConfiguration(endpoint: nginx.url("/v1/too-many"), scheduleDelay: .milliseconds(10)),
            retryPolicy: policy, log: LogRecorder().record)
        exporter.enqueue(SampleSpans.numbered(2))

        let statistics = exporter.shutdown(timeout: .seconds(20))
        XCTAssertEqual([statistics.failed, statistics.exported, statistics.rejected], [2, 0, 0])
        XCTAssertGreaterThanOrEqual(statistics.retries, 2)
        XCTAssertEqual(nginx.accessLog(waitingFor: statistics.retries + 1).count, statistics.retries + 1)
        XCTAssertEqual(Set(nginx.accessLog()), ["POST /v1/too-many 429 \"application/json\" \"-\" \"-\""])
    }
}
