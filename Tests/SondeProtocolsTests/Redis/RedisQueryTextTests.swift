import Testing
@testable import SondeProtocols

@Suite struct RedisQueryTextTests {
    private func command(_ words: String...) -> RedisCommand {
        let elements = words.map { RESPValue(kind: .bulkString, bytes: Array($0.utf8), length: $0.utf8.count) }
        return RedisCommand(RESPValue(kind: .array, length: elements.count, elements: elements))!
    }

    @Test func keysStayAndValuesBecomePlaceholders() {
        let cases: [(RedisCommand, String)] = [
            (command("set", "greeting", "hello world"), "SET greeting ?"),
            (command("GET", "greeting"), "GET greeting"),
            (command("MSET", "a", "1", "b", "2"), "MSET a ? b ?"),
            (command("MGET", "a", "b"), "MGET a b"),
            (command("HSET", "user:1", "name", "ada"), "HSET user:1 ? ?"),
            (command("BLPOP", "q1", "q2", "5"), "BLPOP q1 q2 ?"),
            (command("RPOPLPUSH", "src", "dst"), "RPOPLPUSH src dst"),
            (command("EVAL", "return 1", "2", "k1", "k2", "arg"), "EVAL ? ? k1 k2 ?"),
            (command("EVAL", "return 1", "9223372036854775807", "k1", "k2"), "EVAL ? ? k1 k2"),  // no overflow
            (command("EVAL", "return 1", "two", "k1"), "EVAL ? ? ?"),
            (command("SUBSCRIBE", "news", "weather"), "SUBSCRIBE news weather"),
            (command("PUBLISH", "news", "secret"), "PUBLISH news ?"),
            (command("CONFIG", "get", "maxmemory"), "CONFIG GET ?"),
            (command("OBJECT", "ENCODING", "k"), "OBJECT ENCODING k"),
            (command("SELECT", "3"), "SELECT ?"),
            (command("MYMODULE.DO", "first", "second"), "MYMODULE.DO ? ?"),  // unknown: nothing shown
            (command("AUTH", "user", "password"), "AUTH ? ?"),
            (command("PING"), "PING"),
        ]
        for (command, expected) in cases {
            #expect(command.queryText(includingValues: false) == expected)
        }
    }

    @Test func valuesOnRequestButNeverCredentials() {
        #expect(command("SET", "greeting", "hello world").queryText(includingValues: true) == "SET greeting \"hello world\"")
        #expect(command("SET", "k", "").queryText(includingValues: true) == "SET k \"\"")
        #expect(command("SET", "k", "a\nb").queryText(includingValues: true) == "SET k \"a\\nb\"")
        #expect(command("AUTH", "user", "password").queryText(includingValues: true) == "AUTH ? ?")
        #expect(command("HELLO", "3", "AUTH", "user", "pw", "SETNAME", "x").queryText(includingValues: true)
                == "HELLO 3 AUTH ? ? ? ?")
    }

    @Test func twoWordCommandsAreJoined() {
        #expect(command("client", "reply", "off").name == "CLIENT REPLY")
        #expect(command("COMMAND").name == "COMMAND")
        #expect(command("CONFIG", "*").name == "CONFIG")
    }

    @Test func argumentsNotKeptEndTheText() {
        let elements = (0..<100).map { RESPValue(kind: .bulkString, bytes: Array("k\($0)".utf8), length: "k\($0)".utf8.count) }
        let value = RESPValue(kind: .array, length: 101,
                              elements: [RESPValue(kind: .bulkString, bytes: Array("DEL".utf8), length: 3)] + elements.prefix(63))
        #expect(RedisCommand(value)!.queryText(includingValues: false).hasSuffix("k62 ..."))
        let truncated = RESPValue(kind: .bulkString, bytes: Array("abc".utf8), length: 100)
        let set = RedisCommand(name: "SET", arguments: [RESPValue(kind: .bulkString, bytes: [0x6b], length: 1), truncated],
                               argumentCount: 2)
        #expect(set.queryText(includingValues: true) == "SET k abc...")
    }

    @Test func invalidUTF8IsRepairedPerArgumentAndCutCapturesEndInDots() {
        func set(_ key: [UInt8], _ value: [UInt8], length: Int) -> RedisCommand {
            RedisCommand(name: "SET", arguments: [RESPValue(kind: .bulkString, bytes: key, length: key.count),
                                                  RESPValue(kind: .bulkString, bytes: value, length: length)],
                         argumentCount: 2)
        }
        #expect(set([0x6B, 0xFF, 0x6C], [0x76], length: 1).queryText(includingValues: false) == "SET k\u{FFFD}l ?")
        #expect(set([0x6B], Array("a b".utf8), length: 10).queryText(includingValues: true) == "SET k \"a b...\"")
        #expect(set([0x6B], [0xC3], length: 2).queryText(includingValues: true) == "SET k \u{FFFD}...")
        #expect(set([0xE2, 0x82], [0x76], length: 1).queryText(includingValues: true) == "SET \u{FFFD} v")
    }
}
