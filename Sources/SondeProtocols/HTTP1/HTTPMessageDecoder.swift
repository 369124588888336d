/// When a piece of a stream was seen: its timestamp, and its place in the order of the session's calls.
struct StreamMark: Equatable {
    /// Nanoseconds since the Unix epoch.
    var timestamp: UInt64
    /// Increases with every call into the session, across both directions.
    var sequence: Int
}

/// The incremental decoder of one direction of an HTTP/1 connection: message heads, body framing, gaps
/// and resynchronisation.
///
/// Pull-style: `next` consumes input until it has something to report. After a `.head` the owner
/// decides the body framing (a response's depends on its request) and calls `beginBody` before pulling
/// again. Bodies are counted, never copied; only heads and chunk-size lines are buffered, both bounded.
struct HTTPMessageDecoder {
    enum Event {
        /// A message head, with the mark of the chunk that held its first byte.
        case head(HTTPHead, start: StreamMark)
        /// The message ended: its body size (chunk framing excluded) and the mark of its last byte.
        case end(bodySize: Int, at: StreamMark)
        /// The stream stopped making sense (bad syntax or an unbridgeable gap): the message in progress
        /// is dropped and the decoder looks for the next message start at a line start.
        case lostSync
    }

    private enum State {
        /// Between messages.
        case idle
        case head
        /// A head was reported; waiting for `beginBody`.
        case awaitingFraming
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkDataEnd
        case trailers
        case untilClose
        /// The message ended; report it, then go on as `then` says.
        case ended(StreamMark, then: AfterEnd)
        /// Sync was lost; report it, then scan.
        case lost(atLineStart: Bool)
        /// Scanning for a message start; `atLineStart` says whether the next byte begins a line.
        case desynced(atLineStart: Bool)
        /// No longer HTTP (upgraded or tunnelled), or closed.
        case stopped
    }

    private enum AfterEnd {
        case idle, lost, stopped
    }

    /// The longest chunk-size or trailer line accepted.
    static let maxLineLength = 4096

    private var state = State.idle
    private var head: HTTPHeadAccumulator
    private var line: [UInt8] = []
    private var lineIsComplete = false
    private var trailerCount = 0
    private var messageStart = StreamMark(timestamp: 0, sequence: 0)
    /// Body bytes of the message in progress.
    private(set) var bodySize = 0
    /// Bytes already taken from the input that must be scanned again (a head that turned out invalid).
    private var replay: [UInt8] = []

    init(accepting: HTTP1Detector.Accepting) {
        head = HTTPHeadAccumulator(accepting: accepting)
    }

    /// Which start lines this direction accepts.
    var accepting: HTTP1Detector.Accepting {
        get { head.accepting }
        set { head.accepting = newValue }
    }

    /// Decodes `input` from `index`, returning the next event, or nil once all input is consumed.
    mutating func next(_ input: [UInt8], at index: inout Int, mark: StreamMark) -> Event? {
        if !replay.isEmpty {
            let pending = replay
            replay = []
            var replayIndex = 0
            let event = step(pending, at: &replayIndex, mark: mark)
            replay.append(contentsOf: pending[replayIndex...])
            // Without an event the replay was consumed, unless a head still waits for `beginBody`.
            if event != nil || !replay.isEmpty { return event }
        }
        return step(input, at: &index, mark: mark)
    }

    /// Sets how the body of the message whose head was just reported ends.
    mutating func beginBody(_ framing: HTTPBodyFraming, at mark: StreamMark) {
        switch framing {
        case .none: state = .ended(mark, then: .idle)
        case .length(let length): state = .fixedBody(remaining: length)
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        case .tunnel: state = .ended(mark, then: .stopped)
        }
    }

    /// Drops the message whose head was just reported, as not decodable.
    mutating func abandon() {
        loseSync(atLineStart: true)
    }

    /// Stops decoding: the connection is no longer HTTP.
    mutating func stop() {
        state = .stopped
        clearBuffers()
    }

    /// `count` bytes went by uncaptured. Inside a body of known remaining length that holds them, they
    /// are counted and sync is kept; a read-until-close body grows; anywhere else sync is lost.
    /// Call `next` afterwards (with no input) to collect the events this causes.
    mutating func skip(_ count: Int, at mark: StreamMark) {
        guard count > 0 else { return }
        switch state {
        case .stopped, .lost:
            break
        case .desynced:
            state = .desynced(atLineStart: true)
        case .untilClose:
            bodySize += count
        case .fixedBody(let remaining):
            bodySize += min(count, remaining)
            if count < remaining {
                state = .fixedBody(remaining: remaining - count)
            } else {
                state = .ended(mark, then: count == remaining ? .idle : .lost)
            }
        case .chunkData(let remaining) where count <= remaining:
            bodySize += count
            state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
        case .idle, .head, .awaitingFraming, .chunkSize, .chunkData, .chunkDataEnd, .trailers, .ended:
            loseSync(atLineStart: true)
        }
    }

