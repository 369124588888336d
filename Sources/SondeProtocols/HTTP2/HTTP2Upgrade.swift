import Foundation

/// The HTTP/1.1 upgrade to h2c (RFC 7540 §3.2, kept by RFC 9113 §3.1 for existing peers): a request with
/// `Upgrade: h2c` and `HTTP2-Settings`, answered by `101 Switching Protocols`, after which the request is
/// HTTP/2 stream 1 and its response arrives in HTTP/2 frames.
enum HTTP2Upgrade {
    /// Fields that belong to the HTTP/1.1 connection, not to the request stream 1 carries on.
    private static let connectionFields: Set<String> = [
        "connection", "upgrade", "http2-settings", "host", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    ]

    /// Whether `response` switches the connection that sent `request` to h2c.
    static func switches(_ request: HTTPRequestHead, to response: HTTPResponseHead) -> Bool {
        response.status == 101 && offersH2C(request.headers) && offersH2C(response.headers)
    }

    private static func offersH2C(_ headers: HTTPHeaders) -> Bool {
        headers.first(named: "Upgrade")?.split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces).caseInsensitiveEquals("h2c")
        } ?? false
    }

    /// The upgrade request as the header fields of stream 1: pseudo-headers first, names in lower case.
    static func streamFields(of request: HTTPRequestHead) -> [HTTPHeader] {
        var fields = [HTTPHeader(name: ":method", value: request.method),
                      HTTPHeader(name: ":scheme", value: "http"),
                      HTTPHeader(name: ":path", value: request.target)]
        if let host = request.headers.first(named: "Host") { fields.append(HTTPHeader(name: ":authority", value: host)) }
        for header in request.headers where !connectionFields.contains(header.name.lowercased()) {
            fields.append(HTTPHeader(name: header.name.lowercased(), value: header.value))
        }
        return fields
    }

    /// The client's SETTINGS payload, sent base64url-encoded in `HTTP2-Settings`.
    static func settingsPayload(of request: HTTPRequestHead) -> [UInt8]? {
        guard let encoded = request.headers.first(named: "HTTP2-Settings") else { return nil }
        var base64 = encoded.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}
