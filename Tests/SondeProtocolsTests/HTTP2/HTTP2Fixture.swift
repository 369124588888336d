import SondeModel
@testable import SondeProtocols
import SondeTestSupport

/// One HTTP/2 connection captured from real peers (see Tests/Fixtures/http2/README.md).
struct HTTP2Fixture: CustomStringConvertible, Sendable {
    let name: String
    let chunks: [FixtureChunk]
    /// The exchanges the README lists, as `summary(_:)` writes them.
    let expected: [String]

    var description: String { name }

    init(_ name: String, _ expected: [String]) {
        self.name = name
        chunks = FixtureChunk.load(directory: "http2", name: name)
        self.expected = expected
    }

    static let all: [HTTP2Fixture] = [
        HTTP2Fixture("nghttp_parallel", ["13 GET /index.html -> 200 0/26", "15 GET /small.txt -> 200 0/12",
                                         "19 GET /missing -> 404 0/153", "17 GET /big.bin -> 200 0/70000"]),
        HTTP2Fixture("curl_post", ["1 POST /submit -> 201 5000/8"]),
        HTTP2Fixture("curl_large", ["1 GET /big.bin -> 200 0/70000"]),
        HTTP2Fixture("grpc_calls", ["1 POST /demo.Greeter/SayHello -> 200 10/16 grpc-status 0",
                                    "3 POST /demo.Greeter/Fail -> 200 6/0 grpc-status 5",
                                    "5 POST /demo.Greeter/Count -> 200 6/18 grpc-status 0",
                                    "7 POST /demo.Greeter/Count -> 200 7/6 reset CANCEL"]),
    ]

    static func named(_ name: String) -> HTTP2Fixture { all.first { $0.name == name }! }

    /// The bytes each side sent, in order.
    func stream(fromClient: Bool) -> [UInt8] {
        chunks.filter { $0.fromClient == fromClient }.flatMap(\.bytes)
    }

    /// Plays the fixture into a session seeing it from the client (client bytes are egress) or the
    /// server (`.server`: ingress). `deliver` hands each chunk over (whole by default); chunk `i` is seen
    /// at time `(i + 1) * 1000`.
    func play(role: ConnectionRole = .client,
              deliver: (HTTP2Session, [UInt8], Direction, UInt64, inout [ProtocolRecord]) -> Void = Self.deliverWhole)
        -> (exchanges: [HTTP2Exchange], session: HTTP2Session) {
        let session = HTTP2Session(role: role)
        var records: [ProtocolRecord] = []
        let clientDirection: Direction = role == .server ? .ingress : .egress
        for (index, chunk) in chunks.enumerated() {
            let direction = chunk.fromClient ? clientDirection : clientDirection.opposite
            deliver(session, chunk.bytes, direction, UInt64(index + 1) * 1000, &records)
        }
        session.close(timestamp: UInt64(chunks.count + 1) * 1000, into: &records)
        return (Self.exchanges(records), session)
    }

    static func deliverWhole(_ session: HTTP2Session, _ bytes: [UInt8], _ direction: Direction, _ time: UInt64,
                             _ records: inout [ProtocolRecord]) {
        session.receive(bytes, direction: direction, timestamp: time, into: &records)
    }

    static func exchanges(_ records: [ProtocolRecord]) -> [HTTP2Exchange] {
        records.map { record in
            guard case .http2(let exchange) = record else { fatalError("not an HTTP/2 record") }
            return exchange
        }
    }

    /// `STREAM METHOD PATH -> STATUS REQUEST-BODY/RESPONSE-BODY[ grpc-status N][ reset CODE]`.
    static func summary(_ exchange: HTTP2Exchange) -> String {
        let status = exchange.response.map { String($0.status) } ?? "-"
        var text = "\(exchange.streamID) \(exchange.request.method) \(exchange.request.target) -> \(status) "
            + "\(exchange.requestBodySize.map(String.init) ?? "?")/\(exchange.responseBodySize.map(String.init) ?? "?")"
        if let grpcStatus = (exchange.trailers + (exchange.response?.headers ?? [])).first(named: "grpc-status") {
            text += " grpc-status \(grpcStatus)"
        }
        if let reset = exchange.resetCode { text += " reset \(reset)" }
        return text
    }

    /// Whether `summary` says what `truth` says, where it may leave body sizes unknown (`?`).
    static func summary(_ summary: String, agreesWith truth: String) -> Bool {
        let words = summary.split(separator: " "), truthWords = truth.split(separator: " ")
        return words.count == truthWords.count && zip(words, truthWords).allSatisfy { word, truthWord in
            let sizes = word.split(separator: "/"), truthSizes = truthWord.split(separator: "/")
            return word == truthWord || sizes.count == 2 && truthSizes.count == 2
                && zip(sizes, truthSizes).allSatisfy { $0 == $1 || $0 == "?" }
        }
    }
}

