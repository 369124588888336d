import Foundation
import SondeModel
@testable import SondeProtocols

/// One connection captured from nginx (see Tests/Fixtures/http1/README.md): every byte the client sent,
/// and every byte it received.
struct HTTP1Fixture: CustomStringConvertible, Sendable {
    let name: String
    let requestBytes: [UInt8]
    let responseBytes: [UInt8]
    /// The exchanges the README lists for this fixture.
    let expected: [ExchangeSummary]

    var description: String { name }

    init(_ name: String, _ expected: [ExchangeSummary]) {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http1")
        self.name = name
        requestBytes = Array(try! Data(contentsOf: directory.appendingPathComponent("\(name).request.bin")))
        responseBytes = Array(try! Data(contentsOf: directory.appendingPathComponent("\(name).response.bin")))
        self.expected = expected
    }

    static let all: [HTTP1Fixture] = [
        HTTP1Fixture("get_keepalive", [
            .init("GET", "/small.txt", 200, 0, 17),
            .init("GET", "/index.html", 200, 0, 40),
            .init("GET", "/small.txt?again=1", 200, 0, 17),
        ]),
        HTTP1Fixture("post_body", [.init("POST", "/submit", 200, 11, 3), .init("POST", "/small.txt", 405, 5, 150)]),
        HTTP1Fixture("not_found", [.init("GET", "/missing", 404, 0, 146)]),
        HTTP1Fixture("head", [.init("HEAD", "/small.txt", 200, 0, 0), .init("HEAD", "/large.bin", 200, 0, 0)]),
        HTTP1Fixture("chunked_gzip", [.init("GET", "/text.txt", 200, 0, 535)]),
        HTTP1Fixture("large_70k", [.init("GET", "/large.bin", 200, 0, 70000)]),
        HTTP1Fixture("pipelined", [
            .init("GET", "/small.txt", 200, 0, 17),
            .init("HEAD", "/small.txt", 200, 0, 0),
            .init("GET", "/text.txt", 200, 0, 535),
            .init("GET", "/missing", 404, 0, 146),
        ]),
        HTTP1Fixture("http10", [.init("GET", "/text.txt", 200, 0, 535, version: "1.0")]),
        HTTP1Fixture("not_modified", [.init("GET", "/small.txt", 200, 0, 17), .init("GET", "/small.txt", 304, 0, 0)]),
        HTTP1Fixture("no_content", [.init("GET", "/empty", 204, 0, 0)]),
        HTTP1Fixture("expect_100", [.init("PUT", "/upload/expect.txt", 201, 2176, 0)]),
        HTTP1Fixture("chunked_put", [.init("PUT", "/upload/expect.txt", 204, 2176, 0)]),
    ]

    static func named(_ name: String) -> HTTP1Fixture { all.first { $0.name == name }! }
}

/// What a test compares of an exchange.
struct ExchangeSummary: Equatable, CustomStringConvertible, Sendable {
    var method: String
    var target: String
    var status: Int
    var requestBodySize: Int
    var responseBodySize: Int
    var requestVersion: String

    init(_ method: String, _ target: String, _ status: Int, _ requestBodySize: Int, _ responseBodySize: Int,
         version: String = "1.1") {
        self.method = method
        self.target = target
        self.status = status
        self.requestBodySize = requestBodySize
        self.responseBodySize = responseBodySize
        requestVersion = version
    }

    init(_ exchange: HTTPExchange) {
        self.init(exchange.request.method, exchange.request.target, exchange.response.status,
                  exchange.requestBodySize, exchange.responseBodySize, version: exchange.request.version.description)
    }

    var description: String {
        "\(method) \(target) HTTP/\(requestVersion) -> \(status) (\(requestBodySize)/\(responseBodySize))"
    }
}

/// Drives one session the way the connection tracker does, with a clock that ticks on every call.
final class SessionDriver {
    let session: HTTP1Session
    let requestDirection: Direction
    private(set) var records: [ProtocolRecord] = []
    private(set) var clock: UInt64 = 1_000

    init(role: ConnectionRole = .server, requestDirection: Direction = .ingress) {
        session = HTTP1Session(role: role)
        self.requestDirection = requestDirection
    }

    func request<C: Collection<UInt8>>(_ bytes: C) { receive(bytes, requestDirection) }
    func response<C: Collection<UInt8>>(_ bytes: C) { receive(bytes, requestDirection.opposite) }
    func skipRequest(_ count: Int) { tick(); session.skip(count, direction: requestDirection, timestamp: clock, into: &records) }
    func skipResponse(_ count: Int) {
        tick()
        session.skip(count, direction: requestDirection.opposite, timestamp: clock, into: &records)
    }
    func close() { tick(); session.close(timestamp: clock, into: &records) }

    func receive<C: Collection<UInt8>>(_ bytes: C, _ direction: Direction) {
        tick()
        session.receive(Array(bytes), direction: direction, timestamp: clock, into: &records)
    }

    private func tick() { clock += 1 }

    var exchanges: [HTTPExchange] {
        records.compactMap { record in
            if case .http(let exchange) = record { exchange } else { nil }
        }
    }

    var summaries: [ExchangeSummary] { exchanges.map(ExchangeSummary.init) }
}

extension Array where Element == UInt8 {
    /// The index just past the first `\r\n\r\n` at or after `start`.
    func headEnd(from start: Int = 0) -> Int {
        var index = start
        while index + 3 < count {
            if self[index] == 13, self[index + 1] == 10, self[index + 2] == 13, self[index + 3] == 10 { return index + 4 }
            index += 1
        }
        fatalError("no head end")
    }

    /// Splits a stream of Content-Length (or bodyless) messages, given each message's body size.
    func messages(bodySizes: [Int]) -> [ArraySlice<UInt8>] {
        var start = 0
        return bodySizes.map { bodySize in
            let end = headEnd(from: start) + bodySize
            defer { start = end }
            return self[start..<end]
        }
    }
}
