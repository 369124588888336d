@testable import SondeStore
import Testing

/// `redis_events.req_args` comes from `db.query.text`, whose quoting is undone.
@Suite struct RedisQueryWordsTests {
    @Test func quotedArgumentsAreOneWord() {
        #expect(RedisQueryWords.split("SET greeting ?") == ["SET", "greeting", "?"])
        #expect(RedisQueryWords.split(#"SET "a b" ?"#) == ["SET", "a b", "?"])
        #expect(RedisQueryWords.split(#"GET "" "say \"hi\"\n""#) == ["GET", "", "say \"hi\"\n"])
        #expect(RedisQueryWords.split(#"GET "\x01""#) == ["GET", #"\x01"#])
    }
}
