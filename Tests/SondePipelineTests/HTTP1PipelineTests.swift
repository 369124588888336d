import Foundation
import SondeModel
import SondeTestSupport
import SondeProtocols
import SondePipeline
import Testing

/// The bytes of one fixture connection from Tests/Fixtures/http1 (see its README).
private struct HTTP1Fixture {
    let requests: [UInt8]
    let responses: [UInt8]

    init(_ name: String) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http1")
        requests = try Array(Data(contentsOf: directory.appendingPathComponent("\(name).request.bin")))
        responses = try Array(Data(contentsOf: directory.appendingPathComponent("\(name).response.bin")))
    }

    /// The requests, each ending after its blank line (for fixtures whose requests have no body).
    var bodylessRequests: [[UInt8]] { split(requests, after: Array("\r\n\r\n".utf8)) }

    /// The responses, split where each status line starts.
    var responseMessages: [[UInt8]] { split(responses, before: Array("HTTP/1.1 ".utf8)) }

    private func split(_ bytes: [UInt8], after marker: [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index..<index + marker.count].elementsEqual(marker) {
                messages.append(Array(bytes[start..<index + marker.count]))
                start = index + marker.count
                index = start
            } else {
                index += 1
            }
        }
        if start < bytes.count { messages.append(Array(bytes[start...])) }
        return messages
    }

    private func split(_ bytes: [UInt8], before marker: [UInt8]) -> [[UInt8]] {
        var starts: [Int] = []
        for index in 0...(bytes.count - marker.count)
        where (index == 0 || bytes[index - 1] == UInt8(ascii: "\n")) && bytes[index..<index + marker.count].elementsEqual(marker) {
            starts.append(index)
        }
        return zip(starts, starts.dropFirst() + [bytes.count]).map { Array(bytes[$0..<$1]) }
    }
}

/// One traced connection: keeps the offsets of both directions and a clock that ticks per call.
private final class Conversation {
    let tracker: ConnectionTracker
    let id: ConnectionID
    private var offsets: [Direction: UInt64] = [.egress: 0, .ingress: 0]
    private(set) var clock: UInt64
    private(set) var spans: [Span] = []

    init(_ tracker: ConnectionTracker, _ id: ConnectionID, startingAt clock: UInt64) {
        self.tracker = tracker
        self.id = id
        self.clock = clock
    }

    func open(_ role: ConnectionRole, local: SocketAddress, remote: SocketAddress) {
        spans += tracker.handle(.opened(ConnectionOpened(id: id, role: role, local: local, remote: remote,
                                                          timestamp: tick())))
    }

    /// One call moving `bytes`, of which the first `captured` were captured.
    @discardableResult
    func move(_ direction: Direction, _ bytes: ArraySlice<UInt8>, captured: Int = .max) -> UInt64 {
        let time = tick()
        let offset = offsets[direction, default: 0]
        offsets[direction] = offset + UInt64(bytes.count)
        spans += tracker.handle(.data(DataChunk(id: id, tid: 1, direction: direction, offset: offset, size: bytes.count,
                                                payload: Array(bytes.prefix(captured)), timestamp: time)))
        return time
    }

    func close() {
        spans += tracker.handle(.closed(ConnectionClosed(id: id, timestamp: tick())))
    }

    private func tick() -> UInt64 {
        clock += 1_000
        return clock
    }
}

private let nginx = SocketAddress(host: "127.0.0.1", port: 18080)
private let peer = SocketAddress(host: "127.0.0.1", port: 40000)
private let resource = Resource(attributes: [Attribute("service.name", "nginx")])

private func makeTracker() -> ConnectionTracker {
    ConnectionTracker(configuration: .init(), catalog: StaticProcessCatalog(resource: resource))
}

