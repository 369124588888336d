/// Where a message body ends (RFC 9112 section 6.3).
enum HTTPBodyFraming: Equatable {
    /// No body: the message ends with its head.
    case none
    /// Exactly this many bytes.
    case length(Int)
    /// Chunked transfer coding, up to the last chunk and trailers.
    case chunked
    /// Everything until the connection closes (responses only).
    case untilClose
    /// The message ends with its head and the connection stops being HTTP (101, or 2xx to CONNECT).
    case tunnel

    /// The body of a request; nil when the framing cannot be known (an unknown transfer coding).
    init?(request head: HTTPHead) {
        switch head.transferCoding {
        case .chunked: self = .chunked
        case .other: return nil
        case .identity: self = Self(length: head.contentLength ?? 0)
        }
    }

    /// The body of a final or interim response to a request made with `requestMethod` (nil: unknown).
    init(response head: HTTPHead, status: Int, requestMethod: String?) {
        switch (status, requestMethod) {
        case (101, _), (200..<300, "CONNECT"): self = .tunnel
        case (100..<200, _), (204, _), (304, _), (_, "HEAD"): self = .none
        default:
            switch head.transferCoding {
            case .chunked: self = .chunked
            case .other: self = .untilClose
            case .identity: self = head.contentLength.map(Self.init(length:)) ?? .untilClose
            }
        }
    }

    private init(length: Int) {
        self = length == 0 ? .none : .length(length)
    }
}