    /// The connection closed: a body delimited by the close ends now.
    mutating func close(at mark: StreamMark) -> Event? {
        defer { stop() }
        guard case .untilClose = state else { return nil }
        return .end(bodySize: bodySize, at: mark)
    }

    private mutating func step(_ input: [UInt8], at index: inout Int, mark: StreamMark) -> Event? {
        while true {
            switch state {
            case .idle:
                while index < input.count, input[index] == .carriageReturn || input[index] == .lineFeed {
                    index += 1
                }
                guard index < input.count else { return nil }
                messageStart = mark
                bodySize = 0
                state = .head

            case .head:
                switch head.append(input, at: &index) {
                case .needMore:
                    return nil
                case .invalid:
                    replay = Array(head.bytes.dropFirst())
                    loseSync(atLineStart: false)
                case .complete(let parsed):
                    head.reset()
                    state = .awaitingFraming
                    return .head(parsed, start: messageStart)
                }

            case .awaitingFraming:
                return nil

            case .fixedBody(let remaining):
                guard index < input.count else { return nil }
                let taken = min(remaining, input.count - index)
                index += taken
                bodySize += taken
                state = taken == remaining ? .ended(mark, then: .idle) : .fixedBody(remaining: remaining - taken)

            case .chunkData(let remaining):
                guard index < input.count else { return nil }
                let taken = min(remaining, input.count - index)
                index += taken
                bodySize += taken
                state = taken == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - taken)

            case .chunkSize:
                guard let complete = readLine(input, at: &index) else { return nil }
                if complete, let size = chunkSize() {
                    state = size == 0 ? .trailers : .chunkData(remaining: size)
                    trailerCount = 0
                } else {
                    loseSync(atLineStart: complete)
                }

            case .chunkDataEnd:
                guard let complete = readLine(input, at: &index) else { return nil }
                if complete, line.isEmpty {
                    state = .chunkSize
                } else {
                    loseSync(atLineStart: complete)
                }

            case .trailers:
                guard let complete = readLine(input, at: &index) else { return nil }
                trailerCount += 1
                if complete, line.isEmpty {
                    state = .ended(mark, then: .idle)
                } else if !complete || trailerCount > HTTPHeadAccumulator.maxFieldCount {
                    loseSync(atLineStart: complete)
                }

            case .untilClose:
                bodySize += input.count - index
                index = input.count
                return nil

            case .ended(let end, let next):
                let size = bodySize
                switch next {
                case .idle: state = .idle
                case .lost: loseSync(atLineStart: true)
                case .stopped: stop()
                }
                return .end(bodySize: size, at: end)

            case .lost(let atLineStart):
                state = .desynced(atLineStart: atLineStart)
                return .lostSync

            case .desynced(let atLineStart):
                if scanForMessageStart(input, at: &index, atLineStart: atLineStart) {
                    state = .idle
                } else {
                    return nil
                }

            case .stopped:
                index = input.count
                return nil
            }
        }
    }

    /// Moves `index` to the next line start that could begin a message, or to the end of the input.
    private mutating func scanForMessageStart(_ input: [UInt8], at index: inout Int, atLineStart: Bool) -> Bool {
        var atLineStart = atLineStart
        while index < input.count {
            if atLineStart, HTTP1Detector.classify(input[index...], accepting: head.accepting) != .mismatch {
                return true
            }
            guard let lineFeed = input[index...].firstIndex(of: .lineFeed) else {
                index = input.count
                atLineStart = false
                break
            }
            index = lineFeed + 1
            atLineStart = true
        }
        state = .desynced(atLineStart: atLineStart)
        return false
    }

    /// Collects a line into `line` (without its CRLF). Nil: more input needed; false: the line is too long.
    private mutating func readLine(_ input: [UInt8], at index: inout Int) -> Bool? {
        if lineIsComplete {
            line.removeAll(keepingCapacity: true)
            lineIsComplete = false
        }
        let lineFeed = input[index...].firstIndex(of: .lineFeed)
        let stop = lineFeed.map { $0 + 1 } ?? input.count
        guard line.count + (stop - index) <= Self.maxLineLength else { return false }
        line.append(contentsOf: input[index..<stop])
        index = stop
        guard lineFeed != nil else { return nil }
        line.removeLast()
        if line.last == .carriageReturn { line.removeLast() }
        lineIsComplete = true
        return true
    }

    /// The size in a chunk-size line (`1a2b;extension=value`), if well formed.
    private func chunkSize() -> Int? {
        let digits = line.prefix { $0 != .semicolon && $0 != .space && $0 != .tab }
        guard !digits.isEmpty, digits.count <= 15 else { return nil }
        var size = 0
        for byte in digits {
            guard let value = hexValue(byte) else { return nil }
            size = size << 4 | value
        }
        return size
    }

    private func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func loseSync(atLineStart: Bool) {
        state = .lost(atLineStart: atLineStart)
        clearBuffers()
    }

    private mutating func clearBuffers() {
        head.reset()
        line.removeAll(keepingCapacity: true)
        lineIsComplete = false
        bodySize = 0
    }
}
