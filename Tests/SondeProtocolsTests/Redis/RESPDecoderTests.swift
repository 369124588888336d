import SondeModel
import Testing
@testable import SondeProtocols

@Suite struct RESPDecoderTests {
    private func decode(_ bytes: [UInt8]) -> [RESPValue] {
        var decoder = RESPDecoder(acceptsInline: false)
        var index = 0
        var values: [RESPValue] = []
        while let event = decoder.next(bytes, at: &index, mark: StreamMark(timestamp: 0, sequence: 0)) {
            guard case .value(let value, _, _) = event else { Issue.record("lost sync"); break }
            values.append(value)
        }
        return values
    }

    /// Every RESP3 type, from the replies of the `resp3` fixture.
    @Test func decodesEveryRESP3TypeFromRealReplies() {
        let replies = RedisFixture.named("resp3").chunks.filter { !$0.fromClient }.flatMap(\.bytes)
        let values = decode(replies)
        #expect(values.map(\.kind) == [.map, .map, .set, .double, .boolean, .boolean, .bigNumber, .verbatimString,
                                       .null, .bulkString, .push, .bulkString, .null, .map, .simpleString])
        #expect(values[0].length == 14)
        #expect(values[0].elements[5].integer == 3)                   // proto 3
        #expect(values[3].text == "3.141")
        #expect(values[4].text == "t" && values[5].text == "f")
        #expect(values[6].text == "1234567999999999999999999999999999999")
        #expect(values[7].text == "txt:This is a verbatim\nstring")
        #expect(values[9].text == "Some real reply following the attribute")   // the attribute belongs to it
        #expect(values[10].elements.first?.text == "server-cpu-usage")
        #expect(values[12].isNull && values[13].length == 0)
    }

    /// Lines share one buffer: a line read over many calls, a long line and the short lines after it
    /// each decode to their own text.
    @Test func readsEachLineAfreshWhateverCameBefore() {
        let long = String(repeating: "x", count: 2_000)
        let text = "+\(long)\r\n+OK\r\n-ERR no\r\n*2\r\n:7\r\n+in\r\n+\(long.prefix(900))\r\n:42\r\n"
        var decoder = RESPDecoder(acceptsInline: false)
        var values: [RESPValue] = []
        for byte in text.utf8 {
            var index = 0
            while let event = decoder.next([byte], at: &index, mark: StreamMark(timestamp: 0, sequence: 0)) {
                guard case .value(let value, _, _) = event else { Issue.record("lost sync"); return }
                values.append(value)
            }
        }
        #expect(values.map(\.kind) == [.simpleString, .simpleString, .simpleError, .array, .simpleString, .integer])
        #expect(values.map(\.bytes.count) == [1_024, 2, 6, 0, 900, 2])
        #expect(values[1].text == "OK" && values[2].text == "ERR no" && values[5].integer == 42)
        #expect(values[3].elements.map(\.kind) == [.integer, .simpleString] && values[3].elements[1].text == "in")
    }

    @Test func keepsRealSizesBeyondTheCapture() throws {
        let replies = RedisFixture.named("large_value").chunks.filter { !$0.fromClient }.flatMap(\.bytes)
        let big = try #require(decode(replies).first { $0.kind == .bulkString })
        #expect(big.length == 100_000)
        #expect(big.bytes.count == 1024)
        #expect(!big.isComplete)
    }

    @Test func refusesMalformedBytes() {
        for text in ["$3\r\nabcd\r\n", ":12a\r\n", "?\r\n", "#x\r\n", "*-2\r\n", "_x\r\n", "+a\rb\r\n"] {
            var decoder = RESPDecoder(acceptsInline: false)
            var index = 0
            let event = decoder.next(Array(text.utf8), at: &index, mark: StreamMark(timestamp: 0, sequence: 0))
            guard case .lostSync = event else {
                Issue.record("\(text.debugDescription) decoded as \(String(describing: event))")
                continue
            }
        }
    }

    @Test func resyncsAtTheNextCallThatStartsAValue() {
        var decoder = RESPDecoder(acceptsInline: false)
        let mark = StreamMark(timestamp: 0, sequence: 0)
        var index = 0
        guard case .lostSync = decoder.next(Array("?garbage+OK\r\n".utf8), at: &index, mark: mark) else {
            Issue.record("no lost sync")
            return
        }
        index = 0
        #expect(decoder.next(Array("garbage+OK\r\n".utf8), at: &index, mark: mark) == nil)
        index = 0
        guard case .value(let value, _, _) = decoder.next(Array(":7\r\n".utf8), at: &index, mark: mark) else {
            Issue.record("did not resync")
            return
        }
        #expect(value.integer == 7)
    }

    @Test func nestingIsBounded() {
        var decoder = RESPDecoder(acceptsInline: false)
        var index = 0
        let deep = Array(String(repeating: "*1\r\n", count: 100).utf8)
        guard case .lostSync = decoder.next(deep, at: &index, mark: StreamMark(timestamp: 0, sequence: 0)) else {
            Issue.record("100 levels accepted")
            return
        }
    }

    /// Header lengths and integers are read from the bytes, with what `Int(String)` accepts: an optional
    /// sign, then digits, within `Int`'s range.
    @Test func readsDecimalsAsIntWouldParseThem() {
        let lines = ["0", "42", "+7", "-1", "-0", "9223372036854775807", "-9223372036854775808",
                     "9223372036854775808", "-9223372036854775809", "", "-", "+", "1a", " 1", "1-", "--1"]
        for line in lines {
            #expect(RESPDecoder.decimal(Array(line.utf8)) == Int(line), "\(line)")
        }
    }
}
