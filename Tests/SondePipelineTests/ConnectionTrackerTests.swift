import SondeModel
import SondeTestSupport
import SondeProtocols
import SondePipeline
import Testing

/// A tracker over the toy protocol of ``RecordingSessionFactory``.
private struct TrackerUnderTest {
    let factory = RecordingSessionFactory()
    let tracker: ConnectionTracker
    static let resource = Resource(attributes: [Attribute("service.name", "toy")])

    init(_ adjust: (inout ConnectionTracker.Configuration) -> Void = { _ in }) {
        var configuration = ConnectionTracker.Configuration(detectors: [factory.detector])
        adjust(&configuration)
        tracker = ConnectionTracker(configuration: configuration,
                                    catalog: StaticProcessCatalog(resource: Self.resource))
    }

    @discardableResult
    func feed(_ events: RawEvent...) -> [Span] {
        events.flatMap { tracker.handle($0) }
    }

    var calls: [[RecordingSession.Call]] { factory.sessions.map(\.calls) }
}

private let first = ConnectionID(pid: 100, fd: 7, generation: 1)
private let second = ConnectionID(pid: 100, fd: 8, generation: 1)
private let third = ConnectionID(pid: 200, fd: 7, generation: 1)
private let local = SocketAddress(host: "127.0.0.1", port: 8080)
private let remote = SocketAddress(host: "127.0.0.1", port: 50000)

private func opened(_ id: ConnectionID, _ role: ConnectionRole = .server, at time: UInt64) -> RawEvent {
    .opened(ConnectionOpened(id: id, role: role, local: local, remote: remote, timestamp: time))
}

private func data(_ id: ConnectionID, _ direction: Direction, _ offset: UInt64, _ text: String,
                  size: Int? = nil, at time: UInt64, source: DataChunk.Source = .socket) -> RawEvent {
    let payload = Array(text.utf8)
    return .data(DataChunk(id: id, tid: 1, direction: direction, offset: offset, size: size ?? payload.count,
                           payload: payload, timestamp: time, source: source))
}

/// TLS plaintext, as the OpenSSL probes report it.
private func plaintext(_ id: ConnectionID, _ direction: Direction, _ offset: UInt64, _ text: String,
                       at time: UInt64) -> RawEvent {
    data(id, direction, offset, text, at: time, source: .tlsLibrary)
}

private func closed(_ id: ConnectionID, at time: UInt64) -> RawEvent {
    .closed(ConnectionClosed(id: id, timestamp: time))
}

private let second_ns: UInt64 = 1_000_000_000

