@testable import SondeStore
import Testing

/// `redis_events.req_args` comes from `db.query.text`, whose quoting is undone.
@Suite struct RedisQueryWordsTests {
    @Test func quotedArgumentsAreOneWord() {
        #expect(words("SET greeting ?") == ["SET", "greeting", "?"])
        #expect(words(#"SET "a b" ?"#) == ["SET", "a b", "?"])
        #expect(words(#"GET "" "say \"hi\"\n""#) == ["GET", "", "say \"hi\"\n"])
        #expect(words(#"GET "\x01""#) == ["GET", #"\x01"#])
    }

    private func words(_ text: String) -> [String] {
        var words = RedisQueryWords()
        words.split(text)
        return (0..<words.count).map { String(decoding: words[$0], as: UTF8.self) }
    }
}
