import Testing
@testable import SondeProtocols

/// `HTTPHeaders` keeps its fields as bytes: it must read back exactly what went in, in order, and look
/// names up as HTTP compares them.
@Suite struct HTTPHeadersTests {
    private let fields = [
        HTTPHeader(name: "Host", value: "127.0.0.1:18080"),
        HTTPHeader(name: "User-Agent", value: "curl/7.88.1 (a value longer than fifteen bytes)"),
        HTTPHeader(name: "X-Empty", value: ""),
        HTTPHeader(name: "X-Unicode", value: "grüße, 東京"),
        HTTPHeader(name: "host", value: "second"),
    ]

    @Test func readsBackItsFieldsInOrder() {
        let headers = HTTPHeaders(fields)
        #expect(Array(headers) == fields)
        #expect(headers.count == 5)
        #expect(headers.map(\.name) == ["Host", "User-Agent", "X-Empty", "X-Unicode", "host"])
        #expect(headers == HTTPHeaders(fields))
        #expect(HTTPHeaders().isEmpty)
    }

    @Test func looksNamesUpWithoutRegardToCaseFirstMatchFirst() {
        let headers = HTTPHeaders(fields)
        #expect(headers.first(named: "HOST") == "127.0.0.1:18080")
        #expect(headers.first(named: "user-agent") == "curl/7.88.1 (a value longer than fifteen bytes)")
        #expect(headers.first(named: "x-empty") == "")
        #expect(headers.first(named: "X-UNICODE") == "grüße, 東京")
        #expect(headers.first(named: "Hos") == nil)
        #expect(headers.first(named: "Hosts") == nil)
        #expect(headers.contains(named: "x-EMPTY"))
        #expect(!headers.contains(named: "Content-Length"))
    }

    @Test func editsLikeAnArray() {
        var headers = HTTPHeaders(fields)
        headers.removeFirst()
        headers.insert(HTTPHeader(name: "Accept", value: "*/*"), at: headers.startIndex)
        headers.append(HTTPHeader(name: "Connection", value: "close"))
        #expect(headers.map(\.name) == ["Accept", "User-Agent", "X-Empty", "X-Unicode", "host", "Connection"])
        #expect(headers.first(named: "Host") == "second")
        let filtered = headers.filter { $0.name.hasPrefix("X-") }
        #expect(filtered == [HTTPHeader(name: "X-Empty", value: ""), HTTPHeader(name: "X-Unicode", value: "grüße, 東京")])
        #expect((filtered + [HTTPHeader(name: "te", value: "trailers")]).map(\.name) == ["X-Empty", "X-Unicode", "te"])
    }
}
