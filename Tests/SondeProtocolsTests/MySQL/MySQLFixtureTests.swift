import SondeModel
import SondeTestSupport
import Testing
@testable import SondeProtocols

@Suite struct MySQLFixtureTests {
    @Test(arguments: MySQLFixture.all)
    func pairsEveryExchangeOfTheCapture(_ fixture: MySQLFixture) {
        let exchanges = fixture.play()
        #expect(exchanges.map(MySQLFixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .egress && $0.start <= $0.end && $0.isMariaDB })
    }

    @Test(arguments: MySQLFixture.all)
    func theServerSideSeesTheSameExchanges(_ fixture: MySQLFixture) {
        let exchanges = fixture.play(role: .server)
        #expect(exchanges.map(MySQLFixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .ingress })
    }

    @Test(arguments: MySQLFixture.all.filter { $0.name != "cli_large_result" })
    func pairsTheSameAtEverySplitOfEveryChunk(_ fixture: MySQLFixture) {
        for (target, chunk) in fixture.chunks.enumerated() {
            for split in 1..<max(1, chunk.bytes.count) {
                var seen = 0
                let exchanges = fixture.play { session, chunk, direction, time, records in
                    defer { seen += 1 }
                    guard seen == target else {
                        return session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
                    }
                    session.receive(Array(chunk.bytes[..<split]), direction: direction, timestamp: time, into: &records)
                    session.receive(Array(chunk.bytes[split...]), direction: direction, timestamp: time, into: &records)
                }
                #expect(exchanges.map(MySQLFixture.summary) == fixture.expected, "chunk \(target) split at \(split)")
            }
        }
    }

    @Test(arguments: ["cli_large_result", "connector_prepared"])
    func pairsTheSameFedOneByteAtATime(_ name: String) {
        let fixture = MySQLFixture.named(name)
        let exchanges = fixture.play { session, chunk, direction, time, records in
            for byte in chunk.bytes { session.receive([byte], direction: direction, timestamp: time, into: &records) }
        }
        #expect(exchanges.map(MySQLFixture.summary) == fixture.expected)
    }

    /// Every chunk is captured up to 16 KiB (or 4 KiB); the rest is skipped as the tracker does. The
    /// 160 KB result set's rows cannot be followed through what was not captured: the query still
    /// becomes one exchange, ending with the server's last bytes, without a row count.
    @Test(arguments: [16384, 4096])
    func aResultSetLargerThanTheCaptureStillEndsItsQuery(_ captureSize: Int) throws {
        let fixture = MySQLFixture.named("cli_large_result")
        let lastServerChunk = try #require(fixture.chunks.lastIndex { !$0.fromClient })
        let exchanges = fixture.play { session, chunk, direction, time, records in
            let captured = Array(chunk.bytes.prefix(captureSize))
            session.receive(captured, direction: direction, timestamp: time, into: &records)
            session.skip(chunk.bytes.count - captured.count, direction: direction, timestamp: time, into: &records)
        }
        #expect(exchanges.map(MySQLFixture.summary) == ["QUERY SELECT seq, REPEAT('abcdefgh', 100) FROM seq_1_to_200"])
        #expect(exchanges.first?.end == UInt64(lastServerChunk + 1) * 1000)
    }

    @Test func namespaceFollowsTheHandshakeAndInitDB() {
        #expect(MySQLFixture.named("cli_queries").play().map(\.namespace)
                == ["shop", "shop", "shop", "shop", "shop", "other"])
        #expect(MySQLFixture.named("connector_commands").play().map(\.namespace)
                == ["shop", "shop", "shop", "shop", "other", "other", "other", "other", "other", "other", "other"])
    }

    @Test func errorsCarryNumberStateAndMessage() {
        let errors = MySQLFixture.all.flatMap { $0.play() }.compactMap(\.error)
        #expect(errors == [
            MySQLExchange.ServerError(code: 1146, sqlState: "42S02", message: "Table 'shop.nowhere' doesn't exist"),
            MySQLExchange.ServerError(code: 1049, sqlState: "42000", message: "Unknown database 'missing_db'"),
            MySQLExchange.ServerError(code: 1146, sqlState: "42S02", message: "Table 'other.nowhere' doesn't exist"),
        ])
    }

    /// Joined mid-stream: the session starts at a later chunk and knows no role, no schema and no
    /// prepared statement; an EXECUTE of an unseen PREPARE says so.
    @Test func joinsMidStreamAtTheNextCommand() {
        let fixture = MySQLFixture.named("connector_prepared")
        for first in 1..<fixture.chunks.count {
            let exchanges = fixture.play(role: .unknown, from: first)
            let summaries = exchanges.map(MySQLFixture.summary)
            let known = summaries.filter { !$0.contains("#") }
            #expect(fixture.expected.suffix(known.count) == known[...], "from chunk \(first)")
            #expect(exchanges.allSatisfy { $0.requestDirection == .egress && $0.namespace == nil && !$0.isMariaDB })
        }
        let late = MySQLFixture.named("connector_prepared").play(role: .unknown, from: 11)
        #expect(late.map(MySQLFixture.summary) == [
            "RESET #1", "EXECUTE #1 -> 3 rows", "RESET #1", "EXECUTE #1 -> 0 rows", "CLOSE #1",
            "PREPARE \(MySQLFixture.preparedInsert)", "RESET \(MySQLFixture.preparedInsert)",
            "EXECUTE \(MySQLFixture.preparedInsert) -> 1 affected", "CLOSE \(MySQLFixture.preparedInsert)",
            "QUERY COMMIT -> 0 affected",
        ])
    }

    /// Random bytes in one direction never crash and never pair a response with the wrong command; the
    /// commands after them pair again.
    @Test func randomBytesNeverInventAPair() {
        var generator = SeededGenerator(seed: 7)
        let fixture = MySQLFixture.named("connector_commands")
        for round in 0..<200 {
            let garbage = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let fromClient = round % 2 == 0
            var injected = false
            let exchanges = fixture.play { session, chunk, direction, time, records in
                if !injected, chunk.fromClient == fromClient, time >= 8000 {
                    injected = true
                    session.receive(garbage, direction: direction, timestamp: time, into: &records)
                }
                session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
            }
            let summaries = exchanges.map(MySQLFixture.summary)
            #expect(Set(summaries).isSubset(of: fixture.expected + ["QUERY", "INIT_DB", "PING"]), "round \(round)")
        }
    }
}
