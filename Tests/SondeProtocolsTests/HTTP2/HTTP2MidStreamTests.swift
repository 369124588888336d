import SondeModel
import SondeTestSupport
import Testing
@testable import SondeProtocols

/// Joining connections after their first HEADERS frames (both HPACK tables unknown), and bytes that
/// were not captured.
@Suite struct HTTP2MidStreamTests {
    /// Where each frame of `bytes` starts (after the preface, if any), with its header.
    static func frames(_ bytes: [UInt8]) -> [(offset: Int, header: HTTP2FrameHeader)] {
        var offset = bytes.starts(with: HTTP2Preface.bytes) ? HTTP2Preface.bytes.count : 0
        var frames: [(Int, HTTP2FrameHeader)] = []
        while offset + HTTP2FrameHeader.size <= bytes.count {
            let header = HTTP2FrameHeader(bytes[offset...])
            frames.append((offset, header))
            offset += HTTP2FrameHeader.size + header.length
        }
        return frames
    }

    /// The offset just after the first HEADERS frame of `bytes`.
    static func afterFirstHeaders(_ bytes: [UInt8]) -> Int {
        let first = frames(bytes).first { $0.header.kind == .headers }!
        return first.offset + HTTP2FrameHeader.size + first.header.length
    }

    /// Feeds the client's bytes, then the server's, each from its offset, with `role` unknown.
    static func playStreams(client: ArraySlice<UInt8>, server: ArraySlice<UInt8>,
                            serverSkip: Range<Int>? = nil) -> (exchanges: [HTTP2Exchange], session: HTTP2Session) {
        let session = HTTP2Session(role: .unknown)
        var records: [ProtocolRecord] = []
        session.receive(Array(client), direction: .egress, timestamp: 1000, into: &records)
        if let serverSkip {
            session.receive(Array(server[..<serverSkip.lowerBound]), direction: .ingress, timestamp: 2000, into: &records)
            session.skip(serverSkip.count, direction: .ingress, timestamp: 3000, into: &records)
            session.receive(Array(server[serverSkip.upperBound...]), direction: .ingress, timestamp: 4000, into: &records)
        } else {
            session.receive(Array(server), direction: .ingress, timestamp: 2000, into: &records)
        }
        session.close(timestamp: 5000, into: &records)
        return (HTTP2Fixture.exchanges(records), session)
    }

    /// Plays the fixture's chunks in their order with `role` unknown, each direction from just after its
    /// first HEADERS frame.
    static func playJoined(_ fixture: HTTP2Fixture) -> (exchanges: [HTTP2Exchange], session: HTTP2Session) {
        var cuts = [true, false].map { afterFirstHeaders(fixture.stream(fromClient: $0)) }
        let session = HTTP2Session(role: .unknown)
        var records: [ProtocolRecord] = []
        for (index, chunk) in fixture.chunks.enumerated() {
            let side = chunk.fromClient ? 0 : 1
            let bytes = Array(chunk.bytes.dropFirst(cuts[side]))
            cuts[side] = max(0, cuts[side] - chunk.bytes.count)
            guard !bytes.isEmpty else { continue }
            session.receive(bytes, direction: chunk.fromClient ? .egress : .ingress, timestamp: UInt64(index),
                            into: &records)
        }
        return (HTTP2Fixture.exchanges(records), session)
    }

