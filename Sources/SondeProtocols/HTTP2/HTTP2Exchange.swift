import SondeModel

/// One HTTP/2 stream: a request and its response (or the RST_STREAM that ended it), with sizes and times.
///
/// Pseudo-headers are mapped to the HTTP/1 shapes: `:method` and `:path` to the request line,
/// `:authority` to a `host` header (unless one was sent), `:status` to the status; the version is `2`.
public struct HTTP2Exchange: Hashable, Sendable {
    /// The stream's identifier (odd: opened by the client).
    public var streamID: UInt32
    /// `:method` and `:path` (`:authority` for CONNECT) as the request line, version 2, the other fields.
    public var request: HTTPRequestHead
    /// The `:scheme` pseudo-header, when it was decoded.
    public var scheme: String?
    /// The final response head; nil when the stream was reset before one arrived.
    public var response: HTTPResponseHead?
    /// Fields of the trailing HEADERS block that ended the response (gRPC status lives there).
    public var trailers: [HTTPHeader]
    /// DATA payload bytes of the request (padding excluded), captured or not; the declared
    /// `content-length` when the stream ended before the request did or some of its frames went by
    /// uncaptured (nil if none was declared).
    public var requestBodySize: Int?
    /// DATA payload bytes of the response (padding excluded), captured or not; the declared
    /// `content-length` when some of its frames went by uncaptured (nil if none was declared).
    public var responseBodySize: Int?
    /// Frames of the response went by uncaptured: its trailers (gRPC status) may be among them.
    public var responseMissedFrames: Bool
    /// The RST_STREAM error code, when a reset ended the stream.
    public var resetCode: HTTP2ErrorCode?
    /// False when some header fields could not be decoded (a connection joined mid-stream).
    public var headersComplete: Bool
    /// Which way the request travelled: `.egress` means the traced process is the client.
    public var requestDirection: Direction
    /// When the request's first frame was seen (ns since the Unix epoch).
    public var requestStart: UInt64
    /// When the stream's last frame was seen (ns since the Unix epoch).
    public var end: UInt64

    public init(streamID: UInt32, request: HTTPRequestHead, scheme: String?, response: HTTPResponseHead?,
                trailers: [HTTPHeader], requestBodySize: Int?, responseBodySize: Int?,
                responseMissedFrames: Bool = false, resetCode: HTTP2ErrorCode?,
                headersComplete: Bool, requestDirection: Direction, requestStart: UInt64, end: UInt64) {
        self.streamID = streamID
        self.request = request
        self.scheme = scheme
        self.response = response
        self.trailers = trailers
        self.requestBodySize = requestBodySize
        self.responseBodySize = responseBodySize
        self.responseMissedFrames = responseMissedFrames
        self.resetCode = resetCode
        self.headersComplete = headersComplete
        self.requestDirection = requestDirection
        self.requestStart = requestStart
        self.end = end
    }
    /// The response arrived whole: its head, and as many body bytes as its `content-length` declares.
    public var hasWholeResponse: Bool {
        guard let response else { return false }
        guard let declared = response.headers.first(named: "content-length").flatMap(Int.init) else { return false }
        return declared == responseBodySize
    }
}

/// An HTTP/2 error code (RFC 9113 §7), as RST_STREAM and GOAWAY carry it.
public struct HTTP2ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code as sent (`0x8` is CANCEL).
    public var rawValue: UInt32

    /// The code `rawValue`, defined by the RFC or not.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    private static let names = [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ]

    /// The RFC's name (`CANCEL`), or the number for codes it does not define.
    public var description: String {
        rawValue < Self.names.count ? Self.names[Int(rawValue)] : String(rawValue)
    }
}
