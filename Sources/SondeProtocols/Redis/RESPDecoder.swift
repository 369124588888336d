/// The incremental RESP decoder of one direction of a Redis connection: complete values out, whatever
/// the split of the bytes into calls.
///
/// Bulk payloads of any size are followed without being kept (only their first bytes are), so a
/// payload whose tail was not captured is passed over with `skip(_:at:)`. Bytes that cannot be RESP (a
/// bad type byte, a malformed header, a missing CRLF, a gap outside a bulk payload) lose sync: the
/// decoder reports it once, drops everything until the start of a later call whose first byte can
/// begin a value, and resumes there.
struct RESPDecoder {
    /// Bounds on what one value may hold in memory.
    struct Limits {
        /// Payload bytes kept of each bulk string of the top-level value and its elements.
        var capturedBytes = 1024
        /// Elements kept of a top-level aggregate (nested aggregates keep none).
        var keptElements = 64
        /// A header line (or inline command) longer than this is not RESP.
        var lineLength = 64 * 1024
        /// Aggregates nested deeper than this are not accepted.
        var depth = 32
    }

    enum Event {
        /// A complete top-level value, from its first byte (or the attribute before it) to its last.
        case value(RESPValue, start: StreamMark, end: StreamMark)
        /// Bytes were lost or malformed; the decoder resyncs at a later call.
        case lostSync
    }

    private enum State {
        /// Expecting the type byte of a value.
        case typeByte
        /// Reading the header line of a value of `kind` (into `line`).
        case line(RESPValue.Kind)
        /// Reading an inline command line (into `line`).
        case inline
        /// Reading a bulk payload; `remaining` counts the payload bytes left plus the final CRLF.
        case payload(RESPValue, remaining: Int)
        /// Dropping bytes until a call starts with something that can begin a value.
        case resyncing
    }

    /// An aggregate whose elements are being read.
    private struct Frame {
        var value: RESPValue
        var remaining: Int
    }

    /// Whether a top-level value may also be an inline command (a line of words, on the request side).
    var acceptsInline: Bool
    private let limits: Limits
    private var state = State.typeByte
    private var frames: [Frame] = []
    /// The header or inline line read so far: one buffer for every line, so reading a line allocates nothing.
    private var line: [UInt8] = []
    private var start: StreamMark?
    /// Set by `stop()`: nothing is decoded any more.
    private var stopped = false

    init(acceptsInline: Bool, limits: Limits = Limits()) {
        self.acceptsInline = acceptsInline
        self.limits = limits
    }

    /// Whether the decoder is between top-level values.
    var isIdle: Bool {
        if case .typeByte = state { return frames.isEmpty && start == nil }
        return false
    }

    /// Whether the decoder is inside a bulk payload of the top-level value (a reply cut by the capture).
    var isInTopLevelPayload: Bool {
        if case .payload = state { return frames.isEmpty }
        return false
    }