@Suite struct ConnectionTrackerTests {
    @Test func inOrderChunksReachTheSessionInOrderAndCloseEndsIt() {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ one", at: 10),
                     data(first, .egress, 0, "RES one", at: 20),
                     data(first, .ingress, 7, "REQ two", at: 30),
                     closed(first, at: 40))
        #expect(subject.factory.sessions.map(\.role) == [.server])
        #expect(subject.calls == [[
            .receive("REQ one", .ingress, at: 10),
            .receive("RES one", .egress, at: 20),
            .receive("REQ two", .ingress, at: 30),
            .close(at: 40),
        ]])
        let statistics = subject.tracker.statistics
        #expect(statistics.connectionsSeen == 1)
        #expect(statistics.activeConnections == 0)
        #expect(statistics.gaps == 0)
        #expect(statistics.bytesSkipped == 0)
    }

    @Test func reorderedChunksAreDeliveredInStreamOrder() {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ 1", at: 10),
                     data(first, .ingress, 10, "CCCCC", at: 12),
                     data(first, .ingress, 5, "BBBBB", at: 11),
                     data(first, .ingress, 15, "DDDDD", at: 13))
        #expect(subject.calls == [[
            .receive("REQ 1", .ingress, at: 10),
            .receive("BBBBB", .ingress, at: 11),
            .receive("CCCCC", .ingress, at: 12),
            .receive("DDDDD", .ingress, at: 13),
        ]])
        #expect(subject.tracker.statistics.gaps == 0)
    }

    @Test func duplicatesAreDroppedAndOverlapsTrimmed() {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ 1", at: 10),
                     data(first, .ingress, 0, "REQ 1", at: 11),
                     data(first, .ingress, 3, " 1abc", at: 12),
                     data(first, .ingress, 1, "EQ", at: 13))
        #expect(subject.calls == [[
            .receive("REQ 1", .ingress, at: 10),
            .receive("abc", .ingress, at: 12),
        ]])
        #expect(subject.tracker.statistics.duplicateChunks == 2)
    }

    @Test func aRangeThatNeverArrivesBecomesASkipWhenTheReorderBufferIsFull() {
        let subject = TrackerUnderTest { $0.reorderChunkLimit = 2 }
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ 1", at: 10),
                     data(first, .ingress, 10, "CCCCC", at: 12),
                     data(first, .ingress, 15, "DDDDD", at: 13))
        #expect(subject.calls == [[.receive("REQ 1", .ingress, at: 10)]])
        subject.feed(data(first, .ingress, 20, "EEEEE", at: 14),
                     data(first, .ingress, 5, "BBBBB", at: 15))
        #expect(subject.calls == [[
            .receive("REQ 1", .ingress, at: 10),
            .skip(5, .ingress, at: 12),
            .receive("CCCCC", .ingress, at: 12),
            .receive("DDDDD", .ingress, at: 13),
            .receive("EEEEE", .ingress, at: 14),
        ]])
        let statistics = subject.tracker.statistics
        #expect(statistics.gaps == 1)
        #expect(statistics.bytesSkipped == 5)
        #expect(statistics.duplicateChunks == 1)
    }

    @Test func theReorderByteLimitAlsoDeclaresTheRangeLost() {
        let subject = TrackerUnderTest { $0.reorderByteLimit = 8 }
        subject.feed(opened(first, at: 1),
                     data(first, .egress, 0, "RES 1", at: 10),
                     data(first, .egress, 100, "later", at: 11),
                     data(first, .egress, 105, "after", at: 12))
        #expect(subject.calls == [[
            .receive("RES 1", .egress, at: 10),
            .skip(95, .egress, at: 11),
            .receive("later", .egress, at: 11),
            .receive("after", .egress, at: 12),
        ]])
    }

    @Test func aChunkWaitingTooLongIsDeliveredByExpire() {
        let subject = TrackerUnderTest { $0.reorderTimeout = .milliseconds(100) }
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ 1", at: second_ns),
                     data(first, .ingress, 8, "late", at: second_ns + 1))
        #expect(subject.tracker.expire(now: second_ns + 50_000_000).isEmpty)
        #expect(subject.calls == [[.receive("REQ 1", .ingress, at: second_ns)]])
        _ = subject.tracker.expire(now: second_ns + 200_000_000)
        #expect(subject.calls == [[
            .receive("REQ 1", .ingress, at: second_ns),
            .skip(3, .ingress, at: second_ns + 1),
            .receive("late", .ingress, at: second_ns + 1),
        ]])
        #expect(subject.tracker.statistics.activeConnections == 1)
    }

    @Test func truncatedChunksAreReceivedThenSkipped() {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ 1", at: 10),
                     data(first, .egress, 0, "RES 1 head", size: 65_536, at: 20),
                     data(first, .egress, 65_536, "RES 2", at: 30))
        #expect(subject.calls == [[
            .receive("REQ 1", .ingress, at: 10),
            .receive("RES 1 head", .egress, at: 20),
            .skip(65_526, .egress, at: 20),
            .receive("RES 2", .egress, at: 30),
        ]])
        #expect(subject.tracker.statistics.bytesSkipped == 65_526)
        #expect(subject.tracker.statistics.gaps == 0)
    }

    @Test func sendfileChunksWithoutPayloadAreSkipped() {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ file", at: 10),
                     data(first, .egress, 0, "RES head", at: 20),
                     data(first, .egress, 8, "", size: 4096, at: 21),
                     data(first, .egress, 4104, "RES next", at: 30))
        #expect(subject.calls == [[
            .receive("REQ file", .ingress, at: 10),
            .receive("RES head", .egress, at: 20),
            .skip(4096, .egress, at: 21),
            .receive("RES next", .egress, at: 30),
        ]])
    }

    @Test func aNewGenerationOnTheSameDescriptorClosesTheOldOneAndLateEventsOfTheOldOneAreDropped() {
        let subject = TrackerUnderTest()
        let reused = ConnectionID(pid: first.pid, fd: first.fd, generation: 2)
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ old", at: 10),
                     opened(reused, .client, at: 20),
                     data(reused, .egress, 0, "REQ new", at: 30),
                     data(first, .ingress, 7, "REQ late", at: 31),
                     closed(reused, at: 40))
        #expect(subject.factory.sessions.map(\.role) == [.server, .client])
        #expect(subject.calls == [
            [.receive("REQ old", .ingress, at: 10), .close(at: 20)],
            [.receive("REQ new", .egress, at: 30), .close(at: 40)],
        ])
        let statistics = subject.tracker.statistics
        #expect(statistics.connectionsSeen == 2)
        #expect(statistics.staleEvents == 1)
        #expect(statistics.activeConnections == 0)
    }

    @Test func idleConnectionsAreForgottenWithoutClosing() {
        let subject = TrackerUnderTest { $0.idleTimeout = .seconds(10) }
        subject.feed(opened(first, at: 1 * second_ns),
                     data(first, .ingress, 0, "REQ idle", at: 2 * second_ns),
                     opened(second, at: 3 * second_ns),
                     data(second, .ingress, 0, "REQ busy", at: 11 * second_ns))
        #expect(subject.tracker.expire(now: 12 * second_ns).isEmpty)
        #expect(subject.tracker.statistics.expiredConnections == 0)
        _ = subject.tracker.expire(now: 13 * second_ns)
        subject.feed(closed(first, at: 14 * second_ns))
        #expect(subject.calls == [
            [.receive("REQ idle", .ingress, at: 2 * second_ns)],
            [.receive("REQ busy", .ingress, at: 11 * second_ns)],
        ])
        let statistics = subject.tracker.statistics
        #expect(statistics.expiredConnections == 1)
        #expect(statistics.activeConnections == 1)
    }

    @Test func theLeastRecentlyActiveConnectionIsEvictedAtTheLimit() {
        let subject = TrackerUnderTest { $0.maxConnections = 2 }
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, "REQ a", at: 2),
                     opened(second, at: 3),
                     data(second, .ingress, 0, "REQ b", at: 4),
                     data(first, .ingress, 5, "REQ c", at: 5),
                     opened(third, at: 6),
                     closed(first, at: 7),
                     closed(second, at: 8))
        #expect(subject.calls == [
            [.receive("REQ a", .ingress, at: 2), .receive("REQ c", .ingress, at: 5), .close(at: 7)],
            [.receive("REQ b", .ingress, at: 4)],
        ])
        let statistics = subject.tracker.statistics
        #expect(statistics.evictedConnections == 1)
        #expect(statistics.activeConnections == 1)
        #expect(statistics.connectionsSeen == 3)
    }

    @Test func aConnectionJoinedMidStreamIsRecognisedAtItsFirstMessage() {
        let subject = TrackerUnderTest()
        subject.feed(data(first, .egress, 5000, "tail of an earlier body", at: 10),
                     data(first, .egress, 5023, "", size: 100, at: 11),
                     data(first, .ingress, 900, "REQ next", at: 12),
                     data(first, .egress, 5123, "RES next", at: 13))
        #expect(subject.factory.sessions.map(\.role) == [.unknown])
        #expect(subject.calls == [[
            .receive("REQ next", .ingress, at: 12),
            .receive("RES next", .egress, at: 13),
        ]])
        let statistics = subject.tracker.statistics
        #expect(statistics.bytesIgnored == 23)
        #expect(statistics.bytesSkipped == 100)
        #expect(statistics.unrecognisedConnections == 0)
    }

    @Test func anUnrecognisedConnectionIsIgnoredUntilItClosesWithoutTouchingItsNeighbour() {
        let subject = TrackerUnderTest { $0.detectionChunkBudget = 3 }
        var generator = SeededGenerator(seed: 42)
        var offset: UInt64 = 0
        subject.feed(opened(first, at: 1), opened(second, at: 2))
        for index in 0..<6 {
            let noise = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = subject.tracker.handle(.data(DataChunk(id: first, tid: 1, direction: index % 2 == 0 ? .ingress : .egress,
                                                       offset: offset, size: noise.count, payload: noise,
                                                       timestamp: 10 + UInt64(index))))
            if index % 2 == 1 { offset += 64 }
        }
        subject.feed(data(first, .ingress, 192, "REQ too late", at: 20),
                     data(second, .ingress, 0, "REQ fine", at: 21),
                     data(second, .egress, 0, "RES fine", at: 22),
                     closed(first, at: 30), closed(second, at: 31))
        #expect(subject.calls == [[
            .receive("REQ fine", .ingress, at: 21),
            .receive("RES fine", .egress, at: 22),
            .close(at: 31),
        ]])
        let statistics = subject.tracker.statistics
        #expect(statistics.unrecognisedConnections == 1)
        #expect(statistics.bytesIgnored == 6 * 64 + 12)
    }

    @Test func exchangesBecomeSpansWithTheCatalogResourceAndResyncsAreCounted() throws {
        let subject = TrackerUnderTest()
        subject.feed(opened(first, at: 1), data(first, .ingress, 0, "REQ", at: 10))
        let session = try #require(subject.factory.sessions.first)
        session.resyncCount = 2
        session.recordsOnClose = [.http(HTTPExchange(
            request: HTTPRequestHead(method: "GET", target: "/", version: HTTPVersion(major: 1, minor: 1),
                                     headers: [HTTPHeader(name: "Host", value: "localhost:8080")]),
            response: HTTPResponseHead(version: HTTPVersion(major: 1, minor: 1), status: 200, reason: "OK",
                                       headers: [HTTPHeader(name: "Content-Length", value: "0")]),
            requestBodySize: 0, responseBodySize: 0, requestDirection: .ingress, requestStart: 10, responseEnd: 20))]
        #expect(subject.tracker.statistics.resyncs == 2)
        let spans = subject.feed(closed(first, at: 30))
        #expect(spans.map(\.name) == ["GET"])
        #expect(spans.map(\.kind) == [.server])
        #expect(spans.map(\.resource) == [TrackerUnderTest.resource])
        #expect(spans.first?.attributes["client.address"] == .string("127.0.0.1"))
        #expect(spans.first?.attributes["client.port"] == .int(50000))
        let statistics = subject.tracker.statistics
        #expect(statistics.spansBuilt == 1)
        #expect(statistics.resyncs == 2)
    }

    // MARK: TLS and processes

    @Test func tlsPlaintextReplacesTheCiphertextStreamsAndLaterCiphertextIsIgnored() throws {
        let subject = TrackerUnderTest()
        let handshake = String(repeating: "\u{16}\u{03}\u{01}", count: 100)
        subject.feed(opened(first, at: 1),
                     data(first, .ingress, 0, handshake, at: 2),
                     data(first, .egress, 0, handshake, at: 3),
                     plaintext(first, .ingress, 0, "REQ one", at: 10),
                     data(first, .ingress, 300, "\u{17}\u{03}\u{03} sealed", at: 11),
                     plaintext(first, .egress, 0, "RES one", at: 20),
                     closed(first, at: 30))
        #expect(subject.calls == [[
            .receive("REQ one", .ingress, at: 10),
            .receive("RES one", .egress, at: 20),
            .close(at: 30),
        ]])
        let statistics = subject.tracker.statistics
        #expect(statistics.tlsConnections == 1)
        #expect(statistics.gaps == 0)
        #expect(statistics.bytesIgnored == 2 * 300 + 10)
    }

    @Test func ciphertextThatExhaustedDetectionDoesNotCountOnceTLSPlaintextArrives() {
        let subject = TrackerUnderTest { $0.detectionChunkBudget = 2 }
        subject.feed(opened(first, at: 1),
                     data(first, .egress, 0, "\u{16}\u{03}\u{01}hello", at: 2),
                     data(first, .ingress, 0, "\u{16}\u{03}\u{03}server", at: 3))
        #expect(subject.tracker.statistics.unrecognisedConnections == 1)
        subject.feed(plaintext(first, .egress, 0, "REQ", at: 4))
        #expect(subject.calls == [[.receive("REQ", .egress, at: 4)]])
        #expect(subject.tracker.statistics.unrecognisedConnections == 0)
    }

    @Test func tlsSessionsWithoutAKnownSocketStayApartAndEndWithTheirProcess() {
        let subject = TrackerUnderTest()
        let sessionA = ConnectionID(pid: 100, fd: ConnectionID.unknownDescriptor, generation: 41)
        let sessionB = ConnectionID(pid: 100, fd: ConnectionID.unknownDescriptor, generation: 42)
        subject.feed(plaintext(sessionA, .ingress, 0, "REQ a", at: 10),
                     plaintext(sessionB, .ingress, 0, "REQ b", at: 11),
                     plaintext(sessionA, .egress, 0, "RES a", at: 12),
                     opened(second, at: 13),
                     data(second, .ingress, 0, "REQ c", at: 14),
                     opened(third, at: 15),
                     data(third, .ingress, 0, "REQ d", at: 16))
        #expect(subject.tracker.statistics.staleEvents == 0)
        #expect(subject.tracker.statistics.activeConnections == 4)
        subject.feed(.process(ProcessEvent(pid: 100, kind: .exec, timestamp: 17)))
        #expect(subject.tracker.statistics.activeConnections == 4)
        subject.feed(.process(ProcessEvent(pid: 100, kind: .exit, timestamp: 20)))
        #expect(subject.tracker.statistics.activeConnections == 1)
        let calls = subject.calls.map { $0.map(\.description) }
        #expect(calls.sorted { $0[0] < $1[0] } == [
            [#"receive("REQ a", ingress, @10)"#, #"receive("RES a", egress, @12)"#, "close(@20)"],
            [#"receive("REQ b", ingress, @11)"#, "close(@20)"],
            [#"receive("REQ c", ingress, @14)"#, "close(@20)"],
            [#"receive("REQ d", ingress, @16)"#],
        ])
    }
}
