import SondeModel
import Testing
@testable import SondeProtocols

@Suite struct HTTP2FixtureTests {
    @Test(arguments: HTTP2Fixture.all)
    func stitchesEveryStreamOfTheCapture(_ fixture: HTTP2Fixture) {
        let (exchanges, session) = fixture.play()
        #expect(exchanges.map(HTTP2Fixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .egress && $0.requestStart <= $0.end && $0.headersComplete })
        #expect(session.resyncCount == 0)
    }

    @Test(arguments: HTTP2Fixture.all)
    func theServerSideSeesTheSameStreams(_ fixture: HTTP2Fixture) {
        let (exchanges, _) = fixture.play(role: .server)
        #expect(exchanges.map(HTTP2Fixture.summary) == fixture.expected)
        #expect(exchanges.allSatisfy { $0.requestDirection == .ingress })
    }

    @Test(arguments: HTTP2Fixture.all)
    func stitchesTheSameFedInSmallPieces(_ fixture: HTTP2Fixture) {
        for size in [1, 5, 9, 10, 4096] {
            let (exchanges, _) = fixture.play(role: .unknown) { session, bytes, direction, time, records in
                for start in stride(from: 0, to: bytes.count, by: size) {
                    let piece = Array(bytes[start..<min(bytes.count, start + size)])
                    session.receive(piece, direction: direction, timestamp: time, into: &records)
                }
            }
            #expect(exchanges.map(HTTP2Fixture.summary) == fixture.expected, "pieces of \(size)")
        }
    }

    @Test func pseudoHeadersMapToTheHTTP1Shapes() {
        let (exchanges, _) = HTTP2Fixture.named("nghttp_parallel").play()
        let index = exchanges[0]
        #expect(index.request.version.description == "2")
        #expect(index.scheme == "http")
        #expect(index.request.headers.first(named: "host") == "127.0.0.1:16481")
        #expect(index.request.headers.first(named: "user-agent")?.hasPrefix("nghttp2/") == true)
        #expect(index.request.headers.allSatisfy { !$0.name.hasPrefix(":") })
        #expect(index.response?.headers.first(named: "content-type") == "text/html")
        #expect(index.response?.headers.first(named: "server") == "nginx/1.22.1")
    }

    @Test func grpcStatusComesFromTrailersOrATrailersOnlyResponse() {
        let (exchanges, _) = HTTP2Fixture.named("grpc_calls").play()
        #expect(exchanges[0].trailers.first(named: "grpc-status") == "0")
        #expect(exchanges[0].request.headers.first(named: "content-type") == "application/grpc")
        #expect(exchanges[1].trailers.isEmpty)
        #expect(exchanges[1].response?.headers.first(named: "grpc-status") == "5")
        #expect(exchanges[1].response?.headers.first(named: "grpc-message") == "no such greeting")
        #expect(exchanges[3].resetCode == HTTP2ErrorCode(rawValue: 8))
    }
}
