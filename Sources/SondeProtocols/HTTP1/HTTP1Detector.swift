/// Recognizes the first bytes of an HTTP/1.x message: a request line or a status line.
public enum HTTP1Detector {
    /// True when `prefix` starts like an HTTP/1 request line (a known method, a space, a request target)
    /// or a status line (`HTTP/1.0 ` or `HTTP/1.1 ` and a status code).
    ///
    /// Strict on what is there: every byte present must fit, and at least the method and its space (or
    /// `HTTP/1.x `) must be present. RESP, MySQL, TLS and the HTTP/2 preface are all refused.
    public static func recognizes(_ prefix: ArraySlice<UInt8>) -> Bool {
        switch classify(prefix, accepting: .either) {
        case .request, .response: true
        case .needMore, .mismatch: false
        }
    }

    /// Which start lines a stream may begin with.
    enum Accepting {
        case requests, responses, either
    }

    /// What the first bytes of a message look like.
    enum StartLine: Equatable {
        case request, response
        /// Everything present fits, but too few bytes to tell.
        case needMore
        case mismatch
    }

    /// The methods recognized at a request start: RFC 9110 and the common WebDAV ones.
    static let methods: [[UInt8]] = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH",
    ].map { Array($0.utf8) }

    private static let statusPrefix = Array("HTTP/1.".utf8)

    /// Classifies the bytes at a possible message start.
    static func classify<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, accepting: Accepting) -> StartLine
        where Bytes.Index == Int {
        guard let first = bytes.first else { return .needMore }
        if first == UInt8(ascii: "H"), accepting != .requests {
            let status = classifyStatusLine(bytes)
            if status != .mismatch || accepting == .responses { return status }
        }
        return accepting == .responses ? .mismatch : classifyRequestLine(bytes)
    }

    /// `HTTP/1.x NNN` then a space or the line end; `HTTP/1.x ` is enough to answer.
    private static func classifyStatusLine<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> StartLine
        where Bytes.Index == Int {
        for offset in 0..<13 {
            let index = bytes.startIndex + offset
            guard index < bytes.endIndex else { return offset >= 9 ? .response : .needMore }
            let byte = bytes[index]
            let fits = switch offset {
            case 0..<7: byte == statusPrefix[offset]
            case 8: byte == UInt8(ascii: " ")
            case 12: byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r")
            default: isDigit(byte)
            }
            guard fits else { return .mismatch }
        }
        return .response
    }

    /// A known method, a space, then the first byte of a request target.
    private static func classifyRequestLine<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> StartLine
        where Bytes.Index == Int {
        var sawPartialMatch = false
        for method in methods {
            let available = min(bytes.count, method.count + 1)
            var fits = true
            for offset in 0..<available {
                let expected = offset < method.count ? method[offset] : UInt8(ascii: " ")
                if bytes[bytes.startIndex + offset] != expected {
                    fits = false
                    break
                }
            }
            guard fits else { continue }
            guard available == method.count + 1 else {
                sawPartialMatch = true
                continue
            }
            let targetIndex = bytes.startIndex + available
            guard targetIndex < bytes.endIndex else { return .request }
            return isVisible(bytes[targetIndex]) ? .request : .mismatch
        }
        return sawPartialMatch ? .needMore : .mismatch
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A visible ASCII character (no space, no control).
    static func isVisible(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
