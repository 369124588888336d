import SondeModel
import SondeProtocols

/// Builds the span of one HTTP exchange, following the OpenTelemetry HTTP semantic conventions
/// (stable HTTP, semconv 1.26 and later).
///
/// The traced process received the request: a SERVER span; it sent it: a CLIENT span. The span is
/// named after the method (no route is known). No request or response header is exported, so
/// `Authorization` and `Cookie` values never leave the host; only `User-Agent` (as
/// `user_agent.original`), `Host` (as `server.address`/`server.port`) and `traceparent` (as the span's
/// trace and parent ids) are read. Query values of signature parameters are redacted.
public enum HTTPSpanBuilder {
    /// Whether semantic conventions name `method`; any other is reported as `_OTHER`. A switch on the
    /// literals, which compare without hashing the method as a set lookup did.
    static func isKnownMethod(_ method: String) -> Bool {
        switch method {
        case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE": true
        default: false
        }
    }
    /// The most attributes a span gets; reserved up front, so that the list is allocated once.
    static let maxAttributeCount = 20

    public static func span(for exchange: HTTPExchange, connection: ConnectionInfo, resource: Resource) -> Span {
        span(for: HTTPMessages(exchange), connection: connection, resource: resource)
    }

    /// The span of a request and its response, or of a request that got none (`failure` says why:
    /// HTTP/2's RST_STREAM error code); a `failure` also marks an answered exchange as failed.
    static func span(for exchange: HTTPMessages, connection: ConnectionInfo, resource: Resource) -> Span {
        let request = exchange.request
        let isServer = exchange.requestDirection == .ingress
        let isKnownMethod = isKnownMethod(request.method)
        let target = HTTPRequestTarget(request.target)
        let scheme = connection.urlScheme
        let defaultPort = defaultPort(scheme: scheme)
        let hostHeader = request.headers.first(named: "Host").map { $0[...] }
        let host = hostHeader.flatMap { Endpoint(authority: $0, defaultPort: defaultPort) }
        let status = exchange.response?.status

        var attributes: [Attribute] = []
        attributes.reserveCapacity(maxAttributeCount)
        attributes.append(Attribute("http.request.method", isKnownMethod ? request.method : "_OTHER"))
        if !isKnownMethod {
            attributes.append(Attribute("http.request.method_original", request.method))
        }
        if !isServer {
            attributes.append("url.full", urlFull(target: target, scheme: scheme, hostHeader: hostHeader,
                                                  remote: connection.remote, defaultPort: defaultPort))
        }
        attributes.append(Attribute("url.scheme", scheme))
        attributes.append(Attribute("url.path", String(target.path)))
        attributes.append("url.query", target.query)
        attributes.append("http.response.status_code", status)
        attributes.append(Attribute("network.protocol.version", request.version.description))
        attributes.append(Attribute("network.transport", "tcp"))
        attributes.append("user_agent.original", request.headers.first(named: "User-Agent"))
        attributes.append("http.request.body.size",
                          bodySize(exchange.requestBodySize, declared: declaresBody(request.headers)))
        attributes.append("http.response.body.size",
                          bodySize(exchange.responseBodySize, declared: responseDeclaresBody(exchange)))
        attributes.append(connection: connection, isServer: isServer, server: host)
        let failsByStatus = status.map { isServer ? $0 >= 500 : $0 >= 400 } ?? false
        let failure = exchange.failure ?? (failsByStatus ? status.map(String.init) : nil)
        attributes.append("error.type", failure)
        let isError = failure != nil

        let identity = SpanIdentity(continuing: request.headers.first(named: "traceparent").flatMap(TraceParent.init))
        return Span(traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
                    name: isKnownMethod ? request.method : "HTTP", kind: isServer ? .server : .client,
                    startTime: exchange.requestStart, endTime: exchange.end, attributes: attributes,
                    status: isError ? .error : .unset, resource: resource)
    }

    /// `scheme://host[:port]/target`: from the absolute target, else the `Host` header, else the peer.
    private static func urlFull(target: HTTPRequestTarget, scheme: String, hostHeader: Substring?,
                                remote: SocketAddress?, defaultPort: Int?) -> String? {
        if let origin = target.origin {
            return "\(origin)\(target.pathAndQuery)"
        }
        let authority: String
        if let hostHeader, !hostHeader.isEmpty {
            authority = String(hostHeader)
        } else if let remote {
            let host = remote.host.utf8.contains(UInt8(ascii: ":")) ? "[\(remote.host)]" : remote.host
            authority = Int(remote.port) == defaultPort ? host : "\(host):\(remote.port)"
        } else {
            return nil
        }
        return "\(scheme)://\(authority)\(target.pathAndQuery)"
    }

    private static func defaultPort(scheme: String) -> Int? {
        switch scheme {
        case "http": 80
        case "https": 443
        default: nil
        }
    }

    /// A body size is reported when it is known and bytes were seen or the message announced a body.
    private static func bodySize(_ size: Int?, declared: Bool) -> Int? {
        guard let size else { return nil }
        return size > 0 || declared ? size : nil
    }

    private static func declaresBody(_ headers: HTTPHeaders) -> Bool {
        headers.contains(named: "Content-Length") || headers.contains(named: "Transfer-Encoding")
    }

    /// Responses to HEAD, 1xx, 204 and 304 carry no body whatever their headers say.
    private static func responseDeclaresBody(_ exchange: HTTPMessages) -> Bool {
        guard let response = exchange.response else { return false }
        let status = response.status
        guard exchange.request.method != "HEAD", status >= 200, status != 204, status != 304 else { return false }
        return declaresBody(response.headers)
    }
}

/// What `HTTPSpanBuilder` reads of an exchange, whichever HTTP version carried it.
struct HTTPMessages {
    var request: HTTPRequestHead
    /// Nil when the request got no response (an HTTP/2 stream reset before one).
    var response: HTTPResponseHead?
    /// Nil when part of the body went uncaptured and its size was not declared.
    var requestBodySize: Int?
    var responseBodySize: Int?
    var requestDirection: Direction
    var requestStart: UInt64
    var end: UInt64
    /// Why the exchange failed other than by its status code (`error.type`).
    var failure: String?

    init(_ exchange: HTTPExchange) {
        self.init(request: exchange.request, response: exchange.response, requestBodySize: exchange.requestBodySize,
                  responseBodySize: exchange.responseBodySize, requestDirection: exchange.requestDirection,
                  requestStart: exchange.requestStart, end: exchange.responseEnd, failure: nil)
    }

    init(_ exchange: HTTP2Exchange) {
        // RST_STREAM NO_ERROR after a response only tells the client to stop sending (RFC 9113 §8.1); a
        // reset after every declared byte of the response (curl does so after an h2c upgrade) failed nothing.
        let failure = exchange.resetCode.flatMap { code in
            code.rawValue == 0 && exchange.response != nil || exchange.hasWholeResponse ? nil : String(describing: code)
        }
        self.init(request: exchange.request, response: exchange.response, requestBodySize: exchange.requestBodySize,
                  responseBodySize: exchange.responseBodySize, requestDirection: exchange.requestDirection,
                  requestStart: exchange.requestStart, end: exchange.end, failure: failure)
    }

    init(request: HTTPRequestHead, response: HTTPResponseHead?, requestBodySize: Int?, responseBodySize: Int?,
         requestDirection: Direction, requestStart: UInt64, end: UInt64, failure: String?) {
        self.request = request
        self.response = response
        self.requestBodySize = requestBodySize
        self.responseBodySize = responseBodySize
        self.requestDirection = requestDirection
        self.requestStart = requestStart
        self.end = end
        self.failure = failure
    }
}
