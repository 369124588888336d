/// Splits one direction of an HTTP/2 connection into frames, incrementally: bytes may arrive split
/// anywhere, and runs of uncaptured bytes are skipped by length where the framing allows.
///
/// DATA payloads are never buffered (only their sizes matter); other frames are handed over whole, up to
/// `maxBufferedPayload` (a larger one is passed over as `damaged`).
/// When the framing itself is lost (bytes missing inside a frame header, or a frame header that no
/// valid stream holds), the decoder reports `lostSync` and resumes at the first run of plausible frames
/// that fit the connection (see `HTTP2Detector.frameBoundary(in:fits:)`).
struct HTTP2FrameDecoder {
    enum Event: Equatable {
        /// The client connection preface.
        case preface
        /// A whole frame other than DATA, with its payload.
        case frame(HTTP2FrameHeader, payload: [UInt8])
        /// A DATA frame went by; `bodySize` is its payload without padding, captured or not.
        case data(HTTP2FrameHeader, bodySize: Int)
        /// A frame other than DATA went by with part of its payload not captured (or too large to keep).
        case damaged(HTTP2FrameHeader)
        /// Frame boundaries are lost, inside the frame `within` if bytes of one were missing; frames resume
        /// at the next run of plausible frames.
        case lostSync(within: HTTP2FrameHeader?)
        /// Bytes went by unparsed (captured or not) while frame boundaries were lost.
        case passedOver
    }

    private enum State {
        /// At the start of the direction, where the client sends the preface.
        case start
        case header
        /// Inside the payload of `header`; `damaged` when bytes of it were not captured.
        case payload(HTTP2FrameHeader, remaining: Int, damaged: Bool)
        case lost
    }

    /// The largest payload of a frame other than DATA that is kept (HEADERS, CONTINUATION, SETTINGS...).
    static let maxBufferedPayload = 1 << 20

    private var state = State.start

    /// The preface or frame header bytes so far, or the payload of a frame other than DATA (for DATA,
    /// only the pad length byte).
    private var pending: [UInt8] = []

    /// The next event from `bytes[index...]`, advancing `index` past what it consumed; nil when `bytes`
    /// are used up. A lost decoder resumes where plausible frames start (at the start of a chunk, or
    /// inside it where their headers also `fit` the connection's streams).
    mutating func next(_ bytes: [UInt8], at index: inout Int, fits: (HTTP2FrameHeader) -> Bool) -> Event? {
        while index < bytes.count {
            switch state {
            case .start:
                if let event = readPreface(bytes, at: &index) { return event }
            case .header:
                let wanted = HTTP2FrameHeader.size - pending.count
                let end = min(bytes.count, index + wanted)
                pending += bytes[index..<end]
                index = end
                guard pending.count == HTTP2FrameHeader.size else { return nil }
                let header = HTTP2FrameHeader(pending[...])
                pending.removeAll(keepingCapacity: true)
                let isPlausible = header.kind == nil
                    ? header.streamID & 0x8000_0000 == 0 && header.length <= HTTP2FrameHeader.defaultMaxPayloadLength
                    : header.isPlausible(maxPayloadLength: HTTP2FrameHeader.maxPayloadLength)
                if !isPlausible {
                    state = .lost
                    return .lostSync(within: nil)
                }
                let keeps = header.kind == .data || header.length <= Self.maxBufferedPayload
                state = .payload(header, remaining: header.length, damaged: !keeps)
                if header.length == 0 { return finishFrame(header, damaged: false) }
            case .payload(let header, let remaining, let damaged):
                let take = min(remaining, bytes.count - index)
                if header.kind != .data, !damaged {
                    pending += bytes[index..<(index + take)]
                } else if header.has(HTTP2FrameHeader.padded), remaining == header.length {
                    pending.append(bytes[index])
                }
                index += take
                state = .payload(header, remaining: remaining - take, damaged: damaged)
                if remaining == take { return finishFrame(header, damaged: damaged) }
            case .lost:
                if index == 0, HTTP2Detector.startsWithFrames(bytes[...], fits: fits) {
                    state = .header
                } else if let boundary = HTTP2Detector.frameBoundary(in: bytes[index...], fits: fits) {
                    state = .header
                    defer { index = boundary }
                    if boundary > index { return .passedOver }
                } else {
                    index = bytes.count
                    return .passedOver
                }
            }
        }
        return nil
    }

    /// `count` bytes of this direction were not captured; returns what that means for the framing.
    mutating func skip(_ count: Int) -> [Event] {
        guard count > 0 else { return [] }
        switch state {
        case .payload(let header, let remaining, _) where count <= remaining:
            state = .payload(header, remaining: remaining - count, damaged: true)
            return remaining == count ? [finishFrame(header, damaged: true)] : []
        case .payload(let header, _, _):
            pending.removeAll()
            state = .lost
            return [.lostSync(within: header)]
        case .lost:
            return [.passedOver]
        case .start, .header:
            pending.removeAll()
            state = .lost
            return [.lostSync(within: nil)]
        }
    }

    /// Matches the preface at the start of the direction; any other start is taken for frames.
    private mutating func readPreface(_ bytes: [UInt8], at index: inout Int) -> Event? {
        let preface = HTTP2Preface.bytes
        while index < bytes.count, pending.count < preface.count {
            guard bytes[index] == preface[pending.count] else {
                if pending.isEmpty {
                    state = .header
                    return nil
                }
                pending.removeAll()
                state = .lost
                return .lostSync(within: nil)
            }
            pending.append(bytes[index])
            index += 1
        }
        guard pending.count == preface.count else { return nil }
        pending.removeAll()
        state = .header
        return .preface
    }

    private mutating func finishFrame(_ header: HTTP2FrameHeader, damaged: Bool) -> Event {
        state = .header
        defer { pending.removeAll(keepingCapacity: true) }
        if header.kind == .data {
            var padding = 0
            if header.has(HTTP2FrameHeader.padded), let padLength = pending.first { padding = 1 + Int(padLength) }
            return .data(header, bodySize: max(0, header.length - padding))
        }
        return damaged ? .damaged(header) : .frame(header, payload: pending)
    }
}
