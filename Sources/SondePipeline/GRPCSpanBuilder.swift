import Foundation
import SondeModel
import SondeProtocols

/// Builds the span of one gRPC call (an HTTP/2 stream with `content-type: application/grpc*`),
/// following the OpenTelemetry RPC and gRPC semantic conventions.
///
/// The span covers the whole stream (streaming calls included) and is named `package.Service/Method`.
/// `rpc.grpc.status_code` comes from the trailers, or from the response head of a trailers-only
/// response. Per the gRPC conventions a client span fails on any status but OK; a server span only on
/// UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE and DATA_LOSS. A stream reset
/// before a status is judged by the status gRPC maps the RST_STREAM code to (CANCEL is CANCELLED: an
/// error for the client, not for the server), with `error.type` the RST_STREAM code. A status that may
/// have gone by uncaptured (or undecoded, joined mid-stream) is left unknown, never taken for a failure.
public enum GRPCSpanBuilder {
    /// The most attributes a span gets; reserved up front, so that the list is allocated once.
    static let maxAttributeCount = 16

    /// Status codes a server span reports as errors.
    static let serverErrorCodes: Set<Int> = [2, 4, 12, 13, 14, 15]

    /// The gRPC status a client reports for a stream reset with an HTTP/2 error code (gRPC's
    /// PROTOCOL-HTTP2: REFUSED_STREAM is UNAVAILABLE, CANCEL is CANCELLED, ENHANCE_YOUR_CALM is
    /// RESOURCE_EXHAUSTED, INADEQUATE_SECURITY is PERMISSION_DENIED, any other code INTERNAL).
    static func status(afterReset code: HTTP2ErrorCode) -> Int {
        [0x7: 14, 0x8: 1, 0xB: 8, 0xC: 7][code.rawValue] ?? 13
    }

    private static func fails(_ statusCode: Int, isServer: Bool) -> Bool {
        isServer ? serverErrorCodes.contains(statusCode) : statusCode != 0
    }

    /// True when the exchange is a gRPC call this builder can name: the request's content type says so,
    /// or the response's, or a `grpc-status` field (on a connection joined mid-stream the content types
    /// may be table entries never seen).
    static func isGRPC(_ exchange: HTTP2Exchange) -> Bool {
        let contentTypes = [exchange.request.headers.first(named: "content-type"),
                            responseField(named: "content-type", of: exchange)]
        let saysGRPC = contentTypes.contains { $0?.hasPrefix("application/grpc") == true }
            || responseField(named: "grpc-status", of: exchange) != nil
        return saysGRPC && method(of: exchange.request.target) != nil
    }

    /// The value of the first response field named `name`: among the trailers, then the response head's.
    private static func responseField(named name: String, of exchange: HTTP2Exchange) -> String? {
        exchange.trailers.first(named: name) ?? exchange.response?.headers.first(named: name)
    }

    /// The span of `exchange`, a gRPC call (see `isGRPC`) on `connection`.
    public static func span(for exchange: HTTP2Exchange, connection: ConnectionInfo, resource: Resource) -> Span {
        let isServer = exchange.requestDirection == .ingress
        let (service, method) = method(of: exchange.request.target) ?? ("", "")
        let statusCode = responseField(named: "grpc-status", of: exchange).flatMap(Int.init)

        var attributes: [Attribute] = []
        attributes.reserveCapacity(maxAttributeCount)
        attributes.append(Attribute("rpc.system", "grpc"))
        attributes.append(Attribute("rpc.service", service))
        attributes.append(Attribute("rpc.method", method))
        attributes.append("rpc.grpc.status_code", statusCode)
        attributes.append(Attribute("network.protocol.name", "http"))
        attributes.append(Attribute("network.protocol.version", "2"))
        attributes.append(Attribute("network.transport", "tcp"))
        let authority = exchange.request.headers.first(named: "host").map { $0[...] }
        attributes.append(connection: connection, isServer: isServer,
                          server: authority.flatMap { Endpoint(authority: $0, defaultPort: nil) })
        let failure: String? = if let statusCode {
            fails(statusCode, isServer: isServer) ? String(statusCode) : nil
        } else if let reset = exchange.resetCode {
            fails(status(afterReset: reset), isServer: isServer) ? String(describing: reset) : nil
        } else if exchange.responseMissedFrames || !exchange.headersComplete {
            nil
        } else {
            "missing grpc-status"
        }
        attributes.append("error.type", failure)
        let message = responseField(named: "grpc-message", of: exchange).map { $0.removingPercentEncoding ?? $0 }

        let identity = SpanIdentity(continuing: exchange.request.headers.first(named: "traceparent").flatMap(TraceParent.init))
        return Span(traceID: identity.traceID, spanID: identity.spanID, parentSpanID: identity.parentSpanID,
                    name: "\(service)/\(method)", kind: isServer ? .server : .client,
                    startTime: exchange.requestStart, endTime: exchange.end, attributes: attributes,
                    status: failure == nil ? .unset : .error, statusMessage: failure == nil ? nil : message,
                    resource: resource)
    }

    /// `/package.Service/Method` split into service and method; nil for any other path.
    static func method(of path: String) -> (service: String, method: String)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }
}
