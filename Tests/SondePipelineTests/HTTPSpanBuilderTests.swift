import SondeModel
import SondeProtocols
import SondePipeline
import Testing

private let http11 = HTTPVersion(major: 1, minor: 1)
private let resource = Resource(attributes: [Attribute("service.name", "shop")])
private let serverConnection = ConnectionInfo(
    id: ConnectionID(pid: 10, fd: 5, generation: 1), role: .server,
    local: SocketAddress(host: "10.0.0.1", port: 8080), remote: SocketAddress(host: "10.0.0.2", port: 51234))
private let clientConnection = ConnectionInfo(
    id: ConnectionID(pid: 11, fd: 6, generation: 1), role: .client,
    local: SocketAddress(host: "10.0.0.2", port: 40000), remote: SocketAddress(host: "10.0.0.9", port: 8081))

private func exchange(_ method: String = "GET", _ target: String = "/", requestHeaders: [(String, String)] = [],
                      status: Int = 200, responseHeaders: [(String, String)] = [], requestBody: Int = 0,
                      responseBody: Int = 0, direction: Direction = .ingress,
                      version: HTTPVersion = http11) -> HTTPExchange {
    HTTPExchange(
        request: HTTPRequestHead(method: method, target: target, version: version,
                                 headers: requestHeaders.map { HTTPHeader(name: $0.0, value: $0.1) }),
        response: HTTPResponseHead(version: http11, status: status, reason: "",
                                   headers: responseHeaders.map { HTTPHeader(name: $0.0, value: $0.1) }),
        requestBodySize: requestBody, responseBodySize: responseBody, requestDirection: direction,
        requestStart: 1_000, responseEnd: 3_500)
}

