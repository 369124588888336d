import Foundation
import SondeModel
@testable import SondeProtocols
import SondeTestSupport

/// One connection captured from redis-server (see Tests/Fixtures/redis/README.md): its chunks in the
/// order they were seen, each from the client (`C`) or the server (`S`).
struct RedisFixture: ChunkFixture {
    let name: String
    let chunks: [FixtureChunk]
    /// The exchanges the README lists, as `summary(_:)` writes them.
    let expected: [String]

    static let directory = "redis"

    static let all: [RedisFixture] = [
        RedisFixture("strings", ["SET greeting \"hello world\"", "GET greeting", "GET missing", "INCR counter",
                                 "MSET a 1 b 2", "MGET a b missing", "DEL a b counter"]),
        RedisFixture("hashes_lists", ["HSET user:1 name ada lang swift", "HGET user:1 name", "HGETALL user:1",
                                      "LPUSH list c b a", "LRANGE list 0 -1", "DEL user:1 list"]),
        RedisFixture("errors", ["SET text x", "LPUSH text y -> !WRONGTYPE", "NOSUCHCOMMAND arg -> !ERR", "GET -> !ERR",
                                "DEL text"]),
        RedisFixture("pipeline", (0..<8).map { "SET k\($0) v\($0)" } + (0..<8).map { "GET k\($0)" }),
        RedisFixture("inline", ["PING", "SET inline 42", "GET inline", "DEL inline"]),
        RedisFixture("large_value", ["SET big <100000 bytes>", "STRLEN big", "GET big", "DEL big"]),
        RedisFixture("resp3", ["HELLO 3"] + ["map", "set", "double", "true", "false", "bignum", "verbatim", "null",
                                             "attrib", "push"].map { "DEBUG PROTOCOL \($0)" }
                     + ["GET missing", "HGETALL missing", "PING"]),
        RedisFixture("pubsub_resp2", ["SUBSCRIBE news weather", "PSUBSCRIBE sport.*", "push MESSAGE news extra",
                                      "push PMESSAGE sport.* sport.tennis ace", "push MESSAGE weather rain", "PING",
                                      "UNSUBSCRIBE", "PUNSUBSCRIBE sport.*", "GET x"]),
        RedisFixture("pubsub_resp3", ["HELLO 3", "SUBSCRIBE news", "push MESSAGE news first",
                                      "push MESSAGE news second", "SET x 1", "UNSUBSCRIBE news", "GET x", "DEL x"]),
        RedisFixture("multi_exec", ["MULTI", "SET t 1", "INCR t", "LPUSH t x", "EXEC", "DEL t"]),
        RedisFixture("blpop", ["BLPOP queue 5"]),
        RedisFixture("client_reply", ["CLIENT REPLY ON", "GET quiet", "DEL quiet"]),
        RedisFixture("select", ["SELECT 3", "SET in3 yes", "SELECT 99 -> !ERR", "GET in3", "CONFIG GET maxmemory",
                                "SELECT 0", "EXISTS in3"]),
        RedisFixture("cli_commands", ["SELECT 2", "COMMAND DOCS", "SET name sonde", "HSET h f v", "HGETALL h",
                                      "DEL name h"]),
        RedisFixture("cli_pipe", (0..<20).map { "SET p\($0) x" } + ["ECHO <20 bytes>"]),
    ]

    static func makeSession(role: ConnectionRole) -> RedisSession { RedisSession(role: role) }

    static func exchange(in record: ProtocolRecord) -> RedisExchange? {
        guard case .redis(let exchange) = record else { return nil }
        return exchange
    }

    /// `[push ]NAME arg ...[ -> !CODE]`, arguments as text, or `<N bytes>` when not all were captured
    /// or they are longer than 16 bytes of binary.
    static func summary(_ exchange: RedisExchange) -> String {
        var words = [exchange.command.name]
        for argument in exchange.command.arguments {
            let isText = argument.isComplete && argument.bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            words.append(isText ? (argument.text.contains(" ") ? "\"\(argument.text)\"" : argument.text)
                         : "<\(argument.length) bytes>")
        }
        let push = exchange.kind == .pushedMessage ? "push " : ""
        let error = exchange.errorCode.map { " -> !\($0)" } ?? ""
        return push + words.joined(separator: " ") + error
    }
}
