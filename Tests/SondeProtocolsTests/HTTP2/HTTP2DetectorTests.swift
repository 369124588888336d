import Foundation
import SondeTestSupport
import Testing
@testable import SondeProtocols

@Suite struct HTTP2DetectorTests {
    @Test func recognizesThePrefaceEvenCutShort() {
        #expect(HTTP2Detector.recognizes(HTTP2Preface.bytes[...]))
        #expect(HTTP2Detector.recognizes(Array("PRI * HTTP/2.0\r\n".utf8)[...]))
        #expect(!HTTP2Detector.recognizes(Array("PRI * HTTP/1.1\r\n".utf8)[...]))
        #expect(!HTTP1Detector.recognizes(HTTP2Preface.bytes[...]))
    }

    @Test(arguments: HTTP2Fixture.all)
    func recognizesTheFirstChunkOfEitherSide(_ fixture: HTTP2Fixture) {
        #expect(HTTP2Detector.recognizes(fixture.chunks.first { $0.fromClient }!.bytes[...]))
        #expect(HTTP2Detector.recognizes(fixture.chunks.first { !$0.fromClient }!.bytes[...]))
    }

    @Test(arguments: HTTP2Fixture.all)
    func recognizesFramesJoinedMidStream(_ fixture: HTTP2Fixture) {
        let server = fixture.stream(fromClient: false)
        for frame in HTTP2MidStreamTests.frames(server).dropFirst() {
            #expect(HTTP2Detector.recognizes(server[frame.offset...]), "frame at \(frame.offset)")
        }
    }

    @Test func refusesHTTP1RedisMySQLAndRandomBytes() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        for directory in ["http1", "redis"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(directory).path)
            where file.hasSuffix(".bin") {
                let bytes = try Array(Data(contentsOf: fixtures.appendingPathComponent("\(directory)/\(file)")))
                #expect(!HTTP2Detector.recognizes(bytes[...]), "\(file)")
            }
        }
        let recorded = [("redis", "strings"), ("redis", "resp3"), ("mysql", "cli_queries"), ("mysql", "connector_prepared")]
        for chunk in recorded.flatMap({ FixtureChunk.load(directory: $0, name: $1) }) {
            #expect(!HTTP2Detector.recognizes(chunk.bytes[...]))
        }
        var generator = SeededGenerator(seed: 7)
        let taken = (0..<20_000).filter { _ in
            let bytes = (0..<Int.random(in: 1...512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return HTTP2Detector.recognizes(bytes[...])
        }
        #expect(taken.isEmpty)
    }
}