    /// Decodes from `bytes[index...]` up to the next event; `index == 0` marks the start of a call.
    mutating func next(_ bytes: [UInt8], at index: inout Int, mark: StreamMark) -> Event? {
        if case .resyncing = state {
            guard index == 0, let first = bytes.first, canBeginValue(first) else {
                index = bytes.count
                return nil
            }
            state = .typeByte
        }
        while index < bytes.count {
            switch state {
            case .typeByte:
                let byte = bytes[index]
                if start == nil { start = mark }
                if let kind = RESPValue.Kind(rawValue: byte) {
                    state = .line(kind)
                    startLine()
                    index += 1
                } else if acceptsInline, frames.isEmpty, isInlineStart(byte) {
                    state = .inline
                    startLine()
                } else {
                    return loseSync(&index, count: bytes.count)
                }
            case .line(let kind):
                guard let lineEnd = Self.readLine(bytes, at: &index, into: &line) else {
                    guard line.count <= limits.lineLength else { return loseSync(&index, count: bytes.count) }
                    continue
                }
                guard lineEnd else { return loseSync(&index, count: bytes.count) }
                switch header(kind, line: line, mark: mark) {
                case .malformed: return loseSync(&index, count: bytes.count)
                case .event(let event): return event
                case .more: continue
                }
            case .inline:
                guard let lineEnd = Self.readLine(bytes, at: &index, into: &line, bareLineFeed: true) else {
                    guard line.count <= limits.lineLength else { return loseSync(&index, count: bytes.count) }
                    continue
                }
                guard lineEnd else { return loseSync(&index, count: bytes.count) }
                state = .typeByte
                let words = Self.inlineWords(line)
                if words.isEmpty {
                    start = nil
                    continue
                }
                let elements = words.map { RESPValue(kind: .bulkString, bytes: Array($0.prefix(limits.capturedBytes)), length: $0.count) }
                if let event = complete(RESPValue(kind: .array, length: elements.count,
                                                  elements: Array(elements.prefix(limits.keptElements))), mark: mark) {
                    return event
                }
            case .payload(var value, var remaining):
                if remaining > 2 {
                    let take = min(remaining - 2, bytes.count - index)
                    let room = frames.count <= 1 ? limits.capturedBytes - value.bytes.count : 0
                    if room > 0 {
                        let kept = index..<(index + min(take, room))
                        bytes.withUnsafeBufferPointer { value.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[kept])) }
                    }
                    index += take
                    remaining -= take
                    state = .payload(value, remaining: remaining)
                    continue
                }
                let expected: UInt8 = remaining == 2 ? .carriageReturn : .lineFeed
                guard bytes[index] == expected else { return loseSync(&index, count: bytes.count) }
                index += 1
                if remaining == 2 {
                    state = .payload(value, remaining: 1)
                } else {
                    state = .typeByte
                    if let event = complete(value, mark: mark) { return event }
                }
            case .resyncing:
                index = bytes.count
            }
        }
        return nil
    }

    /// `count` bytes went by uncaptured. Inside a bulk payload they are passed over; anywhere else the
    /// decoder loses sync, which the returned event reports.
    mutating func skip(_ count: Int, at mark: StreamMark) -> Event? {
        guard count > 0 else { return nil }
        if case .payload(let value, let remaining) = state, count <= remaining {
            if count == remaining {
                state = .typeByte
                return complete(value, mark: mark)
            }
            state = .payload(value, remaining: remaining - count)
            return nil
        }
        if case .resyncing = state { return nil }
        var index = 0
        return loseSync(&index, count: 0)
    }

    /// Stops decoding for good (the connection turned into a stream that is not RESP values).
    mutating func stop() {
        state = .resyncing
        frames.removeAll()
        start = nil
        acceptsInline = false
        stopped = true
    }

    // MARK: Pieces

    /// Empties `line` for the next line, keeping its buffer unless a long line made it large.
    private mutating func startLine() {
        line.removeAll(keepingCapacity: line.capacity <= 1024)
    }

    /// Reads up to and including the next line end. Returns nil when the line goes on past `bytes`,
    /// true at a proper end (CRLF, or a bare LF where allowed), false at a malformed one.
    private static func readLine(_ bytes: [UInt8], at index: inout Int, into line: inout [UInt8],
                          bareLineFeed: Bool = false) -> Bool? {
        // Searched and copied through the buffer: array slices retained and released the input and
        // searched it generically, line after line.
        let start = index
        let lineFeed = bytes.withUnsafeBufferPointer { buffer in
            let lineFeed = buffer.firstIndex(of: .lineFeed, in: start..<buffer.count)
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<(lineFeed ?? buffer.count)]))
            return lineFeed
        }
        guard let lineFeed else {
            index = bytes.count
            return nil
        }
        index = lineFeed + 1
        if line.last == .carriageReturn {
            line.removeLast()
            return !line.contains(.carriageReturn)
        }
        return bareLineFeed
    }

    /// What a header line led to.
    private enum HeaderOutcome {
        case more
        case event(Event)
        case malformed

        init(_ event: Event?) {
            self = event.map { .event($0) } ?? .more
        }
    }

    /// Acts on a complete header line: a complete simple value, the start of a payload or aggregate.
    private mutating func header(_ kind: RESPValue.Kind, line: [UInt8], mark: StreamMark) -> HeaderOutcome {
        if kind.isBulk || kind.isAggregate {
            guard let length = Self.decimal(line), length >= -1, length <= Int(Int32.max) else { return .malformed }
            if length == -1 {
                guard kind == .bulkString || kind == .array else { return .malformed }
                state = .typeByte
                return HeaderOutcome(complete(RESPValue(kind: kind, length: -1), mark: mark))
            }
            if kind.isBulk {
                state = .payload(RESPValue(kind: kind, length: length), remaining: length + 2)
                return .more
            }
            guard frames.count < limits.depth else { return .malformed }
            var value = RESPValue(kind: kind, length: length * kind.elementsPerEntry)
            state = .typeByte
            if value.length == 0 { return HeaderOutcome(complete(value, mark: mark)) }
            // Only the top-level value keeps elements: room for them at once, not by doubling.
            if frames.isEmpty { value.elements.reserveCapacity(min(value.length, limits.keptElements)) }
            frames.append(Frame(value: value, remaining: value.length))
            return .more
        }
        guard Self.isValidLine(kind, line) else { return .malformed }
        state = .typeByte
        let captured = Array(line.prefix(limits.capturedBytes))
        return HeaderOutcome(complete(RESPValue(kind: kind, bytes: captured, length: 0), mark: mark))
    }

    /// A value ended: it completes its aggregate's element, or it is a top-level value.
    private mutating func complete(_ value: RESPValue, mark: StreamMark) -> Event? {
        var value = value
        while let last = frames.indices.last {
            if value.kind != .attribute {
                if last == 0, frames[last].value.elements.count < limits.keptElements {
                    frames[last].value.elements.append(value)
                }
                frames[last].remaining -= 1
            }
            guard frames[last].remaining == 0 else { return nil }
            value = frames.removeLast().value
        }
        // An attribute describes the value that follows it and belongs to it.
        guard value.kind != .attribute, let start else { return nil }
        self.start = nil
        return .value(value, start: start, end: mark)
    }

    private mutating func loseSync(_ index: inout Int, count: Int) -> Event {
        index = count
        state = .resyncing
        frames.removeAll()
        start = nil
        return .lostSync
    }

    private func canBeginValue(_ byte: UInt8) -> Bool {
        !stopped && (RESPValue.Kind(rawValue: byte) != nil || (acceptsInline && isInlineStart(byte)))
    }

    /// Inline commands start with a command name (a letter), or are empty lines.
    private func isInlineStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == .carriageReturn || byte == .lineFeed
    }

    /// The words of an inline command, split at spaces and tabs.
    static func inlineWords(_ line: [UInt8]) -> [ArraySlice<UInt8>] {
        line.split(whereSeparator: { $0 == .space || $0 == .tab })
    }

    /// A decimal integer with an optional sign, nothing else; nil if it overflows `Int`. Read from the
    /// bytes, without making a `String` of every header line.
    static func decimal(_ line: [UInt8]) -> Int? {
        line.withUnsafeBufferPointer(decimal)
    }

    /// Read through the buffer: the array's slices retained and released it, on every header line.
    private static func decimal(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = line.first, line.count <= 20 else { return nil }
        let isNegative = first == UInt8(ascii: "-")
        let digits = line.dropFirst(isNegative || first == UInt8(ascii: "+") ? 1 : 0)
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (shifted, shiftOverflow) = value.multipliedReportingOverflow(by: 10)
            let (next, addOverflow) = isNegative
                ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !shiftOverflow, !addOverflow else { return nil }
            value = next
        }
        return value
    }

    /// Whether the line of a simple type fits the type.
    private static func isValidLine(_ kind: RESPValue.Kind, _ line: [UInt8]) -> Bool {
        switch kind {
        case .integer: decimal(line) != nil
        case .null: line.isEmpty
        case .boolean: line == [UInt8(ascii: "t")] || line == [UInt8(ascii: "f")]
        case .bigNumber: !line.isEmpty && line.drop(while: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") })
            .allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        case .double: !line.isEmpty && !line.contains { $0 < 0x20 || $0 == 0x7F }
        default: !line.contains { $0 < 0x20 && $0 != .tab }
        }
    }
}
