import SondeModel

/// The HTTP/1.x state of one connection: decodes both directions and pairs each request with its final
/// response, strictly first in, first out (keep-alive and pipelining).
///
/// Interim responses (`1xx` other than `101`) are skipped. A `101 Switching Protocols` to `Upgrade: h2c`
/// hands the connection to an `HTTP2Session`, where the upgrade request is stream 1 and gets its real
/// response. Any other `101`, or a `2xx` to `CONNECT`, is paired and then the connection is no longer
/// decoded.
///
/// Gaps and garbage never invent a pair. When a direction loses sync (see `HTTPMessageDecoder`), the
/// message in progress there is dropped, `resyncCount` grows, and that direction resumes at the next
/// request line or status line found at a line start. Then:
/// - request side: the pending requests are forgotten, and a response is only ever paired with a
///   request whose first byte was seen before the response's first byte, so the responses to requests
///   lost in the gap (which start before the first request seen after the resync) are dropped;
/// - response side: the response in progress and every pending request are dropped, since the
///   responses to any of them may have been in the gap; the next response pairs with a later request.
/// A response that still answers a dropped request but starts after the next request (pipelining across
/// a gap) cannot be told apart from the wire and would pair with it.
public final class HTTP1Session: ProtocolSession {
    /// A request whose final response has not been seen yet.
    private struct PendingRequest {
        var id: Int
        var head: HTTPRequestHead
        var start: StreamMark
        var bodySize = 0
        /// The body's length as its head declares it (Content-Length), when it does.
        var declaredBodySize: Int?
    }

    /// The final (or interim) response being decoded.
    private struct ResponseInProgress {
        /// The request it answers; nil for interim responses and for responses with no request to answer.
        var request: PendingRequest?
        var head: HTTPResponseHead
        var framing: HTTPBodyFraming
    }

    /// Pipelined requests kept waiting for their responses before the request side is treated as lost.
    static let maxPendingRequests = 1024

    public var resyncCount: Int { ownResyncCount + (upgraded?.resyncCount ?? 0) }
    private var ownResyncCount = 0
    /// The HTTP/2 session the connection was upgraded to, which takes every byte after the `101`.
    private var upgraded: HTTP2Session?
    /// Which way requests travel; nil until the first message start says so (role `.unknown`).
    private var requestDirection: Direction?
    /// Indexed by `Direction.rawValue`.
    private var decoders: [HTTPMessageDecoder]
    private var pendingRequests: [PendingRequest] = []
    /// The request whose body is being decoded, if its head was seen.
    private var requestInProgress: Int?
    private var response: ResponseInProgress?
    private var nextRequestID = 0
    private var sequence = 0

    /// A session for a connection where the traced process plays `role`; `.unknown` infers the request
    /// direction from the first request line or status line seen.
    public init(role: ConnectionRole) {
        switch role {
        case .server: requestDirection = .ingress
        case .client: requestDirection = .egress
        case .unknown: requestDirection = nil
        }
        decoders = Direction.allCases.map { _ in HTTPMessageDecoder(accepting: .either) }
        if let requestDirection { adopt(requestDirection: requestDirection) }
    }

    /// True when `prefix` starts like an HTTP/1 request line or status line (see `HTTP1Detector`).
    public static func recognizes(_ prefix: ArraySlice<UInt8>) -> Bool {
        HTTP1Detector.recognizes(prefix)
    }

