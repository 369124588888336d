import SondeModel
@testable import SondePipeline
import SondeProtocols
import Testing

private let resource = Resource(attributes: [Attribute("service.name", "greeter")])
private let clientConnection = ConnectionInfo(
    id: ConnectionID(pid: 11, fd: 6, generation: 1), role: .client,
    local: SocketAddress(host: "127.0.0.1", port: 51234), remote: SocketAddress(host: "127.0.0.1", port: 50051))

private func exchange(path: String, contentType: String? = nil, status: Int? = 200, trailers: [HTTPHeader] = [],
                      responseHeaders: [HTTPHeader] = [], reset: UInt32? = nil,
                      direction: Direction = .egress) -> HTTP2Exchange {
    var headers = [HTTPHeader(name: "host", value: "127.0.0.1:50051"), HTTPHeader(name: "user-agent", value: "test/1")]
    if let contentType { headers.append(HTTPHeader(name: "content-type", value: contentType)) }
    let version = HTTPVersion(major: 2, minor: 0)
    return HTTP2Exchange(
        streamID: 1, request: HTTPRequestHead(method: contentType == nil ? "GET" : "POST", target: path, version: version,
                                              headers: headers),
        scheme: "http", response: status.map { HTTPResponseHead(version: version, status: $0, reason: "", headers: responseHeaders) },
        trailers: trailers, requestBodySize: contentType == nil ? 0 : 10, responseBodySize: 16,
        resetCode: reset.map(HTTP2ErrorCode.init(rawValue:)), headersComplete: true, requestDirection: direction,
        requestStart: 1_000, end: 5_000)
}

private func values(_ span: Span) -> [String: String] {
    Dictionary(span.attributes.map { ($0.key, "\($0.value)") }, uniquingKeysWith: { first, _ in first })
}

private func span(_ exchange: HTTP2Exchange) -> Span {
    ProtocolRecord.http2(exchange).span(connection: clientConnection, resource: resource, options: SpanOptions())
}

@Suite struct HTTP2SpanBuilderTests {
    @Test func plainHTTP2IsAnHTTPSpanOfVersion2() {
        let span = span(exchange(path: "/index.html?x=1", status: 404))
        #expect(span.name == "GET" && span.kind == .client && span.status == .error)
        let values = values(span)
        #expect(values["network.protocol.version"] == "2")
        #expect(values["url.full"] == "http://127.0.0.1:50051/index.html?x=1")
        #expect(values["http.response.status_code"] == "404" && values["error.type"] == "404")
        #expect(values["server.address"] == "127.0.0.1" && values["server.port"] == "50051")
    }

    @Test func aResetBeforeTheResponseFailsWithItsErrorCode() {
        let span = span(exchange(path: "/big.bin", status: nil, reset: 8))
        #expect(span.status == .error)
        #expect(values(span)["error.type"] == "CANCEL")
        #expect(values(span)["http.response.status_code"] == nil)
    }

    @Test func aResetWithNoErrorAfterTheResponseIsNoFailure() {
        let span = span(exchange(path: "/submit", status: 201, reset: 0))
        #expect(span.status == .unset && values(span)["error.type"] == nil)
    }

    @Test func aResetAfterEveryDeclaredByteOfTheResponseIsNoFailure() {
        let whole = span(exchange(path: "/index.txt", responseHeaders: [HTTPHeader(name: "content-length", value: "16")],
                                  reset: 5))
        #expect(whole.status == .unset && values(whole)["error.type"] == nil)
        let cut = span(exchange(path: "/index.txt", responseHeaders: [HTTPHeader(name: "content-length", value: "17")],
                                reset: 5))
        #expect(cut.status == .error && values(cut)["error.type"] == "STREAM_CLOSED")
    }

    @Test func grpcCallsFollowTheRPCConventions() {
        let ok = span(exchange(path: "/demo.Greeter/SayHello", contentType: "application/grpc",
                               trailers: [HTTPHeader(name: "grpc-status", value: "0")]))
        #expect(ok.name == "demo.Greeter/SayHello" && ok.kind == .client && ok.status == .unset)
        #expect(ok.attributes.map(\.key) == [
            "rpc.system", "rpc.service", "rpc.method", "rpc.grpc.status_code", "network.protocol.name",
            "network.protocol.version", "network.transport", "server.address", "server.port", "network.peer.address",
            "network.peer.port", "network.local.address", "network.local.port",
        ])
        let values = values(ok)
        #expect(values["rpc.system"] == "grpc" && values["rpc.service"] == "demo.Greeter")
        #expect(values["rpc.method"] == "SayHello" && values["rpc.grpc.status_code"] == "0")
    }

    @Test func grpcErrorsFromATrailersOnlyResponseFailClientsButNotServers() {
        let fields = [HTTPHeader(name: "grpc-status", value: "5"), HTTPHeader(name: "grpc-message", value: "no%20such")]
        let client = span(exchange(path: "/demo.Greeter/Fail", contentType: "application/grpc+proto",
                                   responseHeaders: fields))
        #expect(client.status == .error && client.statusMessage == "no such")
        #expect(values(client)["rpc.grpc.status_code"] == "5" && values(client)["error.type"] == "5")
        let server = span(exchange(path: "/demo.Greeter/Fail", contentType: "application/grpc", responseHeaders: fields,
                                   direction: .ingress))
        #expect(server.kind == .server && server.status == .unset && values(server)["error.type"] == nil)
        let internalError = span(exchange(path: "/demo.Greeter/Fail", contentType: "application/grpc",
                                     responseHeaders: [HTTPHeader(name: "grpc-status", value: "13")], direction: .ingress))
        #expect(internalError.status == .error && values(internalError)["error.type"] == "13")
    }

    @Test func aCancelledStreamHasNoStatusCodeAndFailsTheClientOnly() {
        let client = span(exchange(path: "/demo.Greeter/Count", contentType: "application/grpc", reset: 8))
        #expect(client.status == .error && values(client)["error.type"] == "CANCEL")
        #expect(values(client)["rpc.grpc.status_code"] == nil)
        let server = span(exchange(path: "/demo.Greeter/Count", contentType: "application/grpc", reset: 8, direction: .ingress))
        #expect(server.status == .unset && values(server)["error.type"] == nil)
        let refused = span(exchange(path: "/demo.Greeter/Count", contentType: "application/grpc", reset: 7, direction: .ingress))
        #expect(refused.status == .error && values(refused)["error.type"] == "REFUSED_STREAM")
    }

    @Test func aStatusThatMayHaveGoneByUncapturedIsNoFailure() {
        var uncaptured = exchange(path: "/demo.Greeter/Count", contentType: "application/grpc")
        uncaptured.responseMissedFrames = true
        #expect(span(uncaptured).status == .unset && values(span(uncaptured))["error.type"] == nil)
        var undecoded = exchange(path: "/demo.Greeter/Count", contentType: "application/grpc")
        undecoded.headersComplete = false
        #expect(span(undecoded).status == .unset)
        let missing = span(exchange(path: "/demo.Greeter/Count", contentType: "application/grpc"))
        #expect(missing.status == .error && values(missing)["error.type"] == "missing grpc-status")
    }
}
