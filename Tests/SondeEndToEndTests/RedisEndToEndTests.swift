import Foundation
import SondeModel
import SondeTestSupport
import XCTest

/// Sonde traces a real redis-server and its real clients (redis-cli, redis-benchmark, and this test
/// speaking RESP on raw sockets) from the kernel, as root; every expected span arrives at a real OTLP
/// collector (rotel) with exact attributes, and no other span does.
final class RedisEndToEndTests: XCTestCase {
    /// What is compared of every span: kind, name, query text, database, error code.
    private static func summary(_ span: CollectedSpan) -> String {
        let kind = span.kind.map { "\($0)".uppercased() } ?? "?"
        let attributes = span.attributes
        return [kind, span.name, attributes["db.query.text"] ?? "-", "db=\(attributes["db.namespace"] ?? "-")",
                attributes["db.response.status_code"] ?? "ok"].joined(separator: " | ")
    }

    /// Each command seen from both ends: the client's CLIENT span and redis-server's SERVER span.
    private static func bothEnds(_ name: String, _ query: String, db: String = "0", error: String = "ok") -> [String] {
        ["CLIENT", "SERVER"].map { [$0, name, query, "db=\(db)", error].joined(separator: " | ") }
    }

    func testRedisCliRawSocketsRESP3AndPubSubArriveWithExactAttributes() throws {
        let setup = try TracedServer(start: RedisServer.init(port:))
        let redis = setup.server
        var expected: [String] = []

        try redis.cli("SET", "greeting", "hello")
        try redis.cli("HSET", "user:1", "name", "ada", "lang", "swift")
        try redis.cli("HGETALL", "user:1")
        try redis.cli("LPUSH", "list", "a", "b")
        try redis.cli("LRANGE", "list", "0", "-1")
        let wrongType = try redis.cli("LPUSH", "greeting", "x")
        XCTAssertTrue(wrongType.hasPrefix("WRONGTYPE"), wrongType)
        try redis.cli("-n", "2", "SET", "other", "v")
        try redis.cli("CONFIG", "GET", "maxmemory")
        expected += Self.bothEnds("SET", "SET greeting ?") + Self.bothEnds("HSET", "HSET user:1 ? ? ? ?")
            + Self.bothEnds("HGETALL", "HGETALL user:1") + Self.bothEnds("LPUSH", "LPUSH list ? ?")
            + Self.bothEnds("LRANGE", "LRANGE list ? ?") + Self.bothEnds("LPUSH", "LPUSH greeting ?", error: "WRONGTYPE")
            + Self.bothEnds("SELECT", "SELECT ?") + Self.bothEnds("SET", "SET other ?", db: "2")
            + Self.bothEnds("CONFIG GET", "CONFIG GET ?")

        // A value far larger than the 16 KiB capture, each way.
        let large = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251) }
        let raw = try redis.connect()
        XCTAssertEqual(try raw.exchange(RESPConnection.command(Array("SET".utf8), Array("big".utf8), large), replyLength: 5),
                       Array("+OK\r\n".utf8))
        let reply = try raw.exchange(RESPConnection.command("GET", "big"), replyLength: 100_011)
        XCTAssertEqual(Array(reply.dropFirst(9).prefix(100_000)), large)
        // A pipeline written in one send.
        let pipeline = RESPConnection.command("SET", "p1", "1") + RESPConnection.command("SET", "p2", "2")
            + RESPConnection.command("INCR", "p1") + RESPConnection.command("GET", "p2")
        XCTAssertEqual(String(decoding: try raw.exchange(pipeline, replyLength: 21), as: UTF8.self),
                       "+OK\r\n+OK\r\n:2\r\n$1\r\n2\r\n")
        expected += Self.bothEnds("SET", "SET big ?") + Self.bothEnds("GET", "GET big")
            + Self.bothEnds("SET", "SET p1 ?") + Self.bothEnds("SET", "SET p2 ?") + Self.bothEnds("INCR", "INCR p1")
            + Self.bothEnds("GET", "GET p2")

        // RESP3: a map, a null, and an error.
        let resp3 = try redis.connect()
        try resp3.send(RESPConnection.command("HELLO", "3"))
        XCTAssertTrue(try resp3.receive(until: "$7\r\nmodules\r\n*0\r\n").hasPrefix("%7\r\n"))
        try resp3.send(RESPConnection.command("HGETALL", "user:1") + RESPConnection.command("GET", "missing")
                       + RESPConnection.command("INCR", "greeting"))
        XCTAssertEqual(try resp3.receive(until: "range\r\n"),
                       "%2\r\n$4\r\nname\r\n$3\r\nada\r\n$4\r\nlang\r\n$5\r\nswift\r\n_\r\n"
                       + "-ERR value is not an integer or out of range\r\n")
        expected += Self.bothEnds("HELLO", "HELLO ?") + Self.bothEnds("HGETALL", "HGETALL user:1")
            + Self.bothEnds("GET", "GET missing") + Self.bothEnds("INCR", "INCR greeting", error: "ERR")

        // A blocking command answered when another client pushes.
        let blocked = try redis.connect()
        try blocked.send(RESPConnection.command("BLPOP", "queue", "10"))
        Thread.sleep(forTimeInterval: 0.4)
        try redis.cli("RPUSH", "queue", "job")
        XCTAssertEqual(String(decoding: try blocked.receive(count: 24), as: UTF8.self),
                       "*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n")
        expected += Self.bothEnds("BLPOP", "BLPOP queue ?") + Self.bothEnds("RPUSH", "RPUSH queue ?")

        // Pub/sub: a subscriber gets two messages published by redis-cli.
        let subscriber = try redis.connect()
        _ = try subscriber.exchange(RESPConnection.command("SUBSCRIBE", "news"), replyLength: 33)
        try redis.cli("PUBLISH", "news", "hello")
        try redis.cli("PUBLISH", "news", "again")
        _ = try subscriber.receive(count: 38 * 2)
        _ = try subscriber.exchange(RESPConnection.command("UNSUBSCRIBE", "news"), replyLength: 36)
        _ = try subscriber.exchange(RESPConnection.command("PING"), replyLength: 7)
        expected += Self.bothEnds("SUBSCRIBE", "SUBSCRIBE news") + Self.bothEnds("PUBLISH", "PUBLISH news ?")
            + Self.bothEnds("PUBLISH", "PUBLISH news ?") + Self.bothEnds("UNSUBSCRIBE", "UNSUBSCRIBE news")
            + Self.bothEnds("PING", "PING")
        for kind in ["CONSUMER", "PRODUCER"] {
            expected += Array(repeating: "\(kind) | MESSAGE | MESSAGE news ? | db=0 | ok", count: 2)
        }

        XCTAssertEqual(setup.sonde.stop(), 0, setup.sonde.standardError)
        let spans = try setup.collector.waitForSpans(count: expected.count)
        XCTAssertEqual(setup.collector.refusals(), [])
        XCTAssertEqual(spans.map(Self.summary).sorted(), expected.sorted())

        for span in spans {
            XCTAssertEqual(span.attributes["db.system.name"], "redis")
            XCTAssertEqual(span.attributes["db.operation.name"], span.name)
            XCTAssertEqual(span.attributes["server.address"], "127.0.0.1")
            XCTAssertEqual(span.attributes["server.port"], "\(redis.port)")
            let isError = span.attributes["db.response.status_code"] != nil
            XCTAssertEqual(span.statusCode, isError ? .error : .unset, Self.summary(span))
            XCTAssertEqual(span.attributes["error.type"], span.attributes["db.response.status_code"])
        }
        for span in spans where span.kind == .client && span.attributes["db.query.text"] == "LPUSH greeting ?" {
            XCTAssertEqual(span.statusMessage, "WRONGTYPE Operation against a key holding the wrong kind of value")
            XCTAssertEqual(span.resourceAttributes["process.executable.name"], "redis-cli")
        }
        // BLPOP's latency is the real wait for the push (at least the 0.4 s this test slept), on both ends.
        let blpops = spans.filter { $0.name == "BLPOP" }
        XCTAssertEqual(blpops.count, 2)
        for span in blpops { XCTAssertGreaterThanOrEqual(span.endTime - span.startTime, 400_000_000) }
    }

    /// `redis-benchmark -P 16`: 16 commands per send on each of 2 connections, every one paired.
    func testPipelinedBenchmarkPairsEveryCommand() throws {
        let setup = try TracedServer(start: RedisServer.init(port:))
        try setup.server.benchmark("-n", "160", "-c", "2", "-P", "16", "-t", "set,get", "-q")
        XCTAssertEqual(setup.sonde.stop(), 0, setup.sonde.standardError)

        // redis-benchmark first reads `CONFIG GET save` and `CONFIG GET appendonly`.
        let expected = (Self.bothEnds("CONFIG GET", "CONFIG GET ?") + Self.bothEnds("CONFIG GET", "CONFIG GET ?")
            + Array(repeating: Self.bothEnds("SET", "SET key:__rand_int__ ?"), count: 160).flatMap { $0 }
            + Array(repeating: Self.bothEnds("GET", "GET key:__rand_int__"), count: 160).flatMap { $0 }).sorted()
        let spans = try setup.collector.waitForSpans(count: expected.count)
        XCTAssertEqual(setup.collector.refusals(), [])
        XCTAssertEqual(spans.map(Self.summary).sorted(), expected)
        XCTAssertEqual(Set(spans.filter { $0.kind == .client }.map { $0.resourceAttributes["process.executable.name"] }),
                       ["redis-benchmark"])
    }

    /// `--db-query-values` shows the values in `db.query.text`.
    func testValuesAreShownOnlyOnRequest() throws {
        let setup = try TracedServer(sondeArguments: ["--db-query-values"], start: RedisServer.init(port:))
        try setup.server.cli("SET", "greeting", "hello world")
        XCTAssertEqual(setup.sonde.stop(), 0, setup.sonde.standardError)
        let spans = try setup.collector.waitForSpans(count: 2)
        XCTAssertEqual(spans.map(Self.summary).sorted(), Self.bothEnds("SET", "SET greeting \"hello world\""))
    }
}
