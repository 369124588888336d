import SondeModel
import SondeTestSupport
import Testing
@testable import SondeProtocols

/// curl's `Upgrade: h2c` to a real hypercorn (Tests/Fixtures/http2/curl_upgrade.chunks): the upgrade
/// request becomes stream 1 and gets its HTTP/2 response; the next request is stream 3. Once the 20
/// declared bytes are in, curl resets stream 1 (STREAM_CLOSED) before the server's END_STREAM.
@Suite struct HTTP2UpgradeTests {
    static let chunks = FixtureChunk.load(directory: "http2", name: "curl_upgrade")

    /// Plays the connection into an HTTP/1 session (what detection picks for `GET ...`), whole chunks or
    /// in pieces of `size` bytes, seen from the client or the server.
    static func play(role: ConnectionRole, pieces size: Int = .max,
                     chunks: [FixtureChunk] = chunks) -> (exchanges: [HTTP2Exchange], session: HTTP1Session) {
        let session = HTTP1Session(role: role)
        var records: [ProtocolRecord] = []
        let clientDirection: Direction = role == .server ? .ingress : .egress
        for (index, chunk) in chunks.enumerated() {
            for start in stride(from: 0, to: chunk.bytes.count, by: min(size, chunk.bytes.count)) {
                let piece = Array(chunk.bytes[start..<min(chunk.bytes.count, start + size)])
                session.receive(piece, direction: chunk.fromClient ? clientDirection : clientDirection.opposite,
                                timestamp: UInt64(index + 1) * 1000, into: &records)
            }
        }
        session.close(timestamp: UInt64(chunks.count + 1) * 1000, into: &records)
        return (HTTP2Fixture.exchanges(records), session)
    }

    @Test(arguments: [ConnectionRole.client, .server, .unknown])
    func theUpgradeRequestIsStreamOneWithItsHTTP2Response(role: ConnectionRole) {
        let (exchanges, session) = Self.play(role: role)
        #expect(exchanges.map(HTTP2Fixture.summary) == ["1 GET /index.txt -> 200 0/20 reset STREAM_CLOSED", "3 GET /missing -> 404 0/18"])
        let upgrade = exchanges[0]
        #expect(upgrade.request.headers.first(named: "host") == "127.0.0.1:16481")
        #expect(upgrade.request.headers.first(named: "user-agent") == "curl/7.88.1")
        #expect(upgrade.request.headers.first(named: "upgrade") == nil)
        #expect(upgrade.response?.headers.first(named: "server") == "hypercorn-h2")
        #expect(upgrade.scheme == "http" && upgrade.headersComplete)
        // The request was sent with the first chunk; curl's reset is in the third.
        #expect(upgrade.requestStart == 1000 && upgrade.end == 3000 && upgrade.hasWholeResponse)
        #expect(exchanges[1].response?.headers.first(named: "content-type") == "text/plain")
        #expect(session.resyncCount == 0)
    }

    @Test(arguments: [1, 7, 64])
    func theHandOffHoldsWhereverTheBytesAreCut(size: Int) {
        let (exchanges, _) = Self.play(role: .client, pieces: size)
        #expect(exchanges.map(HTTP2Fixture.summary) == ["1 GET /index.txt -> 200 0/20 reset STREAM_CLOSED", "3 GET /missing -> 404 0/18"])
    }

    @Test func theSettingsOfTheUpgradeRequestAreDecoded() {
        let request = HTTPRequestHead(method: "GET", target: "/", version: HTTPVersion(major: 1, minor: 1),
                                      headers: [HTTPHeader(name: "HTTP2-Settings", value: "AAMAAABkAAQCAAAAAAIAAAAA")])
        // SETTINGS_MAX_CONCURRENT_STREAMS 100, SETTINGS_INITIAL_WINDOW_SIZE 32 MiB, SETTINGS_ENABLE_PUSH 0.
        #expect(HTTP2Upgrade.settingsPayload(of: request) == [0, 3, 0, 0, 0, 100, 0, 4, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0])
    }

    @Test func aClientThatClosesBeforeTheLastEndStreamStillHasItsWholeResponse() {
        // curl has the 18 declared bytes of /missing and exits before reading the empty END_STREAM frame.
        let (exchanges, _) = Self.play(role: .client, chunks: Array(Self.chunks.dropLast()))
        #expect(exchanges.map(HTTP2Fixture.summary) == ["1 GET /index.txt -> 200 0/20 reset STREAM_CLOSED", "3 GET /missing -> 404 0/18"])
    }
}
