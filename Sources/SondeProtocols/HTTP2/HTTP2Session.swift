import SondeModel

/// The HTTP/2 state of one connection (h2c, or h2 from plaintext captured in the TLS library): frames
/// both directions, decodes header blocks with one HPACK decoder per direction, and stitches each
/// stream's request, response and trailers into an exchange when the stream ends (END_STREAM both ways,
/// or RST_STREAM).
///
/// Joining mid-stream, streams whose request head went by unseen produce nothing; header fields that
/// refer to table entries never seen are left out (see `HTTP2HeaderBlockDecoder`). A header block that
/// was not captured whole, or decodes to impossible values, resets that direction's table and drops its
/// stream; `resyncCount` counts these, and the times the framing itself was lost.
///
/// Bytes left uncaptured (a read larger than the capture size) may hide the END_STREAM of any stream
/// open that way: such a stream still ends when its END_STREAM is seen later, and otherwise when the
/// connection closes, at the time of the last bytes seen of it. Its body size is then the declared
/// `content-length`, or unknown.
public final class HTTP2Session: ProtocolSession {
    /// Streams kept open at once; beyond this the oldest (lowest id) is forgotten.
    static let maxOpenStreams = 1024
    /// The largest header block (HEADERS and its CONTINUATION frames) decoded; a larger one is lost.
    static let maxHeaderBlockSize = 1 << 20

    /// A header block whose CONTINUATION frames are still to come.
    private struct PendingBlock {
        var streamID: UInt32
        var endStream: Bool
        /// PUSH_PROMISE blocks are decoded (to keep the table in step) and then dropped.
        var isPushPromise: Bool
        var fragment: [UInt8]
    }

    public private(set) var resyncCount = 0
    /// Which way requests travel; nil until the preface, the role or a request head says so.
    private var requestDirection: Direction?
    /// Indexed by `Direction.rawValue`.
    private var frameDecoders = [HTTP2FrameDecoder(), HTTP2FrameDecoder()]
    private var headerDecoders = [HTTP2HeaderBlockDecoder(fromStart: false), HTTP2HeaderBlockDecoder(fromStart: false)]
    private var pendingBlocks: [PendingBlock?] = [nil, nil]
    /// The stream of a header block given up before its END_HEADERS: its CONTINUATION frames are passed over.
    private var abandonedBlocks: [UInt32?] = [nil, nil]
    private var streams: [UInt32: HTTP2Stream] = [:]
    /// The highest stream id a request head opened.
    private var highestStreamID: UInt32 = 0
    private var sawHeaderBlock = false

    /// A session for a connection where the traced process plays `role`; `.unknown` infers the request
    /// direction from the preface or the first request head.
    public init(role: ConnectionRole) {
        requestDirection = role.requestDirection
    }

    /// The session of a connection upgraded from HTTP/1.1 (see `HTTP2Upgrade`): the upgrade request is
    /// stream 1, already ended by the client, and both HPACK tables start empty.
    init(upgrading request: HTTPRequestHead, bodySize: Int, start: UInt64, requestDirection: Direction) {
        self.requestDirection = requestDirection
        headerDecoders = [HTTP2HeaderBlockDecoder(fromStart: true), HTTP2HeaderBlockDecoder(fromStart: true)]
        var stream = HTTP2Stream(requestFields: HTTP2Upgrade.streamFields(of: request), requestStart: start,
                                 headersComplete: true)
        stream.requestBodySize = bodySize
        stream.requestEnded = true
        streams[1] = stream
        highestStreamID = 1
        if let settings = HTTP2Upgrade.settingsPayload(of: request) {
            applySettings(settings, sentIn: requestDirection)
        }
    }