@Suite struct HTTPSpanBuilderTests {
    @Test func serverSpanCarriesTheServerAttributesAndRedactsSignatures() {
        let span = HTTPSpanBuilder.span(
            for: exchange("GET", "/search?q=swift&sig=abc123&X-Goog-Signature=zzz&Signature",
                          requestHeaders: [("Host", "example.com:8080"), ("User-Agent", "curl/8.14.1"),
                                           ("Authorization", "Bearer secret"), ("Cookie", "session=secret")],
                          responseHeaders: [("Content-Length", "1234")], responseBody: 1234),
            connection: serverConnection, resource: resource)
        #expect(span.name == "GET")
        #expect(span.kind == .server)
        #expect(span.status == .unset)
        #expect(span.startTime == 1_000)
        #expect(span.endTime == 3_500)
        #expect(span.parentSpanID == nil)
        #expect(span.resource == resource)
        #expect(span.attributes == [
            Attribute("http.request.method", "GET"),
            Attribute("url.scheme", "http"),
            Attribute("url.path", "/search"),
            Attribute("url.query", "q=swift&sig=REDACTED&X-Goog-Signature=REDACTED&Signature"),
            Attribute("http.response.status_code", 200),
            Attribute("network.protocol.version", "1.1"),
            Attribute("network.transport", "tcp"),
            Attribute("user_agent.original", "curl/8.14.1"),
            Attribute("http.response.body.size", 1234),
            Attribute("server.address", "example.com"),
            Attribute("server.port", 8080),
            Attribute("client.address", "10.0.0.2"),
            Attribute("client.port", 51234),
            Attribute("network.peer.address", "10.0.0.2"),
            Attribute("network.peer.port", 51234),
            Attribute("network.local.address", "10.0.0.1"),
            Attribute("network.local.port", 8080),
        ])
    }

    @Test func clientSpanCarriesTheFullURLAndTreats4xxAsAnError() {
        let span = HTTPSpanBuilder.span(
            for: exchange("POST", "/v1/items?id=7", requestHeaders: [("Host", "api.internal"), ("Content-Length", "11")],
                          status: 404, responseHeaders: [("Content-Length", "9")], requestBody: 11, responseBody: 9,
                          direction: .egress, version: HTTPVersion(major: 1, minor: 0)),
            connection: clientConnection, resource: resource)
        #expect(span.name == "POST")
        #expect(span.kind == .client)
        #expect(span.status == .error)
        #expect(span.attributes == [
            Attribute("http.request.method", "POST"),
            Attribute("url.full", "http://api.internal/v1/items?id=7"),
            Attribute("url.scheme", "http"),
            Attribute("url.path", "/v1/items"),
            Attribute("url.query", "id=7"),
            Attribute("http.response.status_code", 404),
            Attribute("network.protocol.version", "1.0"),
            Attribute("network.transport", "tcp"),
            Attribute("http.request.body.size", 11),
            Attribute("http.response.body.size", 9),
            Attribute("server.address", "api.internal"),
            Attribute("server.port", 80),
            Attribute("network.peer.address", "10.0.0.9"),
            Attribute("network.peer.port", 8081),
            Attribute("network.local.address", "10.0.0.2"),
            Attribute("network.local.port", 40000),
            Attribute("error.type", "404"),
        ])
    }

    @Test func serverSpansAreErrorsOnlyFrom500() {
        let notFound = HTTPSpanBuilder.span(for: exchange(status: 404), connection: serverConnection, resource: resource)
        #expect(notFound.status == .unset)
        #expect(notFound.attributes["error.type"] == nil)
        let failed = HTTPSpanBuilder.span(for: exchange(status: 500), connection: serverConnection, resource: resource)
        #expect(failed.status == .error)
        #expect(failed.attributes["error.type"] == .string("500"))
        #expect(failed.attributes.last == Attribute("error.type", "500"))
    }

    @Test func unknownMethodsAreReportedAsOther() {
        let span = HTTPSpanBuilder.span(for: exchange("PROPFIND", "/dav/"), connection: serverConnection, resource: resource)
        #expect(span.name == "HTTP")
        #expect(Array(span.attributes.prefix(3)) == [
            Attribute("http.request.method", "_OTHER"),
            Attribute("http.request.method_original", "PROPFIND"),
            Attribute("url.scheme", "http"),
        ])
        let lowerCase = HTTPSpanBuilder.span(for: exchange("get"), connection: serverConnection, resource: resource)
        #expect(lowerCase.name == "HTTP")
        #expect(lowerCase.attributes["http.request.method_original"] == .string("get"))
    }

    @Test func aValidTraceparentJoinsTheCallersTrace() {
        let span = HTTPSpanBuilder.span(
            for: exchange(requestHeaders: [("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]),
            connection: serverConnection, resource: resource)
        #expect(span.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID?.hex == "00f067aa0ba902b7")
        #expect(span.spanID.hex != "00f067aa0ba902b7")
    }

    @Test(arguments: [
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // unknown version
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",   // short flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",  // wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // not hex
        "",
    ])
    func anInvalidTraceparentIsIgnored(header: String) {
        #expect(TraceParent(header: header) == nil)
        let span = HTTPSpanBuilder.span(for: exchange(requestHeaders: [("traceparent", header)]),
                                        connection: serverConnection, resource: resource)
        #expect(span.parentSpanID == nil)
        #expect(span.traceID.hex != "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func traceparentToleratesSurroundingWhitespace() {
        let parent = TraceParent(header: " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t")
        #expect(parent?.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent?.parentSpanID.hex == "00f067aa0ba902b7")
        #expect(parent?.flags == 1)
    }

    @Test func withoutHostTheAddressesNameTheServer() {
        let server = HTTPSpanBuilder.span(for: exchange(version: HTTPVersion(major: 1, minor: 0)),
                                          connection: serverConnection, resource: resource)
        #expect(server.attributes["server.address"] == .string("10.0.0.1"))
        #expect(server.attributes["server.port"] == .int(8080))

        let client = HTTPSpanBuilder.span(for: exchange("GET", "/x", direction: .egress),
                                          connection: clientConnection, resource: resource)
        #expect(client.attributes["url.full"] == .string("http://10.0.0.9:8081/x"))
        #expect(client.attributes["server.address"] == .string("10.0.0.9"))
        #expect(client.attributes["server.port"] == .int(8081))

        var v6 = clientConnection
        v6.remote = SocketAddress(host: "::1", port: 80)
        let client6 = HTTPSpanBuilder.span(for: exchange("GET", "/", direction: .egress), connection: v6, resource: resource)
        #expect(client6.attributes["url.full"] == .string("http://[::1]/"))

        var unknown = serverConnection
        unknown.local = nil
        unknown.remote = nil
        let joined = HTTPSpanBuilder.span(for: exchange(), connection: unknown, resource: resource)
        #expect(joined.attributes.map(\.key) == [
            "http.request.method", "url.scheme", "url.path", "http.response.status_code",
            "network.protocol.version", "network.transport",
        ])
    }

    @Test func hostHeadersWithIPv6AndSchemesWithOtherDefaultPorts() {
        let span = HTTPSpanBuilder.span(for: exchange(requestHeaders: [("Host", "[::1]:8443")], direction: .egress),
                                        connection: clientConnection, resource: resource)
        #expect(span.attributes["server.address"] == .string("::1"))
        #expect(span.attributes["server.port"] == .int(8443))
        #expect(span.attributes["url.full"] == .string("http://[::1]:8443/"))

        var tls = clientConnection
        tls.isTLS = true
        let secure = HTTPSpanBuilder.span(for: exchange("GET", "/a", requestHeaders: [("Host", "example.com")],
                                                        direction: .egress),
                                          connection: tls, resource: resource)
        #expect(secure.attributes["url.full"] == .string("https://example.com/a"))
        #expect(secure.attributes["url.scheme"] == .string("https"))
        #expect(secure.attributes["server.port"] == .int(443))
    }

    @Test func anAbsoluteTargetThroughAProxyIsTheFullURL() {
        let span = HTTPSpanBuilder.span(
            for: exchange("GET", "http://example.com:8000/a/b?Signature=xyz#frag",
                          requestHeaders: [("Host", "example.com:8000")], direction: .egress),
            connection: clientConnection, resource: resource)
        #expect(span.attributes["url.full"] == .string("http://example.com:8000/a/b?Signature=REDACTED"))
        #expect(span.attributes["url.path"] == .string("/a/b"))
        #expect(span.attributes["url.query"] == .string("Signature=REDACTED"))
    }

    @Test func bodySizesAppearWhenBytesMovedOrABodyWasAnnounced() {
        let emptyPost = HTTPSpanBuilder.span(
            for: exchange("POST", "/", requestHeaders: [("Content-Length", "0")],
                          responseHeaders: [("Transfer-Encoding", "chunked")]),
            connection: serverConnection, resource: resource)
        #expect(emptyPost.attributes["http.request.body.size"] == .int(0))
        #expect(emptyPost.attributes["http.response.body.size"] == .int(0))

        let head = HTTPSpanBuilder.span(for: exchange("HEAD", "/", responseHeaders: [("Content-Length", "1234")]),
                                        connection: serverConnection, resource: resource)
        #expect(head.attributes["http.response.body.size"] == nil)

        let notModified = HTTPSpanBuilder.span(
            for: exchange(status: 304, responseHeaders: [("Content-Length", "1234")]),
            connection: serverConnection, resource: resource)
        #expect(notModified.attributes["http.response.body.size"] == nil)
    }
}