private func serverAttributes(path: String, query: String? = nil, status: Int, responseBody: Int) -> [Attribute] {
    var attributes = [Attribute("http.request.method", "GET"), Attribute("url.scheme", "http"), Attribute("url.path", path)]
    if let query { attributes.append(Attribute("url.query", query)) }
    return attributes + [
        Attribute("http.response.status_code", status),
        Attribute("network.protocol.version", "1.1"),
        Attribute("network.transport", "tcp"),
        Attribute("user_agent.original", "sonde-fixtures"),
        Attribute("http.response.body.size", responseBody),
        Attribute("server.address", "127.0.0.1"),
        Attribute("server.port", 18080),
        Attribute("client.address", "127.0.0.1"),
        Attribute("client.port", 40000),
        Attribute("network.peer.address", "127.0.0.1"),
        Attribute("network.peer.port", 40000),
        Attribute("network.local.address", "127.0.0.1"),
        Attribute("network.local.port", 18080),
    ]
}

@Suite struct HTTP1PipelineTests {
    /// The neighbour sends random bytes from the start (never recognised), or random bytes after a
    /// request head (recognised, so the garbage goes through its HTTP/1 session).
    @Test(arguments: [false, true])
    func keepAliveRequestsBecomeExactServerSpansBesideARandomBytesConnection(neighbourStartsLikeHTTP: Bool) throws {
        let fixture = try HTTP1Fixture("get_keepalive")
        let requests = fixture.bodylessRequests
        let responses = fixture.responseMessages
        #expect(requests.count == 3)
        #expect(responses.count == 3)

        let tracker = makeTracker()
        let server = Conversation(tracker, ConnectionID(pid: 300, fd: 9, generation: 1), startingAt: 0)
        let noise = Conversation(tracker, ConnectionID(pid: 300, fd: 10, generation: 1), startingAt: 0)
        var generator = SeededGenerator(seed: 7)
        func makeNoise() {
            for direction in Direction.allCases {
                let bytes = (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }
                noise.move(direction, bytes[...])
            }
        }

        server.open(.server, local: nginx, remote: peer)
        noise.open(.server, local: nginx, remote: peer)
        if neighbourStartsLikeHTTP {
            noise.move(.ingress, Array("GET /noise HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)[...])
        }
        var times: [(start: UInt64, end: UInt64)] = []
        for (request, response) in zip(requests, responses) {
            makeNoise()
            let start = server.move(.ingress, request[...])
            makeNoise()
            let end = server.move(.egress, response[...])
            times.append((start, end))
        }
        makeNoise()
        server.close()
        noise.close()

        #expect(noise.spans.isEmpty)
        #expect(server.spans.map(\.name) == ["GET", "GET", "GET"])
        #expect(server.spans.map(\.kind) == [.server, .server, .server])
        #expect(server.spans.map(\.status) == [.unset, .unset, .unset])
        #expect(server.spans.map(\.startTime) == times.map(\.start))
        #expect(server.spans.map(\.endTime) == times.map(\.end))
        #expect(server.spans.map(\.attributes) == [
            serverAttributes(path: "/small.txt", status: 200, responseBody: 17),
            serverAttributes(path: "/index.html", status: 200, responseBody: 40),
            serverAttributes(path: "/small.txt", query: "again=1", status: 200, responseBody: 17),
        ])
        #expect(Set(server.spans.map(\.traceID)).count == 3)

        let statistics = tracker.statistics
        #expect(statistics.spansBuilt == 3)
        #expect(statistics.unrecognisedConnections == (neighbourStartsLikeHTTP ? 0 : 1))
        #expect(statistics.bytesIgnored == (neighbourStartsLikeHTTP ? 0 : 7 * 2 * 200))
        #expect(statistics.connectionsSeen == 2)
        #expect(statistics.activeConnections == 0)
    }

