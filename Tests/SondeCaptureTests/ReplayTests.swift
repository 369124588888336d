import SondeCapture
import SondeModel
import SondeTestSupport
import Testing

/// Replays of the fixture captures (Tests/Fixtures/captures/README.md) give exactly the spans live tracing of
/// the server would: one SERVER span per exchange, the capture's addresses and timestamps.
@Suite struct ReplayTests {
    static let nginx = "127.0.0.1 18480"
    /// `http_ipv4.pcap` (microseconds): times are the packets carrying each request's first byte and each
    /// response's last byte.
    static let ipv4Exchanges = [
        Exchange("GET", "/index.html", 200, client: "127.0.0.1 43286", server: nginx,
                 start: 1_795_253_357_890_586_000, end: 1_795_253_357_890_829_000),
        Exchange("GET", "/small.txt", 200, client: "127.0.0.1 43286", server: nginx,
                 start: 1_795_253_357_891_068_000, end: 1_795_253_357_891_114_000),
        Exchange("POST", "/submit", 201, client: "127.0.0.1 43292", server: nginx,
                 start: 1_795_253_357_902_059_000, end: 1_795_253_357_902_138_000),
        Exchange("GET", "/missing", 404, client: "127.0.0.1 43306", server: nginx,
                 start: 1_795_253_357_912_992_000, end: 1_795_253_357_913_160_000),
        Exchange("GET", "/fail", 500, client: "127.0.0.1 43318", server: nginx,
                 start: 1_795_253_357_923_960_000, end: 1_795_253_357_924_025_000),
    ]

    /// `http_keepalive.pcap`: five requests on one connection.
    static let keepAliveExchanges = [
        Exchange("GET", "/small.txt", 200, client: "127.0.0.1 44970", server: nginx,
                 start: 1_795_253_366_113_568_000, end: 1_795_253_366_113_732_000),
        Exchange("GET", "/index.html", 200, client: "127.0.0.1 44970", server: nginx,
                 start: 1_795_253_366_113_975_000, end: 1_795_253_366_114_067_000),
        Exchange("GET", "/missing", 404, client: "127.0.0.1 44970", server: nginx,
                 start: 1_795_253_366_114_212_000, end: 1_795_253_366_114_305_000),
        Exchange("GET", "/small.txt?n=4", 200, client: "127.0.0.1 44970", server: nginx,
                 start: 1_795_253_366_114_426_000, end: 1_795_253_366_114_487_000),
        Exchange("GET", "/index.html?n=5", 200, client: "127.0.0.1 44970", server: nginx,
                 start: 1_795_253_366_114_603_000, end: 1_795_253_366_114_655_000),
    ]

    static let ipv6Exchanges = [
        Exchange("GET", "/small.txt", 200, client: "::1 53380", server: "::1 18480",
                 start: 1_795_253_364_449_407_280, end: 1_795_253_364_449_584_475),
        Exchange("GET", "/index.html", 200, client: "::1 53380", server: "::1 18480",
                 start: 1_795_253_364_449_709_331, end: 1_795_253_364_449_740_177),
    ]

    @Test func ipv4EthernetMicrosecondPcap() throws {
        let replay = try Replay(fixture: "http_ipv4.pcap")
        #expect(replay.exchanges == Self.ipv4Exchanges)
        #expect(replay.capture.packets == 42)
        #expect(replay.capture.streams == 4)
        #expect(replay.capture.skippedPackets == 0)
        #expect(replay.capture.missingRanges == 0)
        #expect(replay.tracker.gaps == 0)
        #expect(replay.tracker.activeConnections == 0)  // every connection closed with FIN
    }

