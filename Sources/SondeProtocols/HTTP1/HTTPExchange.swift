import SondeModel

/// An HTTP header field as it appeared on the wire.
public struct HTTPHeader: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP version, `1.0`, `1.1` or `2`.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// As `network.protocol.version` wants it: `1.0`, `1.1`, `2`. The usual versions are literals, so a
    /// span's version costs no string building.
    public var description: String {
        switch (major, minor) {
        case (1, 1): "1.1"
        case (1, 0): "1.0"
        case (2, 0): "2"
        default: minor == 0 && major >= 2 ? "\(major)" : "\(major).\(minor)"
        }
    }
}

/// The start line and headers of a request.
public struct HTTPRequestHead: Hashable, Sendable {
    public var method: String
    /// The request target as sent (`/path?query`, or an absolute URI through a proxy).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    public init(method: String, target: String, version: HTTPVersion, headers: [HTTPHeader]) {
        self.init(method: method, target: target, version: version, headers: HTTPHeaders(headers))
    }
}

/// The status line and headers of a (final) response.
public struct HTTPResponseHead: Hashable, Sendable {
    public var version: HTTPVersion
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders

    public init(version: HTTPVersion, status: Int, reason: String, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    public init(version: HTTPVersion, status: Int, reason: String, headers: [HTTPHeader]) {
        self.init(version: version, status: status, reason: reason, headers: HTTPHeaders(headers))
    }
}

extension Array where Element == HTTPHeader {
    /// The value of the first header named `name`, compared without regard to case.
    public func first(named name: String) -> String? {
        first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}

extension String {
    /// ASCII case-insensitive equality, as HTTP field names compare.
    /// Compares the contiguous UTF-8 of both (native strings and literals have it) rather than through
    /// the views' indices, which cost most of the header lookups of a span.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var this = self
        var other = other
        return this.withUTF8 { left in other.withUTF8 { ASCII.caseInsensitiveEquals(left, $0) } }
    }
}

/// A request and the final response that answered it, with the real sizes and the times.
public struct HTTPExchange: Hashable, Sendable {
    public var request: HTTPRequestHead
    public var response: HTTPResponseHead
    /// Body bytes on the wire after the request head (chunk framing excluded), captured or not.
    public var requestBodySize: Int
    /// Body bytes on the wire after the response head (chunk framing excluded), captured or not.
    public var responseBodySize: Int
    /// Which way the request travelled: `.egress` means the traced process is the client.
    public var requestDirection: Direction
    /// When the request's first byte was seen (ns since the Unix epoch).
    public var requestStart: UInt64
    /// When the response's last byte was seen (ns since the Unix epoch).
    public var responseEnd: UInt64

    public init(request: HTTPRequestHead, response: HTTPResponseHead, requestBodySize: Int,
                responseBodySize: Int, requestDirection: Direction, requestStart: UInt64, responseEnd: UInt64) {
        self.request = request
        self.response = response
        self.requestBodySize = requestBodySize
        self.responseBodySize = responseBodySize
        self.requestDirection = requestDirection
        self.requestStart = requestStart
        self.responseEnd = responseEnd
    }
}
