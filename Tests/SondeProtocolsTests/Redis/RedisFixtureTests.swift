import SondeModel
import SondeTestSupport
import Testing
@testable import SondeProtocols

@Suite struct RedisFixtureTests {
    @Test(arguments: RedisFixture.all)
    func pairsEveryExchangeOfTheCapture(_ fixture: RedisFixture) {
        let exchanges = fixture.play()
        #expect(exchanges.map(RedisFixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .egress && $0.start <= $0.end })
    }

    @Test(arguments: RedisFixture.all)
    func theServerSideSeesTheSameExchanges(_ fixture: RedisFixture) {
        let exchanges = fixture.play(role: .server)
        #expect(exchanges.map(RedisFixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .ingress })
    }

    @Test(arguments: RedisFixture.all.filter { $0.chunks.reduce(0) { $0 + $1.bytes.count } < 4096 })
    func pairsTheSameAtEverySplitOfEveryChunk(_ fixture: RedisFixture) {
        fixture.expectTheSameExchangesAtEverySplit()
    }

    @Test(arguments: ["large_value", "cli_commands", "pubsub_resp2", "resp3"])
    func pairsTheSameFedOneByteAtATime(_ name: String) {
        let fixture = RedisFixture.named(name)
        let exchanges = fixture.playOneByteAtATime()
        #expect(exchanges.map(RedisFixture.summary) == fixture.expected)
    }

    /// Every chunk is captured up to 16 KiB (or 100 bytes); the rest is skipped as the tracker does.
    /// Bulk payloads are passed over and pair right. The 172 KB `COMMAND DOCS` reply is thousands of
    /// small nested values: its uncaptured part cannot be followed, so it is dropped (one resync) and the
    /// next reply pairs with the next command.
    @Test(arguments: [16384, 100])
    func truncatedCapturesKeepPairingAndRealSizes(_ captureSize: Int) {
        for name in ["large_value", "cli_commands"] {
            let fixture = RedisFixture.named(name)
            let exchanges = fixture.playCaptured(upTo: captureSize)
            let expected = fixture.expected.filter { $0 != "COMMAND DOCS" }
            #expect(exchanges.map(RedisFixture.summary) == expected, "\(name)")
        }
    }

    @Test func blockingCommandLatencyIsTheWaitForTheReply() throws {
        let exchange = try #require(RedisFixture.named("blpop").play().first)
        #expect(exchange.start == 1000)
        #expect(exchange.end == 2000)
    }

    @Test func databaseIndexFollowsSelect() {
        #expect(RedisFixture.named("select").play().map(\.database) == [0, 3, 3, 3, 3, 3, 0])
        #expect(RedisFixture.named("cli_commands").play().map(\.database) == [0, 2, 2, 2, 2, 2])
    }

    @Test func errorRepliesCarryTheirMessage() {
        let errors = RedisFixture.named("errors").play().compactMap(\.error)
        #expect(errors == [
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'arg' ",
            "ERR wrong number of arguments for 'get' command",
        ])
    }

    @Test func pushedMessagesTravelAgainstTheCommands() {
        let pushes = RedisFixture.named("pubsub_resp3").play().filter { $0.kind == .pushedMessage }
        #expect(pushes.count == 2)
        #expect(pushes.allSatisfy { $0.requestDirection == .egress && $0.database == 0 })
    }

    /// Joined mid-stream: the session starts at a later chunk, knows no role and no database.
    @Test(arguments: [("strings", 4, ["GET missing", "INCR counter", "MSET a 1 b 2", "MGET a b missing", "DEL a b counter"]),
                      ("strings", 5, ["INCR counter", "MSET a 1 b 2", "MGET a b missing", "DEL a b counter"]),
                      ("pipeline", 1, []),
                      ("errors", 3, ["NOSUCHCOMMAND arg -> !ERR", "GET -> !ERR", "DEL text"]),
                      ("select", 2, ["SET in3 yes", "SELECT 99 -> !ERR", "GET in3", "CONFIG GET maxmemory", "SELECT 0",
                                     "EXISTS in3"])])
    func joinsMidStream(_ name: String, _ first: Int, _ expected: [String]) {
        let exchanges = RedisFixture.named(name).play(role: .unknown, from: first)
        #expect(exchanges.map(RedisFixture.summary) == expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .egress })
        let databases = exchanges.map(\.database)
        if name == "select" {
            #expect(databases == [nil, nil, nil, nil, nil, 0])
        } else {
            #expect(databases.allSatisfy { $0 == nil })
        }
    }

    /// Random bytes in one direction lose sync there (counted) without a crash and without a pair; the
    /// commands after them pair again.
    @Test func randomBytesNeverInventAPair() {
        var generator = SeededGenerator(seed: 6)
        let fixture = RedisFixture.named("strings")
        for round in 0..<200 {
            let garbage = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let fromClient = round % 2 == 0
            let exchanges = fixture.playInjecting(garbage, fromClient: fromClient) { $0 == 3000 + (fromClient ? 0 : 1000) }
            let summaries = exchanges.map(RedisFixture.summary)
            #expect(Set(summaries).isSubset(of: fixture.expected), "round \(round)")
            #expect(summaries.suffix(3) == fixture.expected.suffix(3), "round \(round)")
        }
    }
}
