/// The parts of an HTTP request target that spans report, with signature values redacted.
struct HTTPRequestTarget: Equatable {
    /// Query parameters whose values OpenTelemetry says to redact (`url.query`, `url.full`).
    static let sensitiveParameters = ["AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature"]

    /// `scheme://authority` when the target is in absolute form (a request through a proxy).
    var origin: Substring?
    /// The path (`url.path`); `*` for `OPTIONS *`, `/` for an absolute URI without a path.
    var path: Substring
    /// The query without the `?` (`url.query`), redacted; nil when the target has none.
    var query: String?

    /// The separators are found in the UTF-8 bytes, not among Characters: they are ASCII, and grapheme
    /// breaking cost a span more than the rest of its target's parsing.
    init(_ target: String) {
        var rest = Substring(target)
        if let fragment = rest.utf8.firstIndex(of: UInt8(ascii: "#")) {
            rest = rest[..<fragment]
        }
        if let colon = rest.utf8.firstIndex(of: UInt8(ascii: ":")), rest[colon...].hasPrefix("://"),
           !rest[..<colon].isEmpty, rest[..<colon].allSatisfy({ $0.isLetter || $0 == "+" || $0 == "-" || $0 == "." }) {
            let authority = rest[rest.index(colon, offsetBy: 3)...]
            let authorityEnd = authority.firstIndex { $0 == "/" || $0 == "?" } ?? authority.endIndex
            origin = rest[..<authorityEnd]
            rest = rest[authorityEnd...]
        }
        if let questionMark = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = rest[..<questionMark]
            query = Self.redacted(rest[rest.utf8.index(after: questionMark)...])
        } else {
            path = rest
        }
        if path.isEmpty && origin != nil {
            path = "/"
        }
    }

    /// `path?query`, as it goes into `url.full`; empty for targets that are not a path.
    var pathAndQuery: String {
        guard path.hasPrefix("/") else { return "" }
        guard let query else { return String(path) }
        return "\(path)?\(query)"
    }

    /// The query with the values of ``sensitiveParameters`` replaced by `REDACTED`.
    static func redacted(_ query: Substring) -> String {
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false)
        guard parameters.contains(where: isSensitive) else { return String(query) }
        return parameters.map { parameter in
            isSensitive(parameter) ? "\(parameter.prefix { $0 != "=" })=REDACTED" : String(parameter)
        }.joined(separator: "&")
    }

    private static func isSensitive(_ parameter: Substring) -> Bool {
        guard let equals = parameter.firstIndex(of: "=") else { return false }
        let name = parameter[..<equals]
        return sensitiveParameters.contains { $0 == name }
    }
}

extension Endpoint {
    /// Parses a `Host` header or URI authority (`host`, `host:port`, `[v6]`, `[v6]:port`); the port is
    /// `defaultPort` when absent or not a valid port. Nil for an empty authority.
    init?(authority: Substring, defaultPort: Int?) {
        // Byte offsets in the contiguous UTF-8, not Characters nor the generic UTF-8 view: the separators
        // are ASCII, and both cost more than the rest of the span's server attributes.
        var authority = authority
        let parsed = authority.withUTF8 { bytes -> (host: String, port: Int?)? in
            var host = bytes.indices
            var portText: Range<Int>?
            if bytes.first == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")) {
                host = 1..<close
                if close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: ":") { portText = (close + 2)..<bytes.count }
            } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes.lastIndex(of: UInt8(ascii: ":")) == colon {
                host = 0..<colon
                portText = (colon + 1)..<bytes.count
            }
            guard !host.isEmpty else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[host]), as: UTF8.self),
                    portText.flatMap { Self.port(UnsafeBufferPointer(rebasing: bytes[$0])) })
        }
        guard let parsed else { return nil }
        self.init(host: parsed.host, port: parsed.port ?? defaultPort)
    }

    /// The number `Int(text)` reads (an optional sign, then decimal digits) when it is a valid port,
    /// read from the bytes: `Int`'s generic parsing of a `Substring` cost more than the rest of the span's
    /// server attributes.
    private static func port(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var digits = text[...]
        let isNegative = digits.first == UInt8(ascii: "-")
        if isNegative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > 65535 { return nil }
        }
        return isNegative && value != 0 ? nil : value
    }
}
