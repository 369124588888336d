import SondeModel
import Testing
@testable import SondeProtocols

/// Every fixture captured from nginx gives exactly the exchanges its README lists, however the bytes
/// are cut into receive calls and whichever side the traced process is.
@Suite struct HTTP1FixtureTests {
    @Test(arguments: HTTP1Fixture.all)
    func wholeStreams(_ fixture: HTTP1Fixture) {
        for (role, requestDirection) in [(ConnectionRole.server, Direction.ingress), (.client, .egress),
                                         (.unknown, .egress), (.unknown, .ingress)] {
            let driver = SessionDriver(role: role, requestDirection: requestDirection)
            driver.request(fixture.requestBytes)
            driver.response(fixture.responseBytes)
            driver.close()
            #expect(driver.summaries == fixture.expected, "\(role) \(requestDirection)")
            #expect(driver.exchanges.allSatisfy { $0.requestDirection == requestDirection })
            #expect(driver.session.resyncCount == 0)
        }
    }

    @Test(arguments: HTTP1Fixture.all)
    func everySplitPoint(_ fixture: HTTP1Fixture) {
        for split in 0...fixture.requestBytes.count {
            let driver = SessionDriver()
            driver.request(fixture.requestBytes[..<split])
            driver.request(fixture.requestBytes[split...])
            driver.response(fixture.responseBytes)
            driver.close()
            #expect(driver.summaries == fixture.expected, "request split at \(split)")
        }
        for split in 0...fixture.responseBytes.count {
            let driver = SessionDriver()
            driver.request(fixture.requestBytes)
            driver.response(fixture.responseBytes[..<split])
            driver.response(fixture.responseBytes[split...])
            driver.close()
            if driver.summaries != fixture.expected || driver.session.resyncCount != 0 {
                Issue.record("response split at \(split): \(driver.summaries)")
                return
            }
        }
    }

    @Test(arguments: HTTP1Fixture.all)
    func oneByteAtATime(_ fixture: HTTP1Fixture) {
        let driver = SessionDriver(role: .client, requestDirection: .egress)
        for byte in fixture.requestBytes { driver.request([byte]) }
        for byte in fixture.responseBytes { driver.response([byte]) }
        driver.close()
        #expect(driver.summaries == fixture.expected)
        #expect(driver.session.resyncCount == 0)
    }

    @Test func keepsHeadersAndVersions() throws {
        let driver = SessionDriver()
        let fixture = HTTP1Fixture.named("get_keepalive")
        driver.request(fixture.requestBytes)
        driver.response(fixture.responseBytes)
        let first = try #require(driver.exchanges.first)
        #expect(first.request.headers == [HTTPHeader(name: "Host", value: "127.0.0.1:18080"),
                                          HTTPHeader(name: "User-Agent", value: "sonde-fixtures")])
        #expect(first.request.version == HTTPVersion(major: 1, minor: 1))
        #expect(first.response.reason == "OK")
        #expect(first.response.version == HTTPVersion(major: 1, minor: 1))
        #expect(first.response.headers.map(\.name) == ["Server", "Date", "Content-Type", "Content-Length",
                                                       "Last-Modified", "Connection", "ETag", "Accept-Ranges"])
        #expect(first.response.headers.first(named: "content-type") == "text/plain")
        #expect(first.response.headers.first(named: "Server") == "nginx")
        #expect(driver.exchanges.last?.request.headers.first(named: "connection") == "close")
    }

    @Test func keepAliveInterleavedMessageByMessage() {
        let fixture = HTTP1Fixture.named("get_keepalive")
        let requests = fixture.requestBytes.messages(bodySizes: [0, 0, 0])
        let responses = fixture.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        for (request, response) in zip(requests, responses) {
            driver.request(request)
            driver.response(response)
        }
        #expect(driver.summaries == fixture.expected)
        // Clock: request i at 1000 + 2i + 1, its response at 1000 + 2i + 2.
        #expect(driver.exchanges.map(\.requestStart) == [1001, 1003, 1005])
        #expect(driver.exchanges.map(\.responseEnd) == [1002, 1004, 1006])
    }

    @Test func pipelinedRequestsPairInOrder() {
        let fixture = HTTP1Fixture.named("pipelined")
        let driver = SessionDriver()
        driver.request(fixture.requestBytes)
        // Each response in its own call, so every end time tells which response it was.
        for piece in stride(from: 0, to: fixture.responseBytes.count, by: 100) {
            driver.response(fixture.responseBytes[piece..<Swift.min(piece + 100, fixture.responseBytes.count)])
        }
        #expect(driver.summaries == fixture.expected)
        #expect(driver.exchanges.allSatisfy { $0.requestStart == 1001 })
        #expect(driver.exchanges.last?.responseEnd == driver.clock)
    }
}
