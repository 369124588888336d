#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SondeModel

/// Renders a span as one human-readable line, e.g.
///
///     2025-11-21T09:07:41.123Z   1.235ms HTTP/1.1 SERVER GET /index.html?q=1 200 nginx[4242] 127.0.0.1:51234 -> 127.0.0.1:8080
///
/// Fields: start (UTC, milliseconds), duration, protocol, kind, method or operation, path or target,
/// status, process name and pid, client -> server addresses, and `TLS` when `url.scheme` is https.
/// Values come from the semantic-convention attributes; a missing one prints as `-`.
public struct SpanTextFormatter: Sendable {
    public init() {}

    public func format(_ span: Span) -> String {
        let attributes = span.attributes
        var fields = [
            Self.timestamp(span.startTime),
            Self.duration(span.duration),
            Self.protocolName(attributes),
            Self.kindName(span.kind),
            Self.visible(Self.operation(span)),
            Self.visible(Self.target(attributes)),
            Self.status(span),
            Self.visible(Self.process(span.resource.attributes)),
        ]
        if let addresses = Self.addresses(span) { fields.append(Self.visible(addresses)) }
        if attributes["url.scheme"]?.description == "https" { fields.append("TLS") }
        return fields.joined(separator: " ")
    }

    /// `text` with control characters shown as `\xNN`, so that a value from the wire cannot break the line.
    static func visible(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `2025-11-21T09:07:41.123Z`.
    static func timestamp(_ nanoseconds: UInt64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int(nanoseconds / 1_000_000 % 1000)
        return "\(parts.tm_year + 1900)-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
            + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
            + ".\(padded(milliseconds, 3))Z"
    }

    /// `850µs` below a millisecond, else `12.345ms`; right-aligned so that lines line up.
    static func duration(_ nanoseconds: UInt64) -> String {
        let microseconds = nanoseconds / 1000
        let text = microseconds < 1000
            ? "\(microseconds)µs"
            : "\(microseconds / 1000).\(padded(Int(microseconds % 1000), 3))ms"
        return String(repeating: " ", count: max(0, 10 - text.count)) + text
    }

    private static func protocolName(_ attributes: [Attribute]) -> String {
        if let system = attributes["db.system.name"] { return system.description }
        if attributes["http.request.method"] != nil {
            return attributes["network.protocol.version"].map { "HTTP/\($0)" } ?? "HTTP"
        }
        return attributes["network.protocol.name"]?.description ?? "-"
    }

    private static func kindName(_ kind: Span.Kind) -> String {
        switch kind {
        case .internal: "INTERNAL"
        case .server: "SERVER"
        case .client: "CLIENT"
        case .producer: "PRODUCER"
        case .consumer: "CONSUMER"
        }
    }

    private static func operation(_ span: Span) -> String {
        (span.attributes["http.request.method"] ?? span.attributes["db.operation.name"])?.description ?? span.name
    }

    private static func target(_ attributes: [Attribute]) -> String {
        if let path = attributes["url.path"] {
            return attributes["url.query"].map { "\(path)?\($0)" } ?? path.description
        }
        return (attributes["db.collection.name"] ?? attributes["db.namespace"])?.description ?? "-"
    }

    private static func status(_ span: Span) -> String {
        if let code = span.attributes["http.response.status_code"] ?? span.attributes["db.response.status_code"] {
            return code.description
        }
        return span.status == .error ? "ERROR" : "-"
    }

    /// `nginx[4242]`.
    private static func process(_ resource: [Attribute]) -> String {
        let name = (resource["process.executable.name"] ?? resource["service.name"])?.description ?? "-"
        return resource["process.pid"].map { "\(name)[\($0)]" } ?? name
    }

    /// `client -> server`; the network peer and local addresses stand in for missing `client.*`/`server.*`.
    private static func addresses(_ span: Span) -> String? {
        let attributes = span.attributes
        let peer = endpoint(attributes, address: "network.peer.address", port: "network.peer.port")
        let local = endpoint(attributes, address: "network.local.address", port: "network.local.port")
        let client = endpoint(attributes, address: "client.address", port: "client.port")
            ?? (span.kind == .server ? peer : local)
        let server = endpoint(attributes, address: "server.address", port: "server.port")
            ?? (span.kind == .client ? peer : nil)
        guard client != nil || server != nil else { return nil }
        return "\(client ?? "-") -> \(server ?? "-")"
    }

    /// `host:port`, with IPv6 hosts in brackets; `:port` when only the port is known.
    private static func endpoint(_ attributes: [Attribute], address: String, port: String) -> String? {
        let host = attributes[address]?.description
        let port = attributes[port]?.description
        guard host != nil || port != nil else { return nil }
        let shownHost = host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
        return port.map { "\(shownHost):\($0)" } ?? shownHost
    }

    private static func padded(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