    public func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64,
                        into records: inout [ProtocolRecord]) {
        var index = 0
        while let event = frameDecoders[direction.index].next(bytes, at: &index, fits: fitsOpenStreams) {
            handle(event, direction: direction, timestamp: timestamp, into: &records)
        }
    }

    public func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        for event in frameDecoders[direction.index].skip(count) {
            handle(event, direction: direction, timestamp: timestamp, into: &records)
        }
    }

    /// Streams whose END_STREAM may have gone by uncaptured, or whose response was whole but for its
    /// END_STREAM, end here; other streams still open never finished: they are dropped.
    public func close(timestamp: UInt64, into records: inout [ProtocolRecord]) {
        defer { streams.removeAll() }
        guard let requestDirection else { return }
        for (id, stream) in streams.sorted(by: { $0.key < $1.key })
        where stream.mayHaveEndedUnseen || stream.hasWholeResponse {
            if let exchange = stream.exchange(streamID: id, resetCode: nil, requestDirection: requestDirection,
                                              end: stream.lastSeen) {
                records.append(.http2(exchange))
            }
        }
    }

    /// Whether a frame header found while resynchronizing belongs to this connection: a frame on a stream
    /// that is open (or, for HEADERS and PRIORITY, could be opened next), or a connection-level frame.
    private func fitsOpenStreams(_ header: HTTP2FrameHeader) -> Bool {
        guard header.streamID != 0 else { return true }
        switch header.kind {
        case .headers, .priority:
            return streams[header.streamID] != nil
                || header.streamID <= highestStreamID + 2 * UInt32(Self.maxOpenStreams)
        default:
            return streams[header.streamID] != nil
        }
    }

    private func handle(_ event: HTTP2FrameDecoder.Event, direction: Direction, timestamp: UInt64,
                        into records: inout [ProtocolRecord]) {
        switch event {
        case .preface:
            if requestDirection == nil { requestDirection = direction }
            if !sawHeaderBlock {
                headerDecoders = [HTTP2HeaderBlockDecoder(fromStart: true), HTTP2HeaderBlockDecoder(fromStart: true)]
            }
        case .frame(let header, let payload):
            handleFrame(header, payload: payload, direction: direction, timestamp: timestamp, into: &records)
        case .data(let header, let bodySize):
            guard var stream = streams[header.streamID], let requestDirection else { return }
            let ends = header.has(HTTP2FrameHeader.endStream)
            if direction == requestDirection {
                stream.requestBodySize += bodySize
                stream.requestEnded = stream.requestEnded || ends
            } else {
                stream.responseBodySize += bodySize
                stream.responseEnded = stream.responseEnded || ends
            }
            update(stream, id: header.streamID, timestamp: timestamp, into: &records)
        case .damaged(let header):
            lose(header, direction: direction)
        case .lostSync(let header):
            if let header { lose(header, direction: direction) }
            if header.map(Self.carriesHeaderBlock) != true {
                loseHeaderBlock(direction: direction, streamID: pendingBlocks[direction.index]?.streamID)
            }
            markGap(direction: direction, timestamp: timestamp)
        case .passedOver:
            markGap(direction: direction, timestamp: timestamp)
        }
    }

    /// Frames of `direction` went by unseen (or unparsed, while the framing is lost): every stream still
    /// open that way may have ended among them, as late as `timestamp`.
    private func markGap(direction: Direction, timestamp: UInt64) {
        guard let requestDirection else { return }
        for id in streams.keys {
            streams[id]?.missFrames(inRequest: direction == requestDirection, at: timestamp)
        }
    }

    private static func carriesHeaderBlock(_ header: HTTP2FrameHeader) -> Bool {
        header.kind == .headers || header.kind == .continuation || header.kind == .pushPromise
    }

    /// A frame other than DATA was not captured whole: a header block's loss resets the table; a lost
    /// RST_STREAM drops its stream, since it may have ended it.
    private func lose(_ header: HTTP2FrameHeader, direction: Direction) {
        if Self.carriesHeaderBlock(header) {
            loseHeaderBlock(direction: direction, streamID: header.streamID)
            if !header.has(HTTP2FrameHeader.endHeaders) { abandonedBlocks[direction.index] = header.streamID }
        } else if header.kind == .rstStream {
            streams[header.streamID] = nil
        }
    }

    private func handleFrame(_ header: HTTP2FrameHeader, payload: [UInt8], direction: Direction, timestamp: UInt64,
                             into records: inout [ProtocolRecord]) {
        if header.kind == .continuation, let abandoned = abandonedBlocks[direction.index] {
            if header.has(HTTP2FrameHeader.endHeaders) { abandonedBlocks[direction.index] = nil }
            if abandoned == header.streamID { return }
        }
        let pending = pendingBlocks[direction.index]
        guard pending == nil || header.kind == .continuation else {
            // A header block must be followed by its CONTINUATION frames and nothing else.
            return loseHeaderBlock(direction: direction, streamID: pending?.streamID)
        }
        switch header.kind {
        case .headers, .pushPromise:
            let isPushPromise = header.kind == .pushPromise
            guard let fragment = Self.headerBlockFragment(of: header, payload: payload) else {
                return loseHeaderBlock(direction: direction, streamID: header.streamID)
            }
            pendingBlocks[direction.index] = PendingBlock(
                streamID: header.streamID, endStream: !isPushPromise && header.has(HTTP2FrameHeader.endStream),
                isPushPromise: isPushPromise, fragment: Array(fragment.dropFirst(isPushPromise ? 4 : 0)))
        case .continuation:
            guard pending?.streamID == header.streamID else {
                return loseHeaderBlock(direction: direction, streamID: header.streamID)
            }
            pendingBlocks[direction.index]?.fragment += payload
            guard pendingBlocks[direction.index]?.fragment.count ?? 0 <= Self.maxHeaderBlockSize else {
                loseHeaderBlock(direction: direction, streamID: header.streamID)
                if !header.has(HTTP2FrameHeader.endHeaders) { abandonedBlocks[direction.index] = header.streamID }
                return
            }
        case .rstStream:
            guard let stream = streams.removeValue(forKey: header.streamID), let requestDirection else { return }
            let code = HTTP2ErrorCode(rawValue: payload.reduce(0) { $0 << 8 | UInt32($1) })
            if let exchange = stream.exchange(streamID: header.streamID, resetCode: code,
                                              requestDirection: requestDirection, end: timestamp) {
                records.append(.http2(exchange))
            }
            return
        case .settings:
            applySettings(payload, sentIn: direction)
            return
        default:
            return
        }
        if header.has(HTTP2FrameHeader.endHeaders), let block = pendingBlocks[direction.index] {
            pendingBlocks[direction.index] = nil
            finishBlock(block, direction: direction, timestamp: timestamp, into: &records)
        }
    }

    /// The header block fragment of a HEADERS or PUSH_PROMISE payload: padding and priority removed.
    private static func headerBlockFragment(of header: HTTP2FrameHeader, payload: [UInt8]) -> ArraySlice<UInt8>? {
        var fragment = payload[...]
        if header.has(HTTP2FrameHeader.padded) {
            guard let padLength = fragment.popFirst().map(Int.init), padLength <= fragment.count else { return nil }
            fragment = fragment.dropLast(padLength)
        }
        if header.kind == .headers, header.has(HTTP2FrameHeader.priority) {
            guard fragment.count >= 5 else { return nil }
            fragment = fragment.dropFirst(5)
        }
        return fragment
    }

    /// SETTINGS_HEADER_TABLE_SIZE from one end bounds the table of the header blocks it receives.
    private func applySettings(_ payload: [UInt8], sentIn direction: Direction) {
        for start in stride(from: 0, to: payload.count - 5, by: 6) {
            let identifier = UInt16(payload[start]) << 8 | UInt16(payload[start + 1])
            let value = payload[(start + 2)..<(start + 6)].reduce(0) { $0 << 8 | Int($1) }
            if identifier == 0x1 { headerDecoders[direction.opposite.index].setMaxTableSize(value) }
        }
    }

    private func finishBlock(_ block: PendingBlock, direction: Direction, timestamp: UInt64,
                             into records: inout [ProtocolRecord]) {
        sawHeaderBlock = true
        guard let decoded = headerDecoders[direction.index].decode(block.fragment),
              Self.hasPossibleValues(decoded.fields) else {
            return loseHeaderBlock(direction: direction, streamID: block.streamID)
        }
        guard !block.isPushPromise else { return }
        let fields = decoded.fields
        if requestDirection == nil {
            if fields.first(named: ":method") != nil {
                requestDirection = direction
            } else if fields.first(named: ":status") != nil {
                requestDirection = direction.opposite
            }
        }
        guard let requestDirection else { return }
        if direction == requestDirection {
            guard var stream = streams[block.streamID] else {
                guard fields.first(named: ":method") != nil else { return }
                var stream = HTTP2Stream(requestFields: fields, requestStart: timestamp,
                                         headersComplete: decoded.isComplete)
                stream.requestEnded = block.endStream
                highestStreamID = max(highestStreamID, block.streamID)
                return open(stream, id: block.streamID)
            }
            stream.headersComplete = stream.headersComplete && decoded.isComplete
            stream.requestEnded = stream.requestEnded || block.endStream
            update(stream, id: block.streamID, timestamp: timestamp, into: &records)
        } else {
            guard var stream = streams[block.streamID] else { return }
            stream.receiveResponseBlock(fields)
            stream.headersComplete = stream.headersComplete && decoded.isComplete
            stream.responseEnded = stream.responseEnded || block.endStream
            update(stream, id: block.streamID, timestamp: timestamp, into: &records)
        }
    }

    /// Decoded values no real stream carries betray a table out of step with the encoder's.
    private static func hasPossibleValues(_ fields: [HTTPHeader]) -> Bool {
        if let status = fields.first(named: ":status") {
            guard status.utf8.count == 3, let code = Int(status), (100...599).contains(code) else { return false }
        }
        if let method = fields.first(named: ":method") {
            guard !method.isEmpty, method.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        }
        return true
    }

    private func open(_ stream: HTTP2Stream, id: UInt32) {
        if streams.count >= Self.maxOpenStreams, let oldest = streams.keys.min() {
            streams[oldest] = nil
        }
        streams[id] = stream
    }

    /// Stores `stream`, or makes its exchange when both sides have ended it.
    private func update(_ stream: HTTP2Stream, id: UInt32, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        var stream = stream
        stream.lastSeen = timestamp
        guard stream.isFinished, let requestDirection else {
            streams[id] = stream
            return
        }
        streams[id] = nil
        if let exchange = stream.exchange(streamID: id, resetCode: nil, requestDirection: requestDirection,
                                          end: timestamp) {
            records.append(.http2(exchange))
        }
    }

    /// A header block of `direction` was lost or undecodable: its table is reset and its stream dropped.
    private func loseHeaderBlock(direction: Direction, streamID: UInt32?) {
        resyncCount += 1
        pendingBlocks[direction.index] = nil
        headerDecoders[direction.index].resync()
        if let streamID { streams[streamID] = nil }
    }
}

extension Direction {
    /// The direction's place in per-direction arrays.
    fileprivate var index: Int { Int(rawValue) }
}
