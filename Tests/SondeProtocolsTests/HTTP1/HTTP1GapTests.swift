import SondeModel
import SondeTestSupport
import Testing
@testable import SondeProtocols

/// Uncaptured bytes (truncated capture, sendfile, lost events) and garbage: stay in sync where the
/// framing allows, otherwise resync and never invent a pair.
@Suite struct HTTP1GapTests {
    private let large = HTTP1Fixture.named("large_70k")
    private let notFound = HTTP1Fixture.named("not_found")
    private let keepAlive = HTTP1Fixture.named("get_keepalive")

    @Test func truncatedCaptureInsideContentLengthKeepsSync() {
        let driver = SessionDriver()
        driver.request(large.requestBytes + notFound.requestBytes)
        driver.response(large.responseBytes[..<16384])
        driver.skipResponse(large.responseBytes.count - 16384)
        driver.response(notFound.responseBytes)
        #expect(driver.summaries == large.expected + notFound.expected)
        #expect(driver.session.resyncCount == 0)
    }

    @Test func sendfileBodyIsOneSkip() {
        let headEnd = large.responseBytes.headEnd()
        let driver = SessionDriver()
        driver.request(large.requestBytes)
        driver.response(large.responseBytes[..<headEnd])
        driver.skipResponse(70_000)
        #expect(driver.summaries == large.expected)
        #expect(driver.exchanges.first?.responseEnd == driver.clock)
        #expect(driver.session.resyncCount == 0)
    }

    @Test func skipInsideChunkDataKeepsSync() {
        let fixture = HTTP1Fixture.named("chunked_gzip")  // one 535-byte chunk starting at offset 244
        let driver = SessionDriver()
        driver.request(fixture.requestBytes)
        driver.response(fixture.responseBytes[..<254])
        driver.skipResponse(100)
        driver.response(fixture.responseBytes[354...])
        #expect(driver.summaries == fixture.expected)
        #expect(driver.session.resyncCount == 0)
    }

    @Test func skipAcrossChunkFramingLosesThatResponseOnly() {
        let fixture = HTTP1Fixture.named("chunked_gzip")
        let driver = SessionDriver()
        driver.request(fixture.requestBytes)
        driver.response(fixture.responseBytes[..<254])
        driver.skipResponse(535 - 10 + 5)  // past the chunk's end: the framing after it is unknown
        driver.response(fixture.responseBytes[(254 + 530)...])
        #expect(driver.exchanges.isEmpty)
        #expect(driver.session.resyncCount == 1)
        driver.request(notFound.requestBytes)
        driver.response(notFound.responseBytes)
        #expect(driver.summaries == notFound.expected)
    }

    @Test func skipPastContentLengthEndsTheMessageThenResyncs() {
        let keepAliveRequests = keepAlive.requestBytes.messages(bodySizes: [0, 0, 0])
        let keepAliveResponses = keepAlive.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        driver.request(large.requestBytes)
        driver.response(large.responseBytes[..<1000])
        driver.request(keepAliveRequests[0])
        // The gap holds the rest of the 70k body and the start of the next response.
        driver.skipResponse(large.responseBytes.count - 1000 + 20)
        driver.response(keepAliveResponses[0].dropFirst(20))
        driver.request(keepAliveRequests[1])
        driver.response(keepAliveResponses[1])
        #expect(driver.summaries == large.expected + [keepAlive.expected[1]])
        #expect(driver.session.resyncCount == 1)
    }

    @Test func requestSideGapDropsTheResponsesOfLostRequests() {
        let requests = keepAlive.requestBytes.messages(bodySizes: [0, 0, 0])
        let responses = keepAlive.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        driver.request(requests[0])
        driver.response(responses[0])
        driver.request(requests[1].prefix(10))
        driver.skipRequest(requests[1].count - 10)
        driver.response(responses[1])  // answers the lost request: must not pair with the next one
        driver.request(requests[2])
        driver.response(responses[2])
        #expect(driver.summaries == [keepAlive.expected[0], keepAlive.expected[2]])
        #expect(driver.session.resyncCount == 1)
    }

