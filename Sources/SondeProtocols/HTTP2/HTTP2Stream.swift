import SondeModel

/// What has been seen of one HTTP/2 stream whose request head was decoded.
struct HTTP2Stream {
    var requestFields: [HTTPHeader]
    var requestStart: UInt64
    var requestBodySize = 0
    var responseBodySize = 0
    var requestEnded = false
    var responseEnded = false
    /// Frames of the request (response) side went by uncaptured while that side was open: its END_STREAM
    /// may be among them, and its DATA count is short.
    var requestMissedFrames = false
    var responseMissedFrames = false
    /// When the stream's last frame (or uncaptured bytes that may hold one) was seen.
    var lastSeen: UInt64
    /// The final response head's fields, pseudo-headers included.
    var responseFields: [HTTPHeader]?
    var trailers: [HTTPHeader] = []
    /// False once a header block of the stream had fields that could not be decoded.
    var headersComplete: Bool

    init(requestFields: [HTTPHeader], requestStart: UInt64, headersComplete: Bool) {
        self.requestFields = requestFields
        self.requestStart = requestStart
        self.lastSeen = requestStart
        self.headersComplete = headersComplete
    }

    /// Frames of one side went by uncaptured at `timestamp`; a side already ended is not affected.
    mutating func missFrames(inRequest: Bool, at timestamp: UInt64) {
        if inRequest, !requestEnded {
            requestMissedFrames = true
            lastSeen = timestamp
        } else if !inRequest, !responseEnded {
            responseMissedFrames = true
            lastSeen = timestamp
        }
    }

    /// The request body's length as its head declares it (`content-length`). A server may answer and
    /// reset the stream (NO_ERROR) before the body is through: the body's size is then the declared one.
    var declaredRequestBodySize: Int? { requestFields.first(named: "content-length").flatMap(Int.init) }

    /// The response body's length as its head declares it.
    var declaredResponseBodySize: Int? { responseFields?.first(named: "content-length").flatMap(Int.init) }

    /// Both sides sent END_STREAM.
    var isFinished: Bool { requestEnded && responseEnded }

    /// A response head arrived and each side either ended or missed frames that may have ended it.
    var mayHaveEndedUnseen: Bool {
        responseFields != nil && (requestEnded || requestMissedFrames) && (responseEnded || responseMissedFrames)
    }

    /// The request ended and the response carried every byte its `content-length` declares: a client
    /// may close the connection before reading the empty DATA frame that ends the stream (curl does).
    var hasWholeResponse: Bool {
        requestEnded && !responseMissedFrames && declaredResponseBodySize == responseBodySize
    }

    /// Takes a response-side header block: interim (1xx) heads are passed over, the first final head is
    /// the response, a block without `:status` holds the trailers (the first such block only).
    mutating func receiveResponseBlock(_ fields: [HTTPHeader]) {
        guard let status = fields.first(named: ":status").flatMap(Int.init) else {
            // Trailers: one block of them. Without a head seen (lost to a gap) the response stays unknown.
            if trailers.isEmpty { trailers = fields }
            return
        }
        guard responseFields == nil, !(100..<200).contains(status) else { return }
        responseFields = fields
    }

    /// The exchange the stream makes, or nil when its request lacks `:method` or `:path` (left undecoded).
    func exchange(streamID: UInt32, resetCode: HTTP2ErrorCode?, requestDirection: Direction,
                  end: UInt64) -> HTTP2Exchange? {
        guard let method = requestFields.first(named: ":method") else { return nil }
        let authority = requestFields.first(named: ":authority")
        guard let target = method == "CONNECT" ? authority : requestFields.first(named: ":path") else { return nil }
        var requestHeaders = requestFields.filter { !$0.name.hasPrefix(":") }
        if let authority, requestHeaders.first(named: "host") == nil {
            requestHeaders.insert(HTTPHeader(name: "host", value: authority), at: 0)
        }
        let version = HTTPVersion(major: 2, minor: 0)
        let response = responseFields.flatMap { fields in
            fields.first(named: ":status").flatMap(Int.init).map {
                HTTPResponseHead(version: version, status: $0, reason: "",
                                 headers: fields.filter { !$0.name.hasPrefix(":") })
            }
        }
        return HTTP2Exchange(
            streamID: streamID,
            request: HTTPRequestHead(method: method, target: target, version: version, headers: requestHeaders),
            scheme: requestFields.first(named: ":scheme"), response: response, trailers: trailers,
            requestBodySize: requestMissedFrames ? declaredRequestBodySize
                : requestEnded ? requestBodySize : declaredRequestBodySize ?? requestBodySize,
            responseBodySize: responseMissedFrames ? declaredResponseBodySize : responseBodySize,
            responseMissedFrames: responseMissedFrames, resetCode: resetCode,
            headersComplete: headersComplete, requestDirection: requestDirection, requestStart: requestStart,
            end: end)
    }
}
