import Foundation
import GRDB
import SondeTestSupport
import XCTest

/// `sonde run --store` traces real servers and clients, as root, into a store file: exact rows in the
/// protocol tables, `spans` and `process`; a SIGKILL after a flush leaves those rows readable.
final class StoreEndToEndTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-e2e-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `sonde run --store` into a new file of this test's directory, selecting `port`.
    private func startSonde(port: Int) throws -> (store: String, sonde: SondeProcess) {
        let store = directory.appendingPathComponent("spans.db").path
        return (store, try SondeProcess(arguments: ["run", "--store", store, "--port", "\(port)"]))
    }

    private func rows(_ path: String, _ sql: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { "\($0)" }.joined(separator: " | ")
            }
        }
    }

    func testNginxAndCurlFillHTTPEventsSpansAndProcess() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let (store, sonde) = try startSonde(port: port)
        try Curl.run(["-o", "/dev/null", "-o", "/dev/null", "http://127.0.0.1:\(port)/index.html",
                      "http://127.0.0.1:\(port)/missing"])
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        XCTAssertTrue(sonde.standardError.contains("sonde: store \(store): 6 rows written (4 spans)"),
                      sonde.standardError)

        XCTAssertEqual(try rows(store, """
            SELECT trace_role, req_method, req_path, resp_status, major_version, minor_version,
                   CASE trace_role WHEN 2 THEN local_port ELSE remote_port END = \(port), encrypted
            FROM http_events ORDER BY trace_role, time_
            """), [
            #"1 | "GET" | "/index.html" | 200 | 1 | 1 | 1 | 0"#, #"1 | "GET" | "/missing" | 404 | 1 | 1 | 1 | 0"#,
            #"2 | "GET" | "/index.html" | 200 | 1 | 1 | 1 | 0"#, #"2 | "GET" | "/missing" | 404 | 1 | 1 | 1 | 0"#,
        ])
        XCTAssertEqual(try rows(store, "SELECT kind, name, status, protocol, service FROM spans ORDER BY kind, time_"), [
            #""client" | "GET" | "unset" | "http" | "curl""#, #""client" | "GET" | "error" | "http" | "curl""#,
            #""server" | "GET" | "unset" | "http" | "nginx""#, #""server" | "GET" | "unset" | "http" | "nginx""#,
        ])
        // Each process once, named, its upid its pid and a start time; every event row joins its process.
        XCTAssertEqual(try rows(store, """
            SELECT name, upid LIKE pid || ':%' AND upid NOT LIKE '%:0', container_id FROM process ORDER BY name
            """), [#""curl" | 1 | """#, #""nginx" | 1 | """#])
        XCTAssertEqual(try rows(store, "SELECT count(*) FROM http_events JOIN process USING (upid)"), ["4"])
    }

    /// `sonde query` run again and again while the tracer writes: every run succeeds, and the bundled
    /// `http_request_stats` over the live store gives exact counts, error rates and latency quantiles,
    /// checked against nearest ranks computed here from the stored latencies.
    func testQueriesWhileTracingSeeEveryRequestWithExactStatistics() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let (store, sonde) = try startSonde(port: port)
        let requests = [("/index.html", 12), ("/small.txt", 6), ("/missing", 4)]
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var queryRuns = 0
        nonisolated(unsafe) var queryFailures: [String] = []
        DispatchQueue.global().async {
            defer { finished.signal() }
            for _ in 0..<10 {
                do {
                    _ = try ChildProcess.run(SondeProcess.executableURL.path,
                                             ["query", "--store", store, "--format", "csv", "--script", "http_data"])
                    queryRuns += 1
                } catch {
                    queryFailures.append("\(error)")
                }
            }
        }
        for (path, count) in requests {
            for _ in 0..<count { try Curl.run(["-o", "/dev/null", "http://127.0.0.1:\(port)\(path)"]) }
        }
        finished.wait()
        XCTAssertEqual(queryFailures, [])
        XCTAssertEqual(queryRuns, 10)
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let output = try ChildProcess.run(SondeProcess.executableURL.path,
                                          ["query", "--store", store, "--format", "json", "--script", "http_request_stats"])
        let table = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(table["rows"] as? [[String: Any]])
        var expected: [String] = []
        for service in ["curl", "nginx"] {
            for (path, count) in requests.sorted(by: { $0.0 < $1.0 }) {
                let latencies = try self.rows(store, """
                    SELECT latency FROM http_events WHERE service = '\(service)' AND req_path = '\(path)' ORDER BY latency
                    """).map { Int64($0)! }
                XCTAssertEqual(latencies.count, count, "\(service) \(path)")
                let rank = { (q: Double) in latencies[Int((q * Double(latencies.count)).rounded(.up)) - 1] }
                let errorRate = path == "/missing" ? 1.0 : 0.0
                expected.append("\(service) \(path) \(count) \(errorRate) \(rank(0.5)) \(rank(0.9)) \(rank(0.99))")
            }
        }
        let got = rows.map { row in
            ["service", "req_path", "requests", "error_rate", "latency_p50", "latency_p90", "latency_p99"].map { key in
                (row[key] as? NSNumber).map { key == "error_rate" ? "\($0.doubleValue)" : "\($0.int64Value)" }
                    ?? (row[key] as? String ?? "-")
            }.joined(separator: " ")
        }
        XCTAssertEqual(got, expected)
    }

    func testRedisCliFillsRedisEvents() throws {
        let port = try TCPPort.freeLoopbackPort()
        let redis = try RedisServer(port: port)
        defer { redis.stop() }
        let (store, sonde) = try startSonde(port: port)
        try redis.cli("SET", "greeting", "hello")
        try redis.cli("GET", "greeting")
        try redis.cli("LPUSH", "greeting", "x")
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        XCTAssertEqual(try rows(store, "SELECT trace_role, req_cmd, req_args, resp FROM redis_events ORDER BY trace_role, time_"), [
            #"1 | "SET" | "[\"greeting\",\"?\"]" | """#, #"1 | "GET" | "[\"greeting\"]" | """#,
            #"1 | "LPUSH" | "[\"greeting\",\"?\"]" | "WRONGTYPE Operation against a key holding the wrong kind of value""#,
            #"2 | "SET" | "[\"greeting\",\"?\"]" | """#, #"2 | "GET" | "[\"greeting\"]" | """#,
            #"2 | "LPUSH" | "[\"greeting\",\"?\"]" | "WRONGTYPE Operation against a key holding the wrong kind of value""#,
        ])
        // Three redis-cli processes (one per command), one redis-server.
        XCTAssertEqual(try rows(store, "SELECT name, count(DISTINCT upid) FROM process GROUP BY name ORDER BY name"),
                       [#""redis-cli" | 3"#, #""redis-server" | 1"#])
        XCTAssertEqual(try rows(store, "SELECT count(*) FROM spans WHERE protocol = 'redis'"), ["6"])
    }

    func testAKilledTracerLeavesItsFlushedRowsReadable() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port)
        defer { nginx.stop() }
        let (store, sonde) = try startSonde(port: port)
        try Curl.run(["-o", "/dev/null", "http://127.0.0.1:\(port)/small.txt"])
        // Wait for the flush (within a few 250 ms intervals), then crash.
        let deadline = Date(timeIntervalSinceNow: 20)
        while try (rows(store, "SELECT count(*) FROM http_events").first ?? "0") != "2", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        sonde.kill()
        XCTAssertFalse(sonde.standardError.contains("sonde: stopped"), sonde.standardError)

        XCTAssertEqual(try rows(store, "PRAGMA integrity_check"), [#""ok""#])
        XCTAssertEqual(try rows(store, "SELECT trace_role, req_path, resp_status FROM http_events ORDER BY trace_role"),
                       [#"1 | "/small.txt" | 200"#, #"2 | "/small.txt" | 200"#])
        XCTAssertEqual(try rows(store, "SELECT count(*) FROM spans"), ["2"])
    }
}
