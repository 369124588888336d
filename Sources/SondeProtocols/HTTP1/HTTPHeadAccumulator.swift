/// A message head read off the wire, with the fields body framing depends on.
struct HTTPHead {
    enum StartLine {
        case request(HTTPRequestHead)
        case response(HTTPResponseHead)
    }

    /// How the head says the body is encoded.
    enum TransferCoding: Equatable {
        case identity
        /// `Transfer-Encoding` ends in `chunked`.
        case chunked
        /// `Transfer-Encoding` names another final coding.
        case other
    }

    var startLine: StartLine
    /// The `Content-Length`, when present.
    var contentLength: Int?
    var transferCoding: TransferCoding
}

/// Collects the bytes of one message head, line by line, and parses it once the empty line arrives.
///
/// Lines are validated as they complete (the start line is checked from its first bytes), so a stream
/// that is not HTTP is refused early. Only the fields that are kept become `String`s.
struct HTTPHeadAccumulator {
    enum Outcome {
        case needMore
        case complete(HTTPHead)
        /// Not an HTTP/1 head, or beyond the size limits.
        case invalid
    }

    /// The largest head accepted, start line and fields together.
    static let maxHeadSize = 64 * 1024
    /// The most header fields accepted.
    static let maxFieldCount = 100

    var accepting: HTTP1Detector.Accepting
    /// The bytes of the head so far.
    private(set) var bytes: [UInt8] = []
    private var lineStart = 0
    private var startLine: Range<Int>?
    private var fields: [(name: Range<Int>, value: Range<Int>)] = []
    private var contentLength: Int?
    private var transferCoding = HTTPHead.TransferCoding.identity

    /// Room reserved for a head's bytes: most heads fit, so the buffer is allocated once per connection
    /// instead of growing by doubling from a few bytes.
    static let typicalHeadSize = 1024
    /// Room reserved for a head's fields.
    static let typicalFieldCount = 16

    init(accepting: HTTP1Detector.Accepting) {
        self.accepting = accepting
        bytes.reserveCapacity(Self.typicalHeadSize)
        fields.reserveCapacity(Self.typicalFieldCount)
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// Forgets the current head, keeping the buffers' capacity.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        lineStart = 0
        startLine = nil
        contentLength = nil
        transferCoding = .identity
    }

