import GRDB
import SondeStore
import Testing

/// The fixture captures (Tests/Fixtures/captures/README.md) replayed into a store: every exchange is a row
/// with Pixie's columns, read back with SQL.
@Suite struct ReplayIntoStoreTests {
    @Test func httpCaptureFillsHTTPEventsAndSpans() throws {
        let (fixture, store) = try StoreFixture.filled(with: "http_ipv4.pcap")
        defer { fixture.remove() }

        let columns = ["time_", "remote_addr", "remote_port", "local_addr", "local_port", "trace_role", "encrypted",
                       "major_version", "minor_version", "req_method", "req_path", "req_headers", "req_body_size",
                       "resp_status", "resp_body_size", "latency", "service"]
        let rows = try fixture.rows("SELECT * FROM http_events ORDER BY time_", columns: columns)
        let agent = #""{\"User-Agent\":\"curl/7.88.1\"}""#
        #expect(rows == [
            #"1795253357890829000 | "127.0.0.1" | 43286 | "127.0.0.1" | 18480 | 2 | 0 | 1 | 1 | "GET" | "/index.html" | \#(agent) | NULL | 200 | 40 | 243000 | "replayed""#,
            #"1795253357891114000 | "127.0.0.1" | 43286 | "127.0.0.1" | 18480 | 2 | 0 | 1 | 1 | "GET" | "/small.txt" | \#(agent) | NULL | 200 | 17 | 46000 | "replayed""#,
            #"1795253357902138000 | "127.0.0.1" | 43292 | "127.0.0.1" | 18480 | 2 | 0 | 1 | 1 | "POST" | "/submit" | \#(agent) | 10 | 201 | 8 | 79000 | "replayed""#,
            #"1795253357913160000 | "127.0.0.1" | 43306 | "127.0.0.1" | 18480 | 2 | 0 | 1 | 1 | "GET" | "/missing" | \#(agent) | NULL | 404 | 153 | 168000 | "replayed""#,
            #"1795253357924025000 | "127.0.0.1" | 43318 | "127.0.0.1" | 18480 | 2 | 0 | 1 | 1 | "GET" | "/fail" | \#(agent) | NULL | 500 | 7 | 65000 | "replayed""#,
        ])
        #expect(try fixture.rows("SELECT name, kind, status, protocol FROM spans ORDER BY time_",
                                 columns: ["name", "kind", "status", "protocol"]) == [
            #""GET" | "server" | "unset" | "http""#, #""GET" | "server" | "unset" | "http""#,
            #""POST" | "server" | "unset" | "http""#, #""GET" | "server" | "unset" | "http""#,
            #""GET" | "server" | "error" | "http""#,
        ])
        // The span keeps, as JSON, just the attributes no column holds; `spans` shows its protocol's columns.
        #expect(try fixture.rows("SELECT http_req_path, attributes FROM spans ORDER BY time_ LIMIT 1",
                                 columns: ["http_req_path", "attributes"]) == [
            #""/index.html" | "{\"network.transport\":\"tcp\"}""#,
        ])
        #expect(try fixture.count("process") == 0)  // a capture names no process
        #expect(store.statistics.spansWritten == 5)
        #expect(store.statistics.rowsWritten == 5)
        #expect(store.statistics.spansDropped == 0)
    }

    @Test func redisCaptureFillsRedisEvents() throws {
        let (fixture, _) = try StoreFixture.filled(with: "redis.pcap")
        defer { fixture.remove() }

        let rows = try fixture.rows("SELECT * FROM redis_events ORDER BY time_",
                                    columns: ["req_cmd", "req_args", "resp", "local_port", "trace_role"])
        #expect(rows == [
            #""SET" | "[\"greeting\",\"?\"]" | "" | 16379 | 2"#,
            #""GET" | "[\"greeting\"]" | "" | 16379 | 2"#,
            #""INCR" | "[\"visits\"]" | "" | 16379 | 2"#,
            #""DEL" | "[\"greeting\"]" | "" | 16379 | 2"#,
            #""GET" | "[\"greeting\"]" | "" | 16379 | 2"#,
            #""ECHO" | "[\"?\"]" | "" | 16379 | 2"#,
            #""LPUSH" | "[\"queue\",\"?\",\"?\",\"?\"]" | "" | 16379 | 2"#,
        ])
        #expect(try fixture.count("spans WHERE protocol = 'redis'") == 7)
    }

    @Test func mariadbCaptureFillsMySQLEvents() throws {
        let (fixture, _) = try StoreFixture.filled(with: "mariadb.pcap")
        defer { fixture.remove() }

        let rows = try fixture.rows("SELECT * FROM mysql_events ORDER BY time_",
                                    columns: ["req_cmd", "req_body", "resp_status", "resp_body", "db", "local_port"])
        #expect(rows == [
            #"3 | "CREATE DATABASE shop" | 2 | "Affected rows = 1" | NULL | 13306"#,
            #"3 | "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(?))" | 2 | "Affected rows = 0" | NULL | 13306"#,
            #"3 | "INSERT INTO shop.items VALUES (?, ?), (?, ?)" | 2 | "Affected rows = 2" | NULL | 13306"#,
            #"3 | "SELECT name FROM shop.items WHERE id = ?" | 2 | "Resultset rows = 1" | NULL | 13306"#,
            #"3 | "SELECT * FROM shop.missing" | 3 | "Table \'shop.missing\' doesn\'t exist" | NULL | 13306"#,
        ])
        #expect(try fixture.count("spans WHERE protocol = 'mysql'") == 5)
    }
}