    @Test func spansCarryTheCaptureAddressesAndNoProcess() throws {
        let span = try #require(try Replay(fixture: "http_ipv4.pcap").spans.last)
        #expect(span.kind == .server)
        #expect(span.status == .error)
        #expect(span.name == "GET")
        #expect(span.attributes == [
            Attribute("http.request.method", "GET"), Attribute("url.scheme", "http"), Attribute("url.path", "/fail"),
            Attribute("http.response.status_code", 500), Attribute("network.protocol.version", "1.1"),
            Attribute("network.transport", "tcp"), Attribute("user_agent.original", "curl/7.88.1"),
            Attribute("http.response.body.size", 7),
            Attribute("server.address", "127.0.0.1"), Attribute("server.port", 18480),
            Attribute("client.address", "127.0.0.1"), Attribute("client.port", 43318),
            Attribute("network.peer.address", "127.0.0.1"), Attribute("network.peer.port", 43318),
            Attribute("network.local.address", "127.0.0.1"), Attribute("network.local.port", 18480),
            Attribute("error.type", "500"),
        ])
        #expect(span.resource == Replay.resource)
    }

    @Test func nanosecondPcapKeepsNanoseconds() throws {
        let replay = try Replay(fixture: "http_ipv4_nano.pcap")
        #expect(replay.exchanges.map(\.path) == ["/index.html", "/small.txt", "/submit", "/missing", "/fail"])
        #expect(replay.exchanges.first?.start == 1_795_253_359_572_308_526)
        #expect(replay.exchanges.first?.end == 1_795_253_359_572_455_500)
        #expect(replay.capture.packets == 42)
    }

    @Test func ipv6Pcapng() throws {
        let replay = try Replay(fixture: "http_ipv6.pcapng")
        #expect(replay.exchanges == Self.ipv6Exchanges)
        #expect(replay.capture.packets == 12)
    }

    @Test func linuxCookedCaptures() throws {
        let sll = try Replay(fixture: "http_any_sll.pcap")
        #expect(sll.exchanges == [Exchange("GET", "/small.txt", 200, client: "127.0.0.1 43352", server: Self.nginx,
                                           start: 1_795_253_361_134_616_000, end: 1_795_253_361_134_693_000)])
        let sll2 = try Replay(fixture: "http_any_sll2.pcap")
        #expect(sll2.exchanges == [Exchange("GET", "/small.txt", 200, client: "127.0.0.1 44960", server: Self.nginx,
                                            start: 1_795_253_362_791_019_000, end: 1_795_253_362_794_624_000)])
    }

    @Test func pcapngWithTwoInterfacesOfDifferentLinkTypes() throws {
        let replay = try Replay(fixture: "two_interfaces.pcapng")
        #expect(replay.exchanges == Self.ipv6Exchanges)
        #expect(replay.redisCommands == Self.redisCommands)
        #expect(replay.capture.packets == 34)
        #expect(replay.capture.streams == 3)
    }

    @Test func rawIPAndNullLinkTypesFromTheSameTraffic() throws {
        let records = try CaptureFixture.records("http_ipv4.pcap")
        let raw = records.map { PcapWriter.Record(timestamp: $0.timestamp, data: LoopbackFrame($0.data).ipPacket) }
        #expect(try Replay(PcapWriter.file(linkType: 101, records: raw)).exchanges == Self.ipv4Exchanges)
        // BSD loopback: AF_INET (2) in the capturing host's byte order (little endian here).
        let null = raw.map { PcapWriter.Record(timestamp: $0.timestamp, data: [2, 0, 0, 0] + $0.data) }
        #expect(try Replay(PcapWriter.file(linkType: 0, records: null)).exchanges == Self.ipv4Exchanges)
    }

    @Test func keepAliveConnection() throws {
        #expect(try Replay(fixture: "http_keepalive.pcap").exchanges == Self.keepAliveExchanges)
    }

    /// `redis-cli --pipe`'s inline commands and its closing ECHO, then a RESP LPUSH on a second connection:
    /// the server's view of each command, values hidden.
    static let redisCommands = [
        "SET greeting ?", "GET greeting", "INCR visits", "DEL greeting", "GET greeting", "ECHO ?",
    ].map { "server \($0) 127.0.0.1 39086 -> 127.0.0.1 16379" } + ["server LPUSH queue ? ? ? 127.0.0.1 39096 -> 127.0.0.1 16379"]

    @Test func redisCaptureGivesEveryCommand() throws {
        let redis = try Replay(fixture: "redis.pcap")
        #expect(redis.capture.packets == 22)
        #expect(redis.capture.streams == 2)
        #expect(redis.redisCommands == Self.redisCommands)
        #expect(redis.spans.count == Self.redisCommands.count)
    }

    /// The mariadb client's statements after its login, as MariaDB's server view: literals hidden, the
    /// table named, rows counted, the unknown table an error.
    @Test func mariaDBCaptureGivesEveryStatement() throws {
        let mariadb = try Replay(fixture: "mariadb.pcap")
        #expect(mariadb.capture.packets == 22)
        #expect(mariadb.capture.streams == 1)
        let statements = mariadb.spans.map { span in
            let attributes = span.attributes
            func text(_ key: String) -> String { attributes[key]?.description ?? "-" }
            return "\(span.kind) \(span.name) | \(text("db.query.text")) | rows \(text("db.response.returned_rows")) "
                + "affected \(text("mysql.response.affected_rows")) | \(text("db.response.status_code")) \(span.status)"
        }
        #expect(mariadb.spans.allSatisfy { $0.attributes["db.system.name"] == .string("mariadb") })
        #expect(statements == [
            "server CREATE | CREATE DATABASE shop | rows - affected 1 | - unset",
            "server CREATE shop.items | CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(?)) | rows - affected 0 | - unset",
            "server INSERT shop.items | INSERT INTO shop.items VALUES (?, ?), (?, ?) | rows - affected 2 | - unset",
            "server SELECT shop.items | SELECT name FROM shop.items WHERE id = ? | rows 1 affected - | - unset",
            "server SELECT shop.missing | SELECT * FROM shop.missing | rows - affected - | 1146 error",
        ])
    }

    /// A real capture with one request segment dropped and one response delivered in two segments the
    /// wrong way round: the intact pairs come out, the dropped request's exchange does not, the gap is counted.
    @Test func droppedAndReorderedSegmentsYieldTheIntactPairsOnly() throws {
        var records = try CaptureFixture.records("http_keepalive.pcap")
        let response = records[10]  // the 308-byte 404 response
        records[10...10] = [response.editing { $0.carrying(150..<308) }, response.editing { $0.carrying(0..<150) }]
        records.remove(at: 7)  // the request for /index.html
        let replay = try Replay(PcapWriter.file(linkType: 1, records: records))
        var expected = Self.keepAliveExchanges
        expected.remove(at: 1)
        #expect(replay.exchanges == expected)
        #expect(replay.capture.missingRanges == 1)
        #expect(replay.capture.missingBytes == 89)
        #expect(replay.tracker.gaps == 0)
        #expect(replay.tracker.resyncs == 1)
    }
}