    public func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64,
                        into records: inout [ProtocolRecord]) {
        if let upgraded { return upgraded.receive(bytes, direction: direction, timestamp: timestamp, into: &records) }
        drain(bytes, direction: direction, mark: nextMark(timestamp), into: &records)
    }

    public func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        if let upgraded { return upgraded.skip(count, direction: direction, timestamp: timestamp, into: &records) }
        let mark = nextMark(timestamp)
        decoders[direction.index].skip(count, at: mark)
        drain([], direction: direction, mark: mark, into: &records)
    }

    public func close(timestamp: UInt64, into records: inout [ProtocolRecord]) {
        if let upgraded { return upgraded.close(timestamp: timestamp, into: &records) }
        let mark = nextMark(timestamp)
        for direction in Direction.allCases {
            if let event = decoders[direction.index].close(at: mark) {
                handle(event, direction: direction, mark: mark, into: &records)
            }
        }
        pendingRequests.removeAll()
        response = nil
    }

    private func nextMark(_ timestamp: UInt64) -> StreamMark {
        sequence += 1
        return StreamMark(timestamp: timestamp, sequence: sequence)
    }

    /// Decodes `bytes` of `direction` and acts on every event; after an upgrade to h2c, the rest of
    /// `bytes` goes to the HTTP/2 session.
    private func drain(_ bytes: [UInt8], direction: Direction, mark: StreamMark, into records: inout [ProtocolRecord]) {
        var index = 0
        while let event = decoders[direction.index].next(bytes, at: &index, mark: mark) {
            handle(event, direction: direction, mark: mark, into: &records)
            if let upgraded {
                if index < bytes.count {
                    upgraded.receive(Array(bytes[index...]), direction: direction, timestamp: mark.timestamp,
                                     into: &records)
                }
                return
            }
        }
    }

    private func handle(_ event: HTTPMessageDecoder.Event, direction: Direction, mark: StreamMark,
                        into records: inout [ProtocolRecord]) {
        switch event {
        case .head(let head, let start):
            switch head.startLine {
            case .request(let message):
                if requestDirection == nil { adopt(requestDirection: direction) }
                guard direction == requestDirection else { return abandonMessage(in: direction) }
                beginRequest(message, of: head, direction: direction, start: start, mark: mark)
            case .response(let message):
                if requestDirection == nil { adopt(requestDirection: direction.opposite) }
                guard direction != requestDirection else { return abandonMessage(in: direction) }
                beginResponse(message, of: head, direction: direction, start: start, mark: mark)
            }
        case .end(let bodySize, let end):
            if direction == requestDirection {
                endRequest(bodySize: bodySize)
            } else {
                endResponse(bodySize: bodySize, end: end, into: &records)
            }
        case .lostSync:
            lostSync(in: direction)
        }
    }

    private func adopt(requestDirection: Direction) {
        self.requestDirection = requestDirection
        decoders[requestDirection.index].accepting = .requests
        decoders[requestDirection.opposite.index].accepting = .responses
    }

    private func beginRequest(_ message: HTTPRequestHead, of head: HTTPHead, direction: Direction,
                              start: StreamMark, mark: StreamMark) {
        guard let framing = HTTPBodyFraming(request: head), pendingRequests.count < Self.maxPendingRequests else {
            return abandonMessage(in: direction)
        }
        var declaredBodySize: Int?
        if case .length(let length) = framing { declaredBodySize = length }
        pendingRequests.append(PendingRequest(id: nextRequestID, head: message, start: start,
                                              declaredBodySize: declaredBodySize))
        requestInProgress = nextRequestID
        nextRequestID += 1
        decoders[direction.index].beginBody(framing, at: mark)
    }

    private func endRequest(bodySize: Int) {
        if let last = pendingRequests.indices.last, pendingRequests[last].id == requestInProgress {
            pendingRequests[last].bodySize = bodySize
        } else if response?.request?.id == requestInProgress {
            response?.request?.bodySize = bodySize
        }
        requestInProgress = nil
    }

    private func beginResponse(_ message: HTTPResponseHead, of head: HTTPHead, direction: Direction,
                               start: StreamMark, mark: StreamMark) {
        let isInterim = (100..<200).contains(message.status) && message.status != 101
        var request: PendingRequest?
        // A response answers the oldest pending request, and only one sent before the response began.
        if !isInterim, let oldest = pendingRequests.first, oldest.start.sequence < start.sequence {
            request = pendingRequests.removeFirst()
        }
        let framing = HTTPBodyFraming(response: head, status: message.status, requestMethod: request?.head.method)
        response = ResponseInProgress(request: request, head: message, framing: framing)
        decoders[direction.index].beginBody(framing, at: mark)
    }

    private func endResponse(bodySize: Int, end: StreamMark, into records: inout [ProtocolRecord]) {
        guard let finished = response else { return }
        response = nil
        if finished.framing == .tunnel, let requestDirection {
            decoders[requestDirection.index].stop()
        }
        guard let request = finished.request, let requestDirection else { return }
        // A server may answer before reading the whole body (and discard the rest later): the body's size
        // is then the declared one, or what was seen so far.
        let requestBodySize = request.id == requestInProgress
            ? request.declaredBodySize ?? decoders[requestDirection.index].bodySize : request.bodySize
        if HTTP2Upgrade.switches(request.head, to: finished.head) {
            upgraded = HTTP2Session(upgrading: request.head, bodySize: requestBodySize,
                                    start: request.start.timestamp, requestDirection: requestDirection)
            return
        }
        records.append(.http(HTTPExchange(
            request: request.head, response: finished.head, requestBodySize: requestBodySize,
            responseBodySize: bodySize, requestDirection: requestDirection,
            requestStart: request.start.timestamp, responseEnd: end.timestamp)))
    }

    /// Drops the message whose head was just decoded in `direction` as not decodable; the decoder then
    /// reports the lost sync.
    private func abandonMessage(in direction: Direction) {
        decoders[direction.index].abandon()
    }

    /// Applies the resync rule of the type's documentation after `direction` lost sync.
    private func lostSync(in direction: Direction) {
        ownResyncCount += 1
        if direction == requestDirection {
            pendingRequests.removeAll()
            requestInProgress = nil
        } else if requestDirection != nil {
            pendingRequests.removeAll()
            response = nil
        }
    }
}

extension Direction {
    /// The direction's place in per-direction arrays.
    fileprivate var index: Int { Int(rawValue) }
}
