import SondeQuery
import SondeStore
import Testing

/// Each bundled script's exact result on a small fixed store.
@Suite struct BundledScriptTests {
    static let millisecond: Int64 = 1_000_000

    static func httpStore() throws -> TestStore {
        let store = try TestStore()
        let ms = millisecond
        try store.insert([
            .init(secondsAgo: 50, path: "/a", status: 200, latency: 2 * ms, requestBytes: 10, responseBytes: 100),
            .init(secondsAgo: 40, path: "/a", status: 500, latency: 3 * ms, requestBytes: 10, responseBytes: 200),
            .init(secondsAgo: 30, path: "/a", status: 200, latency: 1 * ms, requestBytes: 10, responseBytes: 300),
            .init(secondsAgo: 20, method: "PUT", path: "/b", status: 404, latency: 5 * ms, responseBytes: 7),
            .init(secondsAgo: 10, service: "web", path: "/a", status: 200, latency: 6 * ms, requestBytes: 10, responseBytes: 1),
            .init(secondsAgo: 5, service: "web", path: "/a", status: 201, latency: 4 * ms, requestBytes: 10, responseBytes: 2),
            .init(secondsAgo: 600, path: "/a", status: 500, latency: 9 * ms),
        ])
        return store
    }

    @Test func listsFourScripts() {
        #expect(BundledScript.all.map(\.name) == ["http_data", "http_request_stats", "mysql_stats", "redis_data"])
    }

    @Test func httpRequestStats() throws {
        let tables = try Self.httpStore().run(BundledScript.named("http_request_stats")!.text)
        #expect(tables.map(\.name) == ["http_request_stats"])
        #expect(tables[0].columns.map(\.name) == ["service", "req_path", "requests", "req_bytes", "resp_bytes", "error_rate",
                                                  "latency_p50", "latency_p90", "latency_p99"])
        #expect(tables[0].columns.map(\.type.rawValue) == ["string", "string", "int64", "int64", "int64", "float64",
                                                            "duration", "duration", "duration"])
        let ms = Double(Self.millisecond)
        #expect(tables[0].rows == [
            [.text("api"), .text("/a"), .integer(3), .integer(30), .integer(600), .real(1.0 / 3.0), .real(2 * ms), .real(3 * ms), .real(3 * ms)],
            [.text("api"), .text("/b"), .integer(1), .integer(0), .integer(7), .real(1), .real(5 * ms), .real(5 * ms), .real(5 * ms)],
            [.text("web"), .text("/a"), .integer(2), .integer(20), .integer(3), .real(0), .real(4 * ms), .real(6 * ms), .real(6 * ms)],
        ])
    }

    @Test func httpData() throws {
        let tables = try Self.httpStore().run(BundledScript.named("http_data")!.text)
        #expect(tables[0].columns.map(\.name) == ["time_", "service", "remote_addr", "remote_port", "req_method", "req_path",
                                                  "resp_status", "latency", "req_body_size", "resp_body_size"])
        let second: Int64 = 1_000_000_000
        #expect(tables[0].rows.map { $0[0] } == [5, 10, 20, 30, 40, 50].map { .integer(TestStore.now - $0 * second) })
        #expect(tables[0].rows[2] == [.integer(TestStore.now - 20 * second), .text("api"), .text("10.0.0.2"), .integer(40000),
                                      .text("PUT"), .text("/b"), .integer(404), .integer(5 * Self.millisecond), .integer(0), .integer(7)])
    }

    @Test func mysqlStats() throws {
        let store = try TestStore()
        let rows: [(Int64, String, String, Int64, Int64)] = [
            (10, "shop", "SELECT * FROM items WHERE id = ?", 2, 300), (20, "shop", "SELECT * FROM items WHERE id = ?", 2, 100),
            (30, "shop", "SELECT * FROM items WHERE id = ?", 3, 200), (40, "shop", "INSERT INTO orders VALUES (?)", 2, 900),
            (50, "admin", "SELECT * FROM items WHERE id = ?", 2, 50), (900, "shop", "DELETE FROM orders", 2, 1),
        ]
        for (secondsAgo, service, statement, status, latency) in rows {
            try store.execute("INSERT INTO \(StoreSchema.spans.partition(0)) (time_, service, protocol, mysql_req_cmd, mysql_req_body, mysql_resp_status, latency) VALUES (?, ?, 'mysql', 3, ?, ?, ?)",
                              [TestStore.now - secondsAgo * 1_000_000_000, service, statement, status, latency])
        }
        let tables = try store.run(BundledScript.named("mysql_stats")!.text)
        #expect(tables[0].columns.map(\.name) == ["service", "req_body", "count", "errors", "latency_p50", "latency_p99"])
        #expect(tables[0].rows == [
            [.text("admin"), .text("SELECT * FROM items WHERE id = ?"), .integer(1), .integer(0), .real(50), .real(50)],
            [.text("shop"), .text("INSERT INTO orders VALUES (?)"), .integer(1), .integer(0), .real(900), .real(900)],
            [.text("shop"), .text("SELECT * FROM items WHERE id = ?"), .integer(3), .integer(1), .real(200), .real(300)],
        ])
    }

    @Test func redisData() throws {
        let store = try TestStore()
        for (secondsAgo, command, reply) in [(3, "GET", "\"v\""), (2, "SET", "OK"), (1, "DEL", "1"), (700, "PING", "PONG")] as [(Int64, String, String)] {
            try store.execute("""
                INSERT INTO \(StoreSchema.spans.partition(0)) (time_, service, protocol, remote_addr, remote_port, redis_req_cmd,
                  redis_req_args, redis_resp, latency)
                VALUES (?, 'cache-client', 'redis', '127.0.0.1', 6379, ?, '["?"]', ?, ?)
                """, [TestStore.now - secondsAgo * 1_000_000_000, command, reply, secondsAgo * 1000])
        }
        let tables = try store.run(BundledScript.named("redis_data")!.text)
        #expect(tables[0].columns.map(\.name) == ["time_", "service", "remote_addr", "remote_port", "req_cmd", "req_args", "resp", "latency"])
        #expect(tables[0].rows.map { [$0[4], $0[6], $0[7]] } == [
            [.text("DEL"), .text("1"), .integer(1000)], [.text("SET"), .text("OK"), .integer(2000)],
            [.text("GET"), .text("\"v\""), .integer(3000)],
        ])
    }
}
