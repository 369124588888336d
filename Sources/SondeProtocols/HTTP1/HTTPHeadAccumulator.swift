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
        // Lines are found and copied through the buffer: array slices retained and released the input
        // and searched it generically, line after line.
        input.withUnsafeBufferPointer { append($0, at: &index) }
    }

    private mutating func append(_ input: UnsafeBufferPointer<UInt8>, at index: inout Int) -> Outcome {
        while index < input.count {
            let lineFeed = input[index...].firstIndex(of: .lineFeed)
            let stop = lineFeed.map { $0 + 1 } ?? input.count
            guard bytes.count + (stop - index) <= Self.maxHeadSize else { return .invalid }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<stop]))
            index = stop
            guard lineFeed != nil else {
                if startLine == nil, HTTP1Detector.classify(bytes[...], accepting: accepting) == .mismatch {
                    return .invalid
                }
                return .needMore
            }
            var lineEnd = bytes.count - 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == .carriageReturn { lineEnd -= 1 }
            let line = lineStart..<lineEnd
            lineStart = bytes.count
            if startLine == nil {
                guard validateStartLine(line) else { return .invalid }
                startLine = line
            } else if line.isEmpty {
                return makeHead().map(Outcome.complete) ?? .invalid
            } else {
                guard addField(line), fields.count <= Self.maxFieldCount else { return .invalid }
            }
        }
        return .needMore
    }

    private func validateStartLine(_ line: Range<Int>) -> Bool {
        switch HTTP1Detector.classify(bytes[line], accepting: accepting) {
        case .request: requestLineParts(line) != nil
        case .response: line.count >= 12
        case .needMore, .mismatch: false
        }
    }

    /// Method, target and the version's minor digit of a request line `METHOD SP target SP HTTP/1.x`.
    private func requestLineParts(_ line: Range<Int>) -> (method: Range<Int>, target: Range<Int>, minor: UInt8)? {
        guard let firstSpace = bytes[line].firstIndex(of: .space),
              let lastSpace = bytes[line].lastIndex(of: .space), lastSpace > firstSpace + 1,
              line.upperBound - lastSpace == 9,
              bytes[(lastSpace + 1)..<(lastSpace + 8)].elementsEqual("HTTP/1.".utf8),
              HTTP1Detector.isDigit(bytes[lastSpace + 8])
        else { return nil }
        return (line.lowerBound..<firstSpace, (firstSpace + 1)..<lastSpace, bytes[lastSpace + 8])
    }

    /// `name: value`, recording the framing fields. A continuation line (obsolete folding) is ignored.
    private mutating func addField(_ line: Range<Int>) -> Bool {
        let first = bytes[line.lowerBound]
        if first == .space || first == .tab { return !fields.isEmpty }
        guard let colon = bytes[line].firstIndex(of: .colon), colon > line.lowerBound,
              bytes[line.lowerBound..<colon].allSatisfy(HTTP1Detector.isVisible)
        else { return false }
        let name = line.lowerBound..<colon
        let value = trimmed((colon + 1)..<line.upperBound)
        fields.append((name, value))
        if matches(name, "content-length") {
            guard let length = decimal(value), contentLength == nil || contentLength == length else { return false }
            contentLength = length
        } else if matches(name, "transfer-encoding") {
            let lastCoding = trimmed((bytes[value].lastIndex(of: .comma).map { $0 + 1 } ?? value.lowerBound)..<value.upperBound)
            transferCoding = matches(lastCoding, "chunked") ? .chunked : .other
        }
        return true
    }

    private func makeHead() -> HTTPHead? {
        guard let startLine else { return nil }
        let headers = fields.map { HTTPHeader(name: string(at: $0.name), value: string(at: $0.value)) }
        let head: HTTPHead.StartLine
        if let parts = requestLineParts(startLine) {
            head = .request(HTTPRequestHead(method: string(at: parts.method), target: string(at: parts.target),
                                            version: version(minor: parts.minor), headers: headers))
        } else {
            let base = startLine.lowerBound
            let status = bytes[(base + 9)..<(base + 12)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            let reason = startLine.count > 13 ? string(at: (base + 13)..<startLine.upperBound) : ""
            head = .response(HTTPResponseHead(version: version(minor: bytes[base + 7]), status: status,
                                              reason: reason, headers: headers))
        }
        return HTTPHead(startLine: head, contentLength: contentLength, transferCoding: transferCoding)
    }

    private func version(minor: UInt8) -> HTTPVersion {
        HTTPVersion(major: 1, minor: Int(minor - UInt8(ascii: "0")))
    }

    private func string(at range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == .space || bytes[lower] == .tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == .space || bytes[upper - 1] == .tab { upper -= 1 }
        return lower..<upper
    }

    /// ASCII case-insensitive comparison with a lowercase name.
    private func matches(_ range: Range<Int>, _ lowercased: StaticString) -> Bool {
        range.count == lowercased.utf8CodeUnitCount && lowercased.withUTF8Buffer { name in
            zip(bytes[range], name).allSatisfy { byte, expected in byte | 0x20 == expected && byte >= 0x2D }
        }
    }

    /// A non-negative decimal of at most 18 digits.
    private func decimal(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18, bytes[range].allSatisfy(HTTP1Detector.isDigit) else { return nil }
        return bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