    /// Takes bytes from `input` at `index` up to the end of the head (or of the input).
    mutating func append(_ input: [UInt8], at index: inout Int) -> Outcome {
        let start = index
        let base = bytes.count
        // The head's bytes in the input (as many as the size limit allows) are copied at once and their lines
        // read in the buffer, through a pointer; what lies past the line that decided the outcome is given
        // back. A copy per line and array slices per line and field cost most of a head's parsing.
        let available = input.count - start
        let limit = start + min(available, Self.maxHeadSize - base)
        let stop = input.withUnsafeBufferPointer { input in
            let stop = headEnd(in: input, from: start, before: limit)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<stop]))
            return stop
        }
        var kept = bytes.count
        let outcome = readLines(from: base, cutByLimit: stop == limit && limit < input.count, kept: &kept)
        bytes.removeLast(bytes.count - kept)
        index = start + (kept - base)
        return outcome
    }

    /// Just past the first empty line in `input[start..<limit]` (the head's end, or where it fails), else
    /// `limit`. The line in progress may have begun in the buffer.
    private func headEnd(in input: UnsafeBufferPointer<UInt8>, from start: Int, before limit: Int) -> Int {
        var lineBegin = start
        var carried = bytes.count - lineStart
        while let lineFeed = input.firstIndex(of: .lineFeed, in: lineBegin..<limit) {
            let length = carried + lineFeed - lineBegin
            let last = lineFeed > lineBegin ? input[lineFeed - 1] : bytes.last
            if length == 0 || (length == 1 && last == .carriageReturn) { return lineFeed + 1 }
            lineBegin = lineFeed + 1
            carried = 0
        }
        return limit
    }

    /// Reads the complete lines from `scanStart` on; `kept` is set to the end of the bytes the outcome used.
    private mutating func readLines(from scanStart: Int, cutByLimit: Bool, kept: inout Int) -> Outcome {
        var scan = scanStart
        while true {
            let lineFeed = bytes.withUnsafeBufferPointer { $0.firstIndex(of: .lineFeed, in: scan..<$0.count) }
            guard let lineFeed else {
                if cutByLimit {
                    // The line in progress goes past the size limit: it is not taken.
                    kept = max(lineStart, scanStart)
                    return .invalid
                }
                kept = bytes.count
                let isMismatch = startLine == nil
                    && bytes.withUnsafeBufferPointer { HTTP1Detector.classify($0, accepting: accepting) } == .mismatch
                if isMismatch { return .invalid }
                return .needMore
            }
            scan = lineFeed + 1
            kept = scan
            var lineEnd = lineFeed
            if lineEnd > lineStart, bytes[lineEnd - 1] == .carriageReturn { lineEnd -= 1 }
            let line = lineStart..<lineEnd
            lineStart = scan
            if startLine == nil {
                guard bytes.withUnsafeBufferPointer({ Self.isValidStartLine(line, in: $0, accepting: accepting) }) else {
                    return .invalid
                }
                startLine = line
            } else if line.isEmpty {
                return makeHead().map(Outcome.complete) ?? .invalid
            } else {
                guard addField(line), fields.count <= Self.maxFieldCount else { return .invalid }
            }
        }
    }

    private static func isValidStartLine(_ line: Range<Int>, in head: UnsafeBufferPointer<UInt8>,
                                         accepting: HTTP1Detector.Accepting) -> Bool {
        switch HTTP1Detector.classify(head[line], accepting: accepting) {
        case .request: requestLineParts(line, in: head) != nil
        case .response: line.count >= 12
        case .needMore, .mismatch: false
        }
    }

    /// Method, target and the version's minor digit of a request line `METHOD SP target SP HTTP/1.x`.
    private static func requestLineParts(_ line: Range<Int>, in head: UnsafeBufferPointer<UInt8>)
        -> (method: Range<Int>, target: Range<Int>, minor: UInt8)? {
        guard let firstSpace = head[line].firstIndex(of: .space),
              let lastSpace = head[line].lastIndex(of: .space), lastSpace > firstSpace + 1,
              line.upperBound - lastSpace == 9,
              head[(lastSpace + 1)..<(lastSpace + 8)].elementsEqual("HTTP/1.".utf8),
              HTTP1Detector.isDigit(head[lastSpace + 8])
        else { return nil }
        return (line.lowerBound..<firstSpace, (firstSpace + 1)..<lastSpace, head[lastSpace + 8])
    }

    /// `name: value`, recording the framing fields. A continuation line (obsolete folding) is ignored.
    private mutating func addField(_ line: Range<Int>) -> Bool {
        guard let field = bytes.withUnsafeBufferPointer({ Self.field(line, in: $0) }) else { return false }
        guard let field else { return !fields.isEmpty }
        fields.append((field.name, field.value))
        switch field.framing {
        case .contentLength(let length):
            guard let length, contentLength == nil || contentLength == length else { return false }
            contentLength = length
        case .transferCoding(let coding):
            transferCoding = coding
        case nil:
            break
        }
        return true
    }

    /// What a field line says about the body's framing.
    private enum FramingField {
        /// `Content-Length`, nil when its value is not a decimal.
        case contentLength(Int?)
        /// `Transfer-Encoding`, by its last coding.
        case transferCoding(HTTPHead.TransferCoding)
    }

    /// The name and value of a field line; nil when malformed, `.some(nil)` for a continuation line.
    private static func field(_ line: Range<Int>, in head: UnsafeBufferPointer<UInt8>)
        -> (name: Range<Int>, value: Range<Int>, framing: FramingField?)?? {
        let first = head[line.lowerBound]
        if first == .space || first == .tab { return .some(nil) }
        guard let colon = head[line].firstIndex(of: .colon), colon > line.lowerBound,
              head[line.lowerBound..<colon].allSatisfy(HTTP1Detector.isVisible)
        else { return nil }
        let name = line.lowerBound..<colon
        let value = trimmed((colon + 1)..<line.upperBound, in: head)
        var framing: FramingField?
        if matches(name, "content-length", in: head) {
            framing = .contentLength(decimal(value, in: head))
        } else if matches(name, "transfer-encoding", in: head) {
            let lastCoding = trimmed((head[value].lastIndex(of: .comma).map { $0 + 1 } ?? value.lowerBound)..<value.upperBound,
                                     in: head)
            framing = .transferCoding(matches(lastCoding, "chunked", in: head) ? .chunked : .other)
        }
        return (name, value, framing)
    }

    private func makeHead() -> HTTPHead? {
        guard let startLine else { return nil }
        return bytes.withUnsafeBufferPointer { head in
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: head[range]), as: UTF8.self)
            }
            let headers = HTTPHeaders(fields, in: head)
            let startLineHead: HTTPHead.StartLine
            if let parts = Self.requestLineParts(startLine, in: head) {
                startLineHead = .request(HTTPRequestHead(method: string(parts.method), target: string(parts.target),
                                                         version: Self.version(minor: parts.minor), headers: headers))
            } else {
                let base = startLine.lowerBound
                let status = head[(base + 9)..<(base + 12)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                let reason = startLine.count > 13 ? string((base + 13)..<startLine.upperBound) : ""
                startLineHead = .response(HTTPResponseHead(version: Self.version(minor: head[base + 7]), status: status,
                                                           reason: reason, headers: headers))
            }
            return HTTPHead(startLine: startLineHead, contentLength: contentLength, transferCoding: transferCoding)
        }
    }

    private static func version(minor: UInt8) -> HTTPVersion {
        HTTPVersion(major: 1, minor: Int(minor - UInt8(ascii: "0")))
    }

    private static func trimmed(_ range: Range<Int>, in head: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, head[lower] == .space || head[lower] == .tab { lower += 1 }
        while upper > lower, head[upper - 1] == .space || head[upper - 1] == .tab { upper -= 1 }
        return lower..<upper
    }

    /// Whether the bytes at `range` are `name`, compared as HTTP field names compare.
    private static func matches(_ range: Range<Int>, _ name: StaticString, in head: UnsafeBufferPointer<UInt8>) -> Bool {
        name.withUTF8Buffer { ASCII.caseInsensitiveEquals(UnsafeBufferPointer(rebasing: head[range]), $0) }
    }

    /// A non-negative decimal of at most 18 digits.
    private static func decimal(_ range: Range<Int>, in head: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !range.isEmpty, range.count <= 18, head[range].allSatisfy(HTTP1Detector.isDigit) else { return nil }
        return head[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