    @Test func pipelinedRequestsPairInOrder() throws {
        let fixture = try HTTP1Fixture("pipelined")
        let server = Conversation(makeTracker(), ConnectionID(pid: 301, fd: 9, generation: 1), startingAt: 0)
        server.open(.server, local: nginx, remote: peer)
        server.move(.ingress, fixture.requests[...])
        server.move(.egress, fixture.responses[...])
        server.close()
        #expect(server.spans.map(\.name) == ["GET", "HEAD", "GET", "GET"])
        #expect(server.spans.map { $0.attributes["url.path"] } == ["/small.txt", "/small.txt", "/text.txt", "/missing"].map { .string($0) })
        #expect(server.spans.map { $0.attributes["http.response.status_code"] } == [200, 200, 200, 404].map { .int($0) })
        #expect(server.spans.map { $0.attributes["http.response.body.size"] } == [.int(17), nil, .int(535), .int(146)])
        #expect(server.spans.map(\.status) == [.unset, .unset, .unset, .unset])
    }

    @Test func aLargeResponseWithTruncatedCaptureKeepsItsRealSize() throws {
        let fixture = try HTTP1Fixture("large_70k")
        let tracker = makeTracker()
        let client = Conversation(tracker, ConnectionID(pid: 302, fd: 4, generation: 1), startingAt: 0)
        client.open(.client, local: peer, remote: nginx)
        let start = client.move(.egress, fixture.requests[...])
        var end: UInt64 = 0
        var offset = 0
        while offset < fixture.responses.count {
            let write = fixture.responses[offset..<min(offset + 32_768, fixture.responses.count)]
            end = client.move(.ingress, write, captured: 16_384)
            offset += write.count
        }
        #expect(client.spans.count == 1)
        client.close()

        let span = try #require(client.spans.first)
        #expect(span.name == "GET")
        #expect(span.kind == .client)
        #expect(span.startTime == start)
        #expect(span.endTime == end)
        #expect(span.attributes == [
            Attribute("http.request.method", "GET"),
            Attribute("url.full", "http://127.0.0.1:18080/large.bin"),
            Attribute("url.scheme", "http"),
            Attribute("url.path", "/large.bin"),
            Attribute("http.response.status_code", 200),
            Attribute("network.protocol.version", "1.1"),
            Attribute("network.transport", "tcp"),
            Attribute("user_agent.original", "sonde-fixtures"),
            Attribute("http.response.body.size", 70_000),
            Attribute("server.address", "127.0.0.1"),
            Attribute("server.port", 18080),
            Attribute("network.peer.address", "127.0.0.1"),
            Attribute("network.peer.port", 18080),
            Attribute("network.local.address", "127.0.0.1"),
            Attribute("network.local.port", 40000),
        ])
        let statistics = tracker.statistics
        #expect(fixture.responses.count == 70_245)
        #expect(statistics.bytesSkipped == 2 * (32_768 - 16_384))
        #expect(statistics.gaps == 0)
    }

    @Test func aConnectionJoinedInsideABodyIsRecognisedAtTheNextRequest() throws {
        let fixture = try HTTP1Fixture("get_keepalive")
        let requests = fixture.bodylessRequests
        let responses = fixture.responseMessages
        let tracker = makeTracker()
        let joined = Conversation(tracker, ConnectionID(pid: 303, fd: 12, generation: 1), startingAt: 0)
        joined.move(.egress, Array("from nginx\n".utf8)[...])
        for index in 1..<3 {
            joined.move(.ingress, requests[index][...])
            joined.move(.egress, responses[index][...])
        }
        joined.close()
        #expect(joined.spans.map(\.kind) == [.server, .server])
        #expect(joined.spans.map { $0.attributes["url.path"] } == [.string("/index.html"), .string("/small.txt")])
        #expect(joined.spans.map { $0.attributes["client.address"] } == [nil, nil])
        #expect(joined.spans.map { $0.attributes["server.address"] } == [.string("127.0.0.1"), .string("127.0.0.1")])
        #expect(tracker.statistics.bytesIgnored == 11)
    }
}
