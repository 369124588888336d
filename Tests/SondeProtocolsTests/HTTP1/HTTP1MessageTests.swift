import SondeModel
import Testing
@testable import SondeProtocols

/// Message framing cases: interim responses, upgrades, chunk extensions and trailers, bodies ended by
/// the close, several messages in one call.
@Suite struct HTTP1MessageTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func expectContinueAsItHappensOnTheWire() {
        let fixture = HTTP1Fixture.named("expect_100")
        let requestHeadEnd = fixture.requestBytes.headEnd()
        let interimEnd = fixture.responseBytes.headEnd()
        let driver = SessionDriver(role: .client, requestDirection: .egress)
        driver.request(fixture.requestBytes[..<requestHeadEnd])     // 1001
        driver.response(fixture.responseBytes[..<interimEnd])       // 1002: 100 Continue, not paired
        #expect(driver.exchanges.isEmpty)
        driver.request(fixture.requestBytes[requestHeadEnd...])     // 1003: the 2176-byte body
        driver.response(fixture.responseBytes[interimEnd...])       // 1004: 201 Created
        #expect(driver.summaries == [ExchangeSummary("PUT", "/upload/expect.txt", 201, 2176, 0)])
        #expect(driver.exchanges.first?.requestStart == 1001)
        #expect(driver.exchanges.first?.responseEnd == 1004)
        #expect(driver.exchanges.first?.response.reason == "Created")
    }

    /// nginx answers `return 201` before reading the body and discards it afterwards (seen over TLS):
    /// the body's size is the declared one, and the rest of the body does not disturb the next request.
    @Test func anAnswerBeforeTheWholeBodyReportsTheDeclaredSize() {
        let driver = SessionDriver(role: .server, requestDirection: .ingress)
        driver.request(bytes("POST /submit HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 201 Created\r\nContent-Length: 8\r\n\r\ncreated\n"))
        #expect(driver.summaries == [ExchangeSummary("POST", "/submit", 201, 3000, 8)])
        driver.request(Array(repeating: UInt8(ascii: "p"), count: 3000) + bytes("GET /next HTTP/1.1\r\nHost: x\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
        #expect(driver.summaries == [ExchangeSummary("POST", "/submit", 201, 3000, 8),
                                     ExchangeSummary("GET", "/next", 404, 0, 0)])
        #expect(driver.session.resyncCount == 0)
    }

    @Test func switchingProtocolsIsPairedThenDecodingStops() {
        let driver = SessionDriver()
        driver.request(bytes("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            + [0x81, 0x05] + bytes("hello"))
        driver.request([0x81, 0x85, 0x01, 0x02, 0x03, 0x04] + bytes("GET / HTTP/1.1\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        driver.close()
        #expect(driver.summaries == [ExchangeSummary("GET", "/chat", 101, 0, 0)])
        #expect(driver.session.resyncCount == 0)
    }

    @Test func connectTunnelStopsDecoding() {
        let driver = SessionDriver(role: .client, requestDirection: .egress)
        driver.request(bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 200 Connection Established\r\n\r\n"))
        driver.request([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])
        driver.response([0x16, 0x03, 0x03, 0x00, 0x02, 1, 2])
        #expect(driver.summaries == [ExchangeSummary("CONNECT", "example.com:443", 200, 0, 0)])
        #expect(driver.session.resyncCount == 0)
    }

    @Test func chunkExtensionsAndTrailersBothWays() {
        let driver = SessionDriver()
        driver.request(bytes("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6 ; ext\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Time\r\n\r\n"
            + "A;quality=high\r\n0123456789\r\n0;last\r\nX-Time: 12\r\nX-Other: 1\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!"))
        driver.request(bytes("GET /next HTTP/1.1\r\n\r\n"))
        #expect(driver.summaries == [ExchangeSummary("POST", "/upload", 200, 11, 10)])
        driver.response(bytes("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"))
        #expect(driver.summaries == [ExchangeSummary("POST", "/upload", 200, 11, 10),
                                     ExchangeSummary("GET", "/next", 304, 0, 0)])
        #expect(driver.session.resyncCount == 0)
    }

    @Test func responseWithoutLengthEndsAtClose() {
        let fixture = HTTP1Fixture.named("http10")
        let driver = SessionDriver()
        driver.request(fixture.requestBytes)
        driver.response(fixture.responseBytes)
        #expect(driver.exchanges.isEmpty)
        driver.skipResponse(100)  // a read-until-close body just grows
        driver.close()
        #expect(driver.summaries == [ExchangeSummary("GET", "/text.txt", 200, 0, 635, version: "1.0")])
        #expect(driver.exchanges.first?.responseEnd == driver.clock)
        #expect(driver.exchanges.first?.response.headers.first(named: "Content-Encoding") == "gzip")
    }

    @Test func severalMessagesInOneCallEachDirection() {
        let keepAlive = HTTP1Fixture.named("get_keepalive")
        let post = HTTP1Fixture.named("post_body")
        let driver = SessionDriver()
        driver.request(keepAlive.requestBytes + post.requestBytes)
        driver.response(keepAlive.responseBytes + post.responseBytes)
        #expect(driver.summaries == keepAlive.expected + post.expected)
    }

    @Test func requestsWithoutBodyFramingHaveNoBody() {
        let driver = SessionDriver()
        driver.request(bytes("\r\nDELETE /item/7 HTTP/1.1\nHost: x\n\nOPTIONS * HTTP/1.1\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nAllow: GET\r\nContent-Length: 0\r\n\r\n"))
        #expect(driver.summaries == [ExchangeSummary("DELETE", "/item/7", 204, 0, 0),
                                     ExchangeSummary("OPTIONS", "*", 200, 0, 0)])
    }

    @Test func unknownRoleLearnsFromAStatusLine() {
        let fixture = HTTP1Fixture.named("not_found")
        let driver = SessionDriver(role: .unknown, requestDirection: .ingress)
        driver.response(fixture.responseBytes)  // joined after the request: nothing to pair with
        driver.request(fixture.requestBytes)
        driver.response(fixture.responseBytes)
        #expect(driver.summaries == fixture.expected)
        #expect(driver.exchanges.first?.requestDirection == .ingress)
        #expect(driver.session.resyncCount == 0)
    }

    @Test func oversizedHeadsAreNotHTTP() {
        let driver = SessionDriver()
        let manyFields = (0..<101).map { "X-Field-\($0): v\r\n" }.joined()
        driver.request(bytes("GET /many HTTP/1.1\r\n" + manyFields + "\r\n"))
        driver.request(bytes("GET /huge HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"))
        driver.request(bytes("GET /ok HTTP/1.1\r\n\r\n"))
        driver.response(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(driver.summaries == [ExchangeSummary("GET", "/ok", 200, 0, 2)])
        #expect(driver.session.resyncCount == 2)
    }
}