    @Test func joinedAfterTheFirstHeadersItDecodesTheLaterStreams() {
        let (exchanges, session) = Self.playJoined(HTTP2Fixture.named("nghttp_parallel"))
        #expect(exchanges.map(HTTP2Fixture.summary) == ["15 GET /small.txt -> 200 0/12", "19 GET /missing -> 404 0/153",
                                                        "17 GET /big.bin -> 200 0/70000"])
        #expect(exchanges.allSatisfy { !$0.headersComplete && $0.requestDirection == .egress })
        // The authority was sent once, into the table: it is unknown now, and never guessed.
        #expect(exchanges.allSatisfy { $0.request.headers.first(named: "host") == nil })
        #expect(session.resyncCount == 0)
    }

    @Test(arguments: HTTP2Fixture.all)
    func joinedMidStreamEveryDecodedValueIsTheTrueOne(_ fixture: HTTP2Fixture) {
        let complete = Dictionary(uniqueKeysWithValues: fixture.play().exchanges.map { ($0.streamID, $0) })
        let (exchanges, _) = Self.playJoined(fixture)
        for exchange in exchanges {
            let truth = complete[exchange.streamID]!
            #expect(exchange.request.method == truth.request.method && exchange.request.target == truth.request.target)
            #expect(exchange.response?.status == truth.response?.status)
            let decoded = exchange.request.headers + (exchange.response?.headers ?? []) + exchange.trailers
            let truthful = truth.request.headers + (truth.response?.headers ?? []) + truth.trailers
            let wrong = decoded.filter { !truthful.contains($0) }
            #expect(wrong.isEmpty, "stream \(exchange.streamID)")
        }
        #expect(exchanges.count == complete.count - 1)
    }

    @Test func uncapturedDataPayloadIsSkippedInStep() {
        let fixture = HTTP2Fixture.named("curl_large")
        let server = fixture.stream(fromClient: false)
        let third = Self.frames(server).filter { $0.header.kind == .data }[2].offset + HTTP2FrameHeader.size
        let (exchanges, session) = Self.playStreams(client: fixture.stream(fromClient: true)[...], server: server[...],
                                                    serverSkip: third + 100..<third + 8000)
        #expect(exchanges.map(HTTP2Fixture.summary) == ["1 GET /big.bin -> 200 0/70000"])
        #expect(session.resyncCount == 0)
    }

    @Test func aHeaderBlockNotCapturedDropsItsStreamAndResetsTheTable() {
        let fixture = HTTP2Fixture.named("nghttp_parallel")
        let server = fixture.stream(fromClient: false)
        let headers = Self.frames(server).filter { $0.header.kind == .headers }
        let second = headers[1].offset + HTTP2FrameHeader.size
        let (exchanges, session) = Self.playStreams(client: fixture.stream(fromClient: true)[...], server: server[...],
                                                    serverSkip: second + 10..<second + 20)
        #expect(exchanges.map(HTTP2Fixture.summary) == ["13 GET /index.html -> 200 0/26", "19 GET /missing -> 404 0/153",
                                                        "17 GET /big.bin -> 200 0/70000"])
        #expect(session.resyncCount == 1)
    }

    @Test func lostFramingResumesAtAChunkThatStartsWithFrames() {
        let fixture = HTTP2Fixture.named("grpc_calls")
        let session = HTTP2Session(role: .client)
        var records: [ProtocolRecord] = []
        for (index, chunk) in fixture.chunks.enumerated() {
            let direction: Direction = chunk.fromClient ? .egress : .ingress
            // The server's first chunk is lost whole: its SETTINGS, and the start of the responses.
            if index == fixture.chunks.firstIndex(where: { !$0.fromClient }) {
                session.skip(4, direction: direction, timestamp: 1, into: &records)
                continue
            }
            session.receive(chunk.bytes, direction: direction, timestamp: UInt64(index), into: &records)
        }
        let summaries = HTTP2Fixture.exchanges(records).map(HTTP2Fixture.summary)
        let invented = summaries.filter { summary in
            !HTTP2Fixture.named("grpc_calls").expected.contains { HTTP2Fixture.summary(summary, agreesWith: $0) }
        }
        #expect(invented.isEmpty)
        #expect(session.resyncCount >= 1)
    }

    @Test func aHeaderBlockBeyondTheLimitIsDroppedAndTheConnectionGoesOn() {
        let frame = HTTP2HeaderTableSizeTests.frame
        let session = HTTP2Session(role: .client)
        var records: [ProtocolRecord] = []
        var client = HTTP2Preface.bytes + frame(1, 0x0, 1, [0x82])
        for _ in 0..<100 { client += frame(9, 0x0, 1, [UInt8](repeating: 0x40, count: 16_000)) }
        client += frame(9, 0x4, 1, []) + HTTP2HeaderTableSizeTests.request.replacing([0, 0, 0, 1], with: [0, 0, 0, 3])
        session.receive(client, direction: .egress, timestamp: 1, into: &records)
        session.receive(frame(1, 0x5, 3, [0x88]), direction: .ingress, timestamp: 2, into: &records)
        #expect(HTTP2Fixture.exchanges(records).map(HTTP2Fixture.summary) == ["3 GET / -> 200 0/0"])
        #expect(session.resyncCount == 1)
    }

    @Test func randomBytesNeverMakeAnExchange() {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<200 {
            let session = HTTP2Session(role: .unknown)
            var records: [ProtocolRecord] = []
            for chunk in 0..<20 {
                let bytes = (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                session.receive(bytes, direction: chunk % 2 == 0 ? .egress : .ingress, timestamp: 1, into: &records)
            }
            #expect(records.isEmpty)
        }
    }

    /// Plays the fixture as the kernel captures it with `limit` bytes per read: each chunk's first
    /// `limit` bytes, the rest skipped as uncaptured.
    static func playCaptured(_ fixture: HTTP2Fixture, limit: Int) -> (exchanges: [HTTP2Exchange], session: HTTP2Session) {
        fixture.play { session, bytes, direction, time, records in
            session.receive(Array(bytes.prefix(limit)), direction: direction, timestamp: time, into: &records)
            session.skip(max(0, bytes.count - limit), direction: direction, timestamp: time, into: &records)
        }
    }

    @Test(arguments: [2048, 4096, 9000, 16384, 32768])
    func readsLargerThanTheCaptureLimitStillEndTheirStreams(limit: Int) {
        // curl reads the 70,000-byte response in a 65,536-byte read and a 4,545-byte one: a limit below the
        // second loses the END_STREAM frame header, a limit above it finds the frames again inside it.
        let (exchanges, session) = Self.playCaptured(HTTP2Fixture.named("curl_large"), limit: limit)
        #expect(exchanges.map(HTTP2Fixture.summary) == ["1 GET /big.bin -> 200 0/70000"])
        #expect(exchanges.map(\.end) == [4000], "the time of the last read")
        #expect(session.resyncCount == 1)
    }

    @Test(arguments: [2048, 4096, 9000, 16384, 32768])
    func parallelStreamsSurviveReadsLargerThanTheCaptureLimit(limit: Int) {
        let fixture = HTTP2Fixture.named("nghttp_parallel")
        let (exchanges, session) = Self.playCaptured(fixture, limit: limit)
        let complete = fixture.play().exchanges
        #expect(exchanges.map(HTTP2Fixture.summary) == complete.map(HTTP2Fixture.summary))
        #expect(exchanges.map(\.end) == complete.map(\.end))
        #expect(session.resyncCount == 1)
    }

    @Test func aStreamWhoseEndWentUncapturedEndsAtCloseWithoutAGuessedBodySize() {
        let fixture = HTTP2Fixture.named("grpc_calls")
        let complete = fixture.play().exchanges
        // The read holding the server-streaming call's last message and trailers is captured 5 bytes deep.
        let streaming = complete.first { $0.streamID == 5 }!
        let (exchanges, session) = fixture.play { session, bytes, direction, time, records in
            let limit = time == streaming.end ? 5 : bytes.count
            session.receive(Array(bytes.prefix(limit)), direction: direction, timestamp: time, into: &records)
            session.skip(bytes.count - limit, direction: direction, timestamp: time, into: &records)
        }
        // Its trailers are lost with the rest of the read: no grpc-status, no body size, the end at that read.
        #expect(exchanges.map(HTTP2Fixture.summary) == [
            "1 POST /demo.Greeter/SayHello -> 200 10/16 grpc-status 0", "3 POST /demo.Greeter/Fail -> 200 6/0 grpc-status 5",
            "7 POST /demo.Greeter/Count -> 200 7/6 reset CANCEL", "5 POST /demo.Greeter/Count -> 200 6/?",
        ])
        #expect(exchanges.map(\.end) == [complete[0].end, complete[1].end, complete[3].end, streaming.end])
        #expect(session.resyncCount == 1)
    }
}