    @Test func aResponseBegunBeforeTheNextRequestIsNotPairedWithIt() {
        let requests = keepAlive.requestBytes.messages(bodySizes: [0, 0, 0])
        let responses = keepAlive.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        driver.request(requests[0])
        driver.response(responses[0])
        driver.request(requests[1].prefix(10))
        driver.skipRequest(requests[1].count - 10)
        driver.response(responses[1].prefix(10))  // the lost request's response starts...
        driver.request(requests[2])                 // ...the next request is seen...
        driver.response(responses[1].dropFirst(10)) // ...and the first response's head completes
        driver.response(responses[2])
        #expect(driver.summaries == [keepAlive.expected[0], keepAlive.expected[2]])
        #expect(driver.session.resyncCount == 1)
    }

    @Test func responseSideGapDropsThePendingRequests() {
        let pipelined = HTTP1Fixture.named("pipelined")
        let secondResponse = pipelined.responseBytes.headEnd() + 17
        let driver = SessionDriver()
        driver.request(pipelined.requestBytes)
        driver.response(pipelined.responseBytes[..<(secondResponse + 10)])
        driver.skipResponse(300)  // the rest of the HEAD response and the start of the chunked one
        driver.response(pipelined.responseBytes[(secondResponse + 310)...])
        #expect(driver.summaries == [pipelined.expected[0]])
        #expect(driver.session.resyncCount == 1)
        driver.request(notFound.requestBytes)
        driver.response(notFound.responseBytes)
        #expect(driver.summaries == [pipelined.expected[0]] + notFound.expected)
    }

    @Test func joiningInTheMiddleOfARequest() {
        let requests = keepAlive.requestBytes.messages(bodySizes: [0, 0, 0])
        let responses = keepAlive.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        driver.request(requests[0].dropFirst(5))
        driver.response(responses[0])
        driver.request(requests[1])
        driver.response(responses[1])
        driver.request(requests[2])
        driver.response(responses[2])
        #expect(driver.summaries == Array(keepAlive.expected[1...]))
        #expect(driver.session.resyncCount == 1)
    }

    @Test func randomBytesAndSkipsNeverCrash() {
        var random = SeededGenerator(seed: 0x5eed)
        let fragments = HTTP1Fixture.all.flatMap { [$0.requestBytes, $0.responseBytes] }
        for role in [ConnectionRole.server, .client, .unknown] {
            for _ in 0..<40 {
                let session = HTTP1Session(role: role)
                var records: [ProtocolRecord] = []
                for step in 0..<60 {
                    let direction: Direction = random.next() % 2 == 0 ? .egress : .ingress
                    let timestamp = UInt64(step)
                    switch random.next() % 4 {
                    case 0:
                        session.skip(Int(random.next() % 100_000), direction: direction, timestamp: timestamp, into: &records)
                    case 1:
                        // A mutated slice of real traffic, to reach deep into the decoder.
                        let source = fragments[Int(random.next() % UInt64(fragments.count))]
                        let start = Int(random.next() % UInt64(source.count))
                        var piece = Array(source[start..<min(source.count, start + Int(random.next() % 600))])
                        for _ in 0..<(piece.isEmpty ? 0 : Int(random.next() % 4)) {
                            piece[Int(random.next() % UInt64(piece.count))] = UInt8(truncatingIfNeeded: random.next())
                        }
                        session.receive(piece, direction: direction, timestamp: timestamp, into: &records)
                    default:
                        let bytes = (0..<Int(random.next() % 2000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                        session.receive(bytes, direction: direction, timestamp: timestamp, into: &records)
                    }
                }
                session.close(timestamp: 1_000, into: &records)
            }
        }
        let fresh = SessionDriver()
        fresh.request(keepAlive.requestBytes)
        fresh.response(keepAlive.responseBytes)
        #expect(fresh.summaries == keepAlive.expected)
    }

    @Test func validTrafficAfterGarbageResyncs() {
        var random = SeededGenerator(seed: 42)
        let garbage = (0..<5000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let requests = keepAlive.requestBytes.messages(bodySizes: [0, 0, 0])
        let responses = keepAlive.responseBytes.messages(bodySizes: [17, 40, 17])
        let driver = SessionDriver()
        driver.request(garbage + [13, 10])
        driver.response(Array(garbage.reversed()) + [13, 10])
        for (request, response) in zip(requests, responses) {
            driver.request(request)
            driver.response(response)
        }
        #expect(driver.summaries == keepAlive.expected)
        #expect(driver.session.resyncCount == 2)
    }
}
